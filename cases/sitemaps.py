from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from cases.models import Case


class CaseSitemap(Sitemap):
    """Patient stories that readers may see: cleared, consented, and told in a public article."""

    changefreq = "monthly"
    priority = 0.6
    limit = 1000

    def items(self):
        return Case.objects.public().order_by("reference").only("reference", "updated_at")

    def lastmod(self, case):
        return case.updated_at

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item, loading every story to write one date.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]

from django.contrib.sitemaps import Sitemap

from cases.models import Case


class CaseSitemap(Sitemap):
    """Patient stories that readers may see: cleared, consented, and told in a public article."""

    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Case.objects.public().order_by("reference")

    def lastmod(self, case):
        return case.updated_at

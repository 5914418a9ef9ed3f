from articles.cache_keys import shows
from articles.public.sitemaps import DatedByUpdate
from cases.models import Case


class CaseSitemap(DatedByUpdate):
    """Patient stories that readers may see: cleared, consented, and told in a public article."""

    changefreq = "monthly"
    priority = 0.6
    limit = 1000

    def items(self):
        shows("stories")  # a story cleared or withdrawn anywhere changes the list
        return Case.objects.public().order_by("reference").only("reference", "updated_at")

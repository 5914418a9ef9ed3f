import re

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from articles.models import Article, DiseaseTag, TherapyTag
from articles.views import tags_with_counts

SIMPLE_SLUG = re.compile(r"[a-z0-9-]+")  # needs no escaping in a URL


class DatedByUpdate(Sitemap):
    """Entries dated by their `updated_at`; a section's date is the latest, read in one query."""

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item: 10,000 articles loaded to write one date.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class ArticleSitemap(DatedByUpdate):
    changefreq = "weekly"
    priority = 0.8
    limit = 1000  # per page of the sitemap index: every response stays small on a desk with years of news

    def items(self):
        return Article.objects.public().order_by("-published_at").only("slug", "updated_at")

    def location(self, article):
        # One reverse() per section rather than per article: it was 40% of a 1,000-entry section.
        if not hasattr(self, "_around_slug"):
            self._around_slug = reverse("articles:detail", args=["SLUG"]).split("SLUG")
        if not SIMPLE_SLUG.fullmatch(article.slug):
            return article.get_absolute_url()
        before, after = self._around_slug
        return f"{before}{article.slug}{after}"


class TagSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    limit = 1000

    def items(self):
        return [*tags_with_counts(DiseaseTag), *tags_with_counts(TherapyTag)]


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["articles:home", "articles:list", "articles:diseases", "articles:therapies"]

    def location(self, name):
        return reverse(name)

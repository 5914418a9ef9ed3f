import re

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.cache_keys import shows
from articles.models import Article, DiseaseTag, Language, Page, TherapyTag
from articles.public.views import terms_in_use

SIMPLE_SLUG = re.compile(r"[a-z0-9-]+")  # needs no escaping in a URL


class DatedByUpdate(Sitemap):
    """Entries dated by their `updated_at`; a section's date is the latest, read in one query."""

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item: 10,000 articles loaded to write one date. The
        # newest first, not MAX(): walking the index by update, the first public entry ends the search.
        return self.items().order_by("-updated_at").values_list("updated_at", flat=True).first()


class ArticleSitemap(DatedByUpdate):
    changefreq = "weekly"
    priority = 0.8
    limit = 1000  # per page of the sitemap index: every response stays small on a desk with years of news

    def items(self):
        # (slug, updated_at, language, translation pair) rows, not articles: making 1,000 model objects was
        # a third of a section.
        shows("articles")
        return (
            Article.objects.public()
            .order_by("-published_at")
            .values_list("slug", "updated_at", "language", "translation_key")
        )

    def lastmod(self, item):
        return item[1]

    def location(self, item):
        # One reverse() per section rather than per article: it was 40% of a 1,000-entry section.
        slug = item[0]
        if not SIMPLE_SLUG.fullmatch(slug):
            return reverse("articles:detail", args=[slug])
        if not hasattr(self, "_around_slug"):
            self._around_slug = reverse("articles:detail", args=["SLUG"]).split("SLUG")
        before, after = self._around_slug
        return f"{before}{slug}{after}"

    def _urls(self, page, protocol, domain):
        """Each entry, with the public translations of a translated article as `xhtml:link` alternates
        (read in one query, wherever in the sitemap the translation is listed)."""
        urls = super()._urls(page, protocol, domain)
        keys = {url["item"][3] for url in urls if url["item"][3]}
        if not keys:
            return urls
        pairs: dict = {}
        for slug, language, pair in (
            Article.objects.public()
            .filter(translation_key__in=keys)
            .values_list("slug", "language", "translation_key")
        ):
            location = f"{protocol}://{domain}{self.location((slug,))}"
            pairs.setdefault(pair, []).append((Language.bcp47(language), location))
        for url in urls:
            if (pair := url["item"][3]) and len(pairs.get(pair, ())) > 1:
                url["translations"] = sorted(pairs[pair])
        return urls


class TagSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    limit = 1000

    def items(self):
        shows("articles", DiseaseTag.kind, TherapyTag.kind)  # terms come and go with their articles
        return [*terms_in_use(DiseaseTag), *terms_in_use(TherapyTag)]


class PageSitemap(Sitemap):
    """The site's fixed pages: articles' own, and the URL names of other apps' (`also`)."""

    changefreq = "daily"
    priority = 1.0

    def __init__(self, also=()):
        self.also = list(also)

    def items(self):
        return ["articles:home", "articles:list", *self.also, "articles:diseases", "articles:therapies"]

    def location(self, name):
        return reverse(name)


class NewsroomPageSitemap(DatedByUpdate):
    """The newsroom's own pages: about, contact, the policies."""

    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return [page for page in Page.objects.live() if page.is_public]

    def get_latest_lastmod(self):
        return max((page.updated_at for page in self.items()), default=None)

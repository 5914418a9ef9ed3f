"""RSS 2.0 and Atom feeds, site-wide and per disease or therapy: headlines and standfirsts only.

Feeds never carry article bodies or anything another app adds to a page, so nothing a privacy review has not
seen in the standfirst can travel through a feed reader. Public correction notes and the references (each
scanned with the article's text) travel with their item.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from articles.addresses import PublicRequest
from articles.cache_keys import shows
from articles.models import Article, DiseaseTag, Language, TherapyTag
from articles.references import formatted

SITE_TITLE = "Hospital Newsroom"


class LatestArticlesFeed(Feed):
    def __call__(self, request, *args, **kwargs):
        # Links and the feed's own address come from NEWSDESK_BASE_URL, never from the Host header.
        return super().__call__(PublicRequest(request), *args, **kwargs)

    feed_type = Rss201rev2Feed
    title = f"{SITE_TITLE}: latest news"
    description = "News about treatments and research from the hospital."
    limit = 30

    def link(self):
        return reverse("articles:home")

    def items(self):
        shows("articles")  # the newest public articles, whichever they are
        return (
            Article.objects.public()
            .with_tags()
            .prefetch_related("corrections", "references")
            .order_by("-published_at")
        )[: self.limit]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        """The standfirst, then every public correction or update note, dated, then the references."""
        notes = [
            f"{n.get_kind_display()} ({n.created_at:%-d %B %Y}): {n.note}" for n in item.corrections.all()
        ]
        cited = formatted([ref.csl() for ref in item.references.all()], plain=True)
        if cited:
            notes.append("References:\n" + "\n".join(f"{n}. {entry}" for n, entry in enumerate(cited, 1)))
        return "\n\n".join([item.standfirst or item.title, *notes])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.byline or None

    def item_categories(self, item):
        return [t.name for t in item.topics.diseases] + [t.name for t in item.topics.therapies]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class LanguageFeed(LatestArticlesFeed):
    """The latest news in one language: /feeds/zh-hans/rss/."""

    def get_object(self, request, language):
        if language not in Language.values:
            raise Http404
        return language

    def title(self, language):
        return f"{SITE_TITLE}: latest news ({Language(language).label})"

    def link(self, language):
        return reverse("articles:language_rss", args=[language])

    def get_feed(self, language, request):
        feed = super().get_feed(language, request)
        feed.feed["language"] = Language.bcp47(language)
        return feed

    def items(self, language):
        shows("articles")
        return (
            Article.objects.public()
            .filter(language=language)
            .with_tags()
            .prefetch_related("corrections", "references")
            .order_by("-published_at")
        )[: self.limit]


class LanguageAtomFeed(LanguageFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class TagFeed(LatestArticlesFeed):
    vocabulary = DiseaseTag

    def get_object(self, request, slug):
        term = get_object_or_404(self.vocabulary, slug=slug)
        if not self.vocabulary.objects.has_public_page(term):
            raise Http404
        return term

    def title(self, tag):
        return f"{SITE_TITLE}: {tag.name}"

    def description(self, tag):
        return tag.description or f"News about {tag.name} from the hospital."

    def link(self, tag):
        return tag.get_absolute_url()

    def items(self, tag):
        field = "diseases" if self.vocabulary is DiseaseTag else "therapies"
        shows(tag.cache_key, tag.list_key)
        return (
            Article.objects.public()
            .filter(**{field: tag})
            .with_tags()
            .prefetch_related("corrections", "references")
            .order_by("-published_at")[: self.limit]
        )


class DiseaseFeed(TagFeed):
    vocabulary = DiseaseTag


class DiseaseAtomFeed(DiseaseFeed):
    feed_type = Atom1Feed


class TherapyFeed(TagFeed):
    vocabulary = TherapyTag


class TherapyAtomFeed(TherapyFeed):
    feed_type = Atom1Feed

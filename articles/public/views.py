"""The public site. Every view starts from `Article.objects.public()`. What readers could once read and no
longer may answers 410 (`Gone`), with a plain notice that names nothing; anything else answers 404."""

import re

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView

from articles import access
from articles.addresses import absolute
from articles.cache import public_page
from articles.cache_keys import shows
from articles.models import (
    Article,
    ArticleDisease,
    ArticleEvent,
    ArticleTherapy,
    DiseaseTag,
    Page,
    PreviewLink,
    StaffProfile,
    Status,
    TherapyTag,
)
from articles.models.article import LINK_FIELDS, attach_topics
from articles.models.people import person_key, public_identity
from articles.previews import unsign_token
from articles.public import search as article_search
from articles.roles import holds

VOCABULARIES = {"diseases": DiseaseTag, "therapies": TherapyTag}


class Gone(Http404):
    """What was public here is not any more (unpublished, taken down, expired, withdrawn): 410, so that
    search engines drop the address, with a notice that says nothing of what was there."""


def gone(request, exception=None):
    return render(request, "410.html", {"noindex": True}, status=410)


# What an article's card shows (includes/article_card.html), its picture included, and what deciding it is
# public reads. Lists read these, not every article's body.
CARD_FIELDS = (*LINK_FIELDS, "standfirst", "hero_image", "hero_alt")


def tags_with_counts(vocabulary, limit=None):
    """Terms that have public articles, with how many (`public_articles`, kept as articles come and go),
    most-covered first."""
    terms = vocabulary.objects.filter(public_articles__gt=0).order_by("-public_articles", "name")
    return list(terms.only("pk", "name", "slug", "description", "public_articles")[:limit])


def terms_in_use(vocabulary):
    """Terms that have public articles, in alphabetical order: the choices of a filter, without counts.

    Each term asks whether one of its links leads to a public article, and stops at the first: 3 ms at
    10,000 articles, where counting every term's articles takes 17.
    """
    links = ArticleDisease if vocabulary is DiseaseTag else ArticleTherapy
    leads_to_public = Exists(Article.objects.public().filter(pk=OuterRef("content_object")))
    return vocabulary.objects.filter(Exists(links.objects.filter(leads_to_public, tag=OuterRef("pk"))))


@method_decorator(public_page, name="dispatch")
class HomeView(TemplateView):
    """The front page: a featured article, the latest news, and ways to browse by disease and therapy."""

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        shows("articles", DiseaseTag.kind, TherapyTag.kind)  # the newest articles; terms with counts
        shown = Article.objects.public().with_tags().only(*CARD_FIELDS)
        latest = list(shown.order_by("-published_at")[:13])
        featured = next((a for a in latest if a.hero_image), latest[0] if latest else None)
        return super().get_context_data(
            featured=featured,
            latest=[a for a in latest if a != featured][:12],
            diseases=tags_with_counts(DiseaseTag, 12),
            therapies=tags_with_counts(TherapyTag, 12),
            **kwargs,
        )


@method_decorator(public_page, name="dispatch")
class ArticleListView(ListView):
    """Every public article, newest first."""

    template_name = "articles/article_list.html"
    paginate_by = 12

    def get_queryset(self):
        shows("articles")
        return Article.objects.public().with_tags().only(*CARD_FIELDS).order_by("-published_at")


@method_decorator(public_page, name="dispatch")
class ArticleDetailView(DetailView):
    """A public article; a retracted one keeps its address, showing the notice instead of the text."""

    template_name = "articles/article_detail.html"

    def get_object(self, queryset=None):
        # Its topics are read with the related articles' (`related_articles`), its notes when shown.
        public = Article.objects.public().select_related("published_review__actor__staff_profile")
        slug = self.kwargs["slug"]
        for found in (public.filter(slug=slug), Article.objects.retracted().filter(slug=slug)):
            if article := next(iter(found.order_by()[:1]), None):  # the slug is unique: no order to sort
                return article
        was_live = ArticleEvent.objects.filter(
            article__slug=slug, action__in=[ArticleEvent.Action.PUBLISHED, ArticleEvent.Action.WENT_LIVE]
        )
        if was_live.exists():
            list(Article.objects.filter(slug=slug).only("pk"))  # the notice is retired when it comes back
            raise Gone
        raise Http404(_("No article lives at this address."))

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except Gone:
            return gone(request)
        if self.object.status == Status.RETRACTED:
            response.status_code = 410  # its notice stays for readers; search engines drop the address
        return response

    def get_template_names(self):
        if self.object.status == Status.RETRACTED:
            return ["articles/article_retracted.html"]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        article = self.object
        if article.status == Status.RETRACTED:
            notice = article.events.filter(action=ArticleEvent.Action.RETRACTED).first()
            return super().get_context_data(retraction=notice, noindex=True, **kwargs)
        return super().get_context_data(related=related_articles(article), **kwargs)


def related_articles(article) -> list:
    """The related news kept on the article since it was published or retagged (`related_ids`), those of
    them still public, in their order; the article's own topics are read with them. An article written
    before the list was kept gets it chosen now, once."""
    ids = article.related_ids
    if ids is None:
        ids = Article.objects.related_ids(article)
        Article.objects.filter(pk=article.pk).update(related_ids=ids)
    found = {a.pk: a for a in Article.objects.public().filter(pk__in=ids).only(*LINK_FIELDS).order_by()}
    attach_topics([article])
    return [found[pk] for pk in ids if pk in found]


@method_decorator(public_page, name="dispatch")
class VocabularyIndexView(TemplateView):
    """All diseases (or therapies) that have public articles, with counts."""

    template_name = "articles/vocabulary_index.html"
    vocabulary = None

    def get_context_data(self, **kwargs):
        shows("articles", self.vocabulary.kind)  # every term with public articles, and how many
        return super().get_context_data(
            terms=tags_with_counts(self.vocabulary),
            vocabulary=self.vocabulary._meta,
            kind="diseases" if self.vocabulary is DiseaseTag else "therapies",
            **kwargs,
        )


@method_decorator(public_page, name="dispatch")
class TagArticleListView(ListView):
    """Every public article about one disease or therapy. A synonym in the address leads to the term."""

    template_name = "articles/tag_detail.html"
    paginate_by = 12
    vocabulary = None  # DiseaseTag or TherapyTag, set in urls.py

    def dispatch(self, request, *args, **kwargs):
        slug = kwargs["slug"]
        self.tag = self.vocabulary.objects.filter(slug=slug).first()
        if self.tag is None:
            spaced = slug.replace("-", " ")
            names = [spaced, slug, slug.upper(), spaced.upper()]
            term = next(filter(None, self.vocabulary.objects.find_each(names)), None)
            if term is None:
                raise Http404
            return redirect(term, permanent=True)
        self.terms = self.vocabulary.objects.with_narrower(self.tag)
        if not self.vocabulary.objects.has_public_page(self.tag, self.terms):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        """Articles about the term or any narrower one (a page on lymphoma lists B-cell lymphoma news)."""
        field = "diseases" if self.vocabulary is DiseaseTag else "therapies"
        matching = Article.objects.filter(**{f"{field}__in": self.terms}).values("pk")
        shows(self.tag.cache_key, *map(self.vocabulary.list_key_for, self.terms))
        shown = Article.objects.public().filter(pk__in=matching).with_tags().only(*CARD_FIELDS)
        return shown.order_by("-published_at")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            tag=self.tag,
            vocabulary=self.vocabulary._meta.verbose_name,
            kind="diseases" if self.vocabulary is DiseaseTag else "therapies",
            **kwargs,
        )


@method_decorator(public_page, name="dispatch")
class SearchView(ListView):
    template_name = "articles/search.html"
    paginate_by = 10

    def get(self, request, *args, **kwargs):
        self.filters = {}
        for key, vocabulary in (("disease", DiseaseTag), ("therapy", TherapyTag)):
            value = request.GET.get(key, "").strip()
            if value:
                term = vocabulary.objects.filter(slug=value).first() or vocabulary.objects.find(value)
                self.filters[key] = term
        year = request.GET.get("year", "")
        self.filters["year"] = int(year) if re.fullmatch(r"\d{4}", year) and 1900 < int(year) < 2200 else None
        self.results = article_search.search(
            request.GET.get("q", ""),
            disease=self.filters.get("disease"),
            therapy=self.filters.get("therapy"),
            year=self.filters["year"],
        )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        shows("articles", DiseaseTag.kind, TherapyTag.kind)  # any public article may match; the filters
        return self.results.articles.with_tags()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for article in context["object_list"]:
            article.snippet = article_search.snippet(article, self.results.terms)
        # What other rooms find beside the articles (`NEWSDESK_SEARCH_FINDS`), on the first page only.
        finds = (
            []
            if self.request.GET.get("page", "1") != "1"
            else [import_string(path)(self.results) for path in settings.NEWSDESK_SEARCH_FINDS]
        )
        # The first and last year, each the first entry of the publication index walked one way: not a
        # GROUP BY over every public article, nor MIN() and MAX() (a scan; docs/scaling.md).
        dates = Article.objects.public().values_list("published_at", flat=True)
        first, last = dates.order_by("published_at").first(), dates.order_by("-published_at").first()
        years = []
        if first:
            years = range(timezone.localtime(last).year, timezone.localtime(first).year - 1, -1)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            query=self.results.query,
            matched_tags=self.results.matched_tags,
            filters=self.filters,
            diseases=terms_in_use(DiseaseTag).values_list("slug", "name"),
            therapies=terms_in_use(TherapyTag).values_list("slug", "name"),
            years=[(year, year) for year in years],
            querystring=query.urlencode(),
            also_found=mark_safe("".join(str(found["html"]) for found in finds)),  # noqa: S308 - rendered templates
            also_counted=[found["counted"] for found in finds if found["count"]],
            # Nothing found: the topics with the most to read instead.
            suggested=[
                *tags_with_counts(DiseaseTag, 6),
                *tags_with_counts(TherapyTag, 4),
            ]
            if not context["paginator"].count and not any(found["count"] for found in finds)
            else [],
        )
        return context


@method_decorator(public_page, name="dispatch")
class PersonView(TemplateView):
    """A member of staff who chose to show a page: name, role, credentials, and the public articles they
    reviewed and wrote. One who took it down answers 410."""

    template_name = "articles/person.html"

    def get(self, request, *args, **kwargs):
        profile = StaffProfile.objects.select_related("user").filter(slug=kwargs["slug"]).first()
        if profile is None:
            raise Http404
        shows(person_key(profile.user_id))
        if not profile.shows_page:
            return gone(request)
        self.profile = profile
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user, articles = self.profile.user, Article.objects.public().with_tags().only(*CARD_FIELDS)
        name, credentials = public_identity(user)
        roles = [label for permission, label in PUBLIC_ROLES if holds(user, permission)]
        return super().get_context_data(
            name=name,
            credentials=credentials,
            roles=roles,
            reviewed=list(articles.filter(published_review__actor=user).order_by("-published_at")[:12]),
            written=list(articles.filter(author=user).order_by("-published_at")[:12]),
            **kwargs,
        )


@method_decorator(public_page, name="dispatch")
class PageView(TemplateView):
    """One of the newsroom's own pages (about, contact, policies), with the text the gates passed. One
    taken offline answers 410; an address that never had a page, 404."""

    template_name = "pages/page.html"

    def get(self, request, *args, **kwargs):
        page = Page.objects.filter(slug=kwargs["slug"]).first()
        if page is None:
            raise Http404
        shows(page.cache_key)
        if not page.is_public:
            if page.went_live_at is not None:
                return gone(request)
            raise Http404
        self.page = page
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(page=self.page, **kwargs)


# What a person's page says they do on the desk, by the permissions they hold (never by group name).
PUBLIC_ROLES = [
    ("articles.sign_off_article", "Medical reviewer"),
    ("articles.publish_article", "Editor"),
    ("articles.submit_article", "Writer"),
]


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /news/preview/",
        "Disallow: /search/",
        f"Sitemap: {absolute(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


# --- Previews -------------------------------------------------------------------------------------


def _preview_response(request, article, *, banner):
    if article.embargo_id and article.embargo.is_on():
        banner = " ".join(
            [
                str(banner),
                _("Under embargo by %(journal)s until %(lift)s: do not publish or share it before then.")
                % {"journal": article.embargo.journal, "lift": article.embargo.lift_label},
            ]
        )
    response = render(
        request,
        "articles/article_detail.html",
        {"article": article, "preview_banner": banner, "noindex": True, "related": []},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # a shared preview's token must not travel in a Referer
    add_never_cache_headers(response)
    return response


@staff_member_required
def staff_preview(request, pk):
    """The article exactly as readers will see it, whatever its status, for the desk only."""
    if not access.may(request.user, "view", access.ARTICLE):
        raise PermissionDenied
    article = get_object_or_404(Article.objects.with_tags(), pk=pk)
    return _preview_response(
        request,
        article,
        banner=_("Preview: %(status)s. Readers cannot see this page.")
        % {"status": article.get_status_display()},
    )


def shared_preview(request, token):
    """An outside reader's view of one article through a signed, expiring, revocable link.

    Any failure looks the same (404), so the address reveals nothing about what exists.
    """
    raw = unsign_token(token)
    link = raw and PreviewLink.objects.usable().select_related("article").filter(token=raw).first()
    if not link:
        raise Http404
    PreviewLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    return _preview_response(
        request,
        link.article,
        banner=_("Preview shared with you by the hospital's news team. Please do not forward it."),
    )

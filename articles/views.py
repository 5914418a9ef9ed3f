from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from articles.models import Article, DiseaseTag, PreviewLink
from articles.previews import unsign_token


class ArticleListView(ListView):
    """The front page: the latest public articles, newest first."""

    template_name = "articles/article_list.html"
    paginate_by = 12

    def get_queryset(self):
        return Article.objects.public().with_tags()


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"

    def get_queryset(self):
        return Article.objects.public().with_tags()


class TagArticleListView(ListView):
    """Every public article about one disease or one therapy."""

    template_name = "articles/tag_detail.html"
    paginate_by = 12
    vocabulary = None  # DiseaseTag or TherapyTag, set in urls.py

    def get_queryset(self):
        self.tag = get_object_or_404(self.vocabulary, slug=self.kwargs["slug"])
        manager = "diseases" if self.vocabulary is DiseaseTag else "therapies"
        return Article.objects.public().filter(**{manager: self.tag}).with_tags()

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, vocabulary=self.vocabulary._meta.verbose_name, **kwargs)


def _preview_response(request, article, *, banner):
    response = render(
        request,
        "articles/article_detail.html",
        {"article": article, "preview_banner": banner, "noindex": True},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


@staff_member_required
def staff_preview(request, pk):
    """The article exactly as readers will see it, whatever its status, for the desk only."""
    if not request.user.has_perm("articles.view_article"):
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

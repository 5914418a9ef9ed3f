from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from articles.cache import public_page
from articles.cache_keys import shows
from articles.models import Article, ArticleEvent
from articles.public.views import Gone, gone
from cases.models import Case, CaseEvent


@method_decorator(public_page, name="dispatch")
class CaseListView(ListView):
    """Every public patient story, most recently treated first."""

    template_name = "cases/case_list.html"
    context_object_name = "stories"
    paginate_by = 20

    def get_queryset(self):
        shows("stories")
        return Case.objects.public().with_tags().most_recently_treated_first()


@method_decorator(public_page, name="dispatch")
class CaseDetailView(DetailView):
    """A public patient story: the anonymised fields and the articles that tell it."""

    template_name = "cases/case_detail.html"
    context_object_name = "case"

    def get_object(self, queryset=None):
        reference = self.kwargs["reference"].upper()
        found = next(iter(Case.objects.public().with_tags().filter(reference=reference)), None)
        if found is not None:
            return found
        # Once cleared and told by an article readers saw: withdrawn, unlinked or taken down, it is gone.
        was_public = Case.objects.filter(
            reference=reference,
            events__action=CaseEvent.Action.CLEARED,
            articles__events__action__in=[ArticleEvent.Action.PUBLISHED, ArticleEvent.Action.WENT_LIVE],
        )
        if list(was_public[:1]):  # read as a case, so the notice is retired when the story comes back
            raise Gone
        raise Http404

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Gone:
            return gone(request)

    def get_context_data(self, **kwargs):
        articles = Article.objects.public().filter(cases=self.object).only("title", "slug", "published_at")
        articles = articles.order_by("-published_at")  # links by headline: not their bodies
        return super().get_context_data(articles=articles, **kwargs)

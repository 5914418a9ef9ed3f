from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from articles.cache import public_page
from articles.cache_keys import shows
from articles.models import Article
from cases.models import Case


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
        return get_object_or_404(
            Case.objects.public().with_tags(), reference=self.kwargs["reference"].upper()
        )

    def get_context_data(self, **kwargs):
        articles = Article.objects.public().filter(cases=self.object).only("title", "slug", "published_at")
        articles = articles.order_by("-published_at")  # links by headline: not their bodies
        return super().get_context_data(articles=articles, **kwargs)

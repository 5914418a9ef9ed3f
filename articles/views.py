from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from articles.models import Article, DiseaseTag


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

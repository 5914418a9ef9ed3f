from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from news.models import Article


def index(request):
    articles = Article.objects.all()
    if tag := request.GET.get("tag"):
        articles = articles.filter(tags__slug=tag)
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    return render(request, "news/index.html", {"page": page})


def detail(request, slug):
    article = get_object_or_404(Article, slug=slug)
    return render(request, "news/detail.html", {"article": article})

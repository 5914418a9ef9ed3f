"""The news section of a typical Wagtail site: an index page and its article pages, tagged."""

from django.core.paginator import Paginator
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class NewsIndexPage(Page):
    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["news.NewsPage"]

    per_page = 20

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.live().child_of(self).order_by("-first_published_at")
        tag = None
        if slug := request.GET.get("tag"):
            tag = Tag.objects.filter(slug=slug).first()
            news = news.filter(tags__slug=slug)
        context["tag"] = tag
        context["news"] = Paginator(news, self.per_page).get_page(request.GET.get("page"))
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey("news.NewsPage", related_name="tagged_items", on_delete=models.CASCADE)


class NewsPage(Page):
    standfirst = models.TextField()
    body = RichTextField()
    published = models.DateField("publication date")
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("standfirst"),
        FieldPanel("published"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = Page.search_fields + [index.SearchField("standfirst"), index.SearchField("body")]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    def get_context(self, request, *args, **kwargs):
        """The minimal news page the bench compares with: its text and its tags, no related news."""
        context = super().get_context(request, *args, **kwargs)
        context["tags"] = list(self.tags.order_by("name"))
        context["news_index"] = self.get_parent()
        return context

import json

from django.core.management.base import BaseCommand

from news.models import Article, Tag


class Command(BaseCommand):
    help = "The paths make bench measures, as JSON: an article in the middle, the index, a tag's index."

    def handle(self, *args, **options):
        article = Article.objects.order_by("pk")[Article.objects.count() // 2]
        tag = Tag.objects.order_by("pk").first()
        self.stdout.write(json.dumps({"detail": f"/news/{article.slug}/", "index": "/news/",
                                      "topic": f"/news/?tag={tag.slug}"}))  # fmt: skip

"""The paths make bench measures on this peer, as one line of JSON:

    {"index": "/news/", "detail": "/news/<newest page's slug>/", "topic": "/news/?tag=<slug>"}

detail is the newest live news page (as Newsdesk's bench takes its newest article); topic is the news
index filtered by the first tag, by slug, that tags any page (as Newsdesk's takes its first disease).
"""

import json

from django.core.management.base import BaseCommand, CommandError
from taggit.models import Tag

from news.models import NewsIndexPage, NewsPage


class Command(BaseCommand):
    help = "Print the index, a detail page and a tag-filtered index of the seeded site as JSON."

    def handle(self, *args, **options):
        index = NewsIndexPage.objects.live().first()
        newest = NewsPage.objects.live().order_by("-first_published_at").first()
        tag = Tag.objects.filter(news_newspagetag_items__isnull=False).order_by("slug").first()
        if index is None or newest is None or tag is None:
            raise CommandError("No news yet: run manage.py seed_news first.")
        index_url = index.get_url()
        self.stdout.write(
            json.dumps(
                {"index": index_url, "detail": newest.get_url(), "topic": f"{index_url}?tag={tag.slug}"}
            )
        )

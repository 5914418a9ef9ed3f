import datetime
import random

from django.core.management.base import BaseCommand
from django.db import transaction

from news.models import Article, Tag

WORDS = ["patients", "trial", "therapy", "cells", "blood", "results", "team", "doctors", "treatment",
         "remission", "weeks", "months", "study", "hospital", "research", "clinic", "nurses", "dose",
         "follow-up", "care", "infusion", "response", "immune", "safety"]  # fmt: skip
TAGS = [f"Topic {n}" for n in range(40)]


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


class Command(BaseCommand):
    help = "Seed N synthetic news articles (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)

    @transaction.atomic
    def handle(self, *args, articles, **options):
        if Article.objects.count() >= articles:
            return
        rng = random.Random(7)
        tags = [
            Tag.objects.get_or_create(slug=f"topic-{n}", defaults={"name": name})[0]
            for n, name in enumerate(TAGS)
        ]
        start = Article.objects.count()
        made = Article.objects.bulk_create(
            Article(
                title=f"Trial results number {n} for a blood cancer therapy",
                slug=f"trial-results-number-{n}",
                standfirst=sentence(rng, 30),
                body="".join(f"<p>{' '.join(sentence(rng, 12) for _ in range(10))}</p>" for _ in range(5)),
                published=datetime.date(2020, 1, 1) + datetime.timedelta(days=n % 2000),
            )
            for n in range(start, articles)
        )
        Through = Article.tags.through
        Through.objects.bulk_create(
            Through(article_id=a.pk, tag_id=t.pk) for a in made for t in rng.sample(tags, 3)
        )

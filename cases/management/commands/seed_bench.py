"""A synthetic desk for benchmarks: thousands of published articles with realistic bodies, tags and
stories. Nothing here comes from, or resembles, a real patient; every word is drawn from fixed lists."""

import random
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.database import refresh_planner_statistics
from articles.models import (
    Article,
    ArticleDisease,
    ArticleEvent,
    ArticleTherapy,
    DiseaseTag,
    StaffProfile,
    Status,
    TherapyTag,
)
from articles.services import count_every_term
from cases.models import AgeBand, Case, CaseDisease, CaseTherapy, Consent, PrivacyStatus, Sex

WORDS = (  # noqa: SIM905 - a word list reads best as words
    "patients doctors treatment therapy remission trial hospital team blood cells immune response results "
    "study follow-up infusion dose weeks months years care family nurse clinic research data safety effect "
    "relapse recovery symptoms diagnosis scan marrow antibody protein receptor engineered targeted chronic "
    "acute early later standard new first second improved lasting careful modern specialist review measure "
    "the a and of to in with for after before during while which that their this these those within between"
).split()
STARTS = [
    "Researchers",
    "The team",
    "Doctors",
    "Specialists",
    "Nurses",
    "The hospital",
    "A new study",
    "Patients",
]
CHUNK = 5_000  # articles generated and inserted at a time
SIGNED_OFF = 200  # the newest articles, with a medical review each (what the bench times)
VERBS = ["reported", "measured", "observed", "described", "tracked", "reviewed", "compared", "confirmed"]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 18))]
    return f"{rng.choice(STARTS)} {rng.choice(VERBS)} {' '.join(words)}."


def body(rng: random.Random, words: int = 800) -> str:
    paragraphs, count = [], 0
    while count < words:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
        count += len(paragraph.split())
        paragraphs.append(f"<p>{paragraph}</p>")
        if len(paragraphs) % 4 == 0:
            paragraphs.append(f"<h2>{sentence(rng)[:-1].title()[:60]}</h2>")
    return "".join(paragraphs)


class Command(BaseCommand):
    help = "Fill the database with synthetic articles and stories for benchmarks (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10_000)
        parser.add_argument("--cases", type=int, default=2_000)
        parser.add_argument("--terms", type=int, default=200, help="Vocabulary size, diseases and therapies.")
        parser.add_argument("--seed", type=int, default=7)

    @transaction.atomic
    def handle(self, *args, articles, cases, terms, seed, **options):
        started = time.perf_counter()
        rng = random.Random(seed)
        diseases, therapies = self._vocabulary(terms)
        author, _ = get_user_model().objects.get_or_create(
            username="bench-writer", defaults={"is_staff": True, "first_name": "Bench", "last_name": "Writer"}
        )
        now = timezone.now()
        existing = Article.objects.count()
        created = []  # primary keys only: 100,000 bodies of 800 words would not fit in memory at once
        for chunk in range(existing, existing + articles, CHUNK):
            rows = []
            for n in range(chunk, min(chunk + CHUNK, existing + articles)):
                title = f"{rng.choice(STARTS)} {rng.choice(VERBS)} {' '.join(rng.sample(WORDS[:60], 5))} {n}"
                published = now - timedelta(minutes=n * 7 + 60)
                rows.append(
                    Article(
                        title=title[:200], slug=slugify(title)[:190], standfirst=sentence(rng),
                        body=body(rng),
                        byline="Bench desk", author=author, status=Status.PUBLISHED, published_at=published,
                    )
                )  # fmt: skip
            # On PostgreSQL the database fills each row's search document as it is inserted (a trigger).
            made = Article.objects.bulk_create(rows, batch_size=1000)
            links_d, links_t = [], []
            for article in made:
                picked = rng.sample(diseases, rng.randint(1, 3)) + rng.sample(therapies, rng.randint(1, 3))
                links_d += [ArticleDisease(content_object_id=article.pk, tag=t) for t in picked
                            if isinstance(t, DiseaseTag)]  # fmt: skip
                links_t += [ArticleTherapy(content_object_id=article.pk, tag=t) for t in picked
                            if isinstance(t, TherapyTag)]  # fmt: skip
            ArticleDisease.objects.bulk_create(links_d, batch_size=5000)
            ArticleTherapy.objects.bulk_create(links_t, batch_size=5000)
            created += [article.pk for article in made]

        self._sign_off(created[:SIGNED_OFF])

        officer, _ = get_user_model().objects.get_or_create(username="bench-officer")
        story_rows = []
        start = Case.objects.count()
        for n in range(cases):
            band = rng.choice(AgeBand.values)
            story_rows.append(
                Case(
                    reference=f"CASE-{start + n + 1:05d}",
                    label=f"Synthetic story {start + n + 1}",
                    age_band=band,
                    sex=rng.choice([Sex.FEMALE, Sex.MALE]),
                    treatment_year=rng.randint(2012, 2025),
                    follow_up=f"{rng.randint(1, 9)} years",
                    outcome="In remission.",
                    narrative=body(rng, 150),
                    privacy_status=PrivacyStatus.CLEARED,
                    cleared_by=officer,
                    cleared_at=now,
                )  # fmt: skip
            )
        stories = Case.objects.bulk_create(story_rows, batch_size=1000)
        Consent.objects.bulk_create(
            [
                Consent(case=c, signed_on=now.date(), scope_web=True, form="", recorded_by=officer)
                for c in stories
            ],
            batch_size=2000,
        )
        through = Case.articles.through
        through.objects.bulk_create(
            [through(case_id=c.pk, article_id=rng.choice(created)) for c in stories if created],
            batch_size=5000,
        )
        CaseDisease.objects.bulk_create(
            [CaseDisease(content_object=c, tag=rng.choice(diseases)) for c in stories], batch_size=5000
        )
        CaseTherapy.objects.bulk_create(
            [CaseTherapy(content_object=c, tag=rng.choice(therapies)) for c in stories], batch_size=5000
        )
        for case in stories:  # the fingerprint the clearance covers, as if the officer had read it
            case.cleared_fingerprint = case.fingerprint()
        Case.objects.bulk_update(stories, ["cleared_fingerprint"], batch_size=1000)
        count_every_term()  # as the clock keeps them: the pages show each term's count
        refresh_planner_statistics()
        self.stdout.write(
            f"Seeded {len(created)} articles and {len(stories)} stories "
            f"in {time.perf_counter() - started:.1f}s."
        )

    def _sign_off(self, pks):
        """The newest articles carry a medical review, as every article published through the desk does:
        the pages the bench times show the review line."""
        reviewer, _ = get_user_model().objects.get_or_create(
            username="bench-reviewer", defaults={"is_staff": True, "last_name": "Reviewer"}
        )
        StaffProfile.objects.get_or_create(
            user=reviewer, defaults={"public_name": "Dr Bench Reviewer", "credentials": "MD, haematologist"}
        )
        for article in Article.objects.filter(pk__in=pks):
            review = ArticleEvent.record(article, by=reviewer, action=ArticleEvent.Action.SIGNED_OFF)
            Article.objects.filter(pk=article.pk).update(published_review=review)

    def _vocabulary(self, size):
        diseases = list(DiseaseTag.objects.all())
        therapies = list(TherapyTag.objects.all())
        extra_d = [DiseaseTag(name=f"Bench condition {n:03d}", slug=f"bench-condition-{n:03d}")
                   for n in range(max(0, size // 2 - len(diseases)))]  # fmt: skip
        extra_t = [TherapyTag(name=f"Bench therapy {n:03d}", slug=f"bench-therapy-{n:03d}")
                   for n in range(max(0, size // 2 - len(therapies)))]  # fmt: skip
        DiseaseTag.objects.bulk_create(extra_d, ignore_conflicts=True)
        TherapyTag.objects.bulk_create(extra_t, ignore_conflicts=True)
        return list(DiseaseTag.objects.all()), list(TherapyTag.objects.all())

"""Seed the peer with N synthetic, published news pages under /news/ (idempotent, deterministic, fast).

    python manage.py seed_news --articles 10000

Pages already under /news/ count towards N: a second run with the same N does nothing, a larger N adds
the missing ones. The news index itself is created the ordinary Wagtail way (add_child, a revision,
publish). The news pages are written in bulk, as Wagtail leaves a published page: tree path, depth,
numchild and url_path, live, first and last published dates, their tags. About 8 s for 10,000 pages;
Page.add_child, the tags and publishing a revision took some 160 ms a page (half an hour for 10,000).
What the bulk path leaves out is what serving a page never reads: revisions, the search index and the
reference index (manage.py update_index and rebuild_references_index fill those when wanted).
"""

import random
import time
from datetime import UTC, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import F
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page, Site

from news.models import NewsIndexPage, NewsPage, NewsPageTag

DISEASES = [
    "blood cancer", "leukaemia", "lymphoma", "myeloma", "breast cancer", "lung cancer", "bowel cancer",
    "prostate cancer", "melanoma", "diabetes", "heart failure", "stroke", "asthma", "COPD", "dementia",
    "Parkinson's disease", "multiple sclerosis", "epilepsy", "kidney disease", "cystic fibrosis",
    "sickle cell disease", "HIV", "hepatitis C", "tuberculosis", "rheumatoid arthritis", "Crohn's disease",
]  # fmt: skip
THERAPIES = [
    "immunotherapy", "CAR-T therapy", "gene therapy", "stem cell transplant", "radiotherapy",
    "chemotherapy", "vaccination", "antibody therapy", "keyhole surgery", "rehabilitation",
    "clinical trials", "screening", "precision medicine", "palliative care",
]  # fmt: skip
TAGS = DISEASES + THERAPIES  # 40 tag names

HOSPITALS = ["St Mary's", "the Royal Infirmary", "the university hospital", "the children's hospital",
             "the regional cancer centre", "the heart and lung unit"]  # fmt: skip
TEAMS = ["haematology", "oncology", "cardiology", "neurology", "respiratory", "renal", "rheumatology",
         "infectious diseases", "paediatric", "research nursing"]  # fmt: skip
FINDINGS = ["encouraging early results", "a marked drop in relapses", "fewer side effects than expected",
            "shorter stays in hospital", "better quality of life", "a faster recovery",
            "longer survival at two years", "no serious safety concerns"]  # fmt: skip

TITLES = [
    "Trial results number {i} for {a} {disease} therapy",
    "Study number {i} tests {therapy} in {disease}",
    "Patient story number {i}: living with {disease}",
    "Research grant number {i} funds {therapy} work on {disease}",
    "Screening update number {i} on {disease}",
    "Clinic news number {i}: {therapy} for {disease} patients",
]

SENTENCES = [
    "Doctors at {hospital} say the {team} team has seen {finding} among patients with {disease}.",
    "The study followed {n} patients over {months} months, comparing {therapy} with the usual standard of care.",
    "Around {pct} per cent of those taking part reported {finding}, according to the lead investigator.",
    "Researchers stress that the results are preliminary and need to be confirmed in a larger trial before any change to routine treatment.",
    "Patients who joined the programme were seen every few weeks by a specialist nurse and a consultant from the {team} service.",
    "The hospital's ethics committee approved the protocol, and every participant gave written consent before treatment began.",
    "For many families, the diagnosis of {disease} comes after months of uncertainty, tests and repeated visits to their doctor.",
    "{therapy_cap} works differently from older treatments, and the team hopes it can be offered closer to home in future.",
    "Funding for the next phase comes from a national research charity and the hospital's own innovation fund.",
    "The trial is still recruiting, and patients interested in taking part can ask their consultant whether they are eligible.",
    "Side effects were mostly mild, such as tiredness, headaches and short-lived changes in blood counts.",
    "A patient representative helped design the study so that visits fitted around work, school and caring duties.",
    "Results will be presented at a medical conference later this year and submitted to a peer-reviewed journal.",
    "The team also measured how quickly people returned to their usual activities after starting treatment.",
    "Specialists from {hospital} worked with colleagues in {n2} other hospitals to reach enough patients.",
    "Nurses reported that patients found the new schedule easier to manage than the previous one.",
    "Earlier work from the same group suggested that {therapy} might help people whose {disease} had come back.",
    "The researchers now plan to look at which patients benefit most, using blood tests and scans taken during the study.",
    "Local support groups welcomed the news but asked for clear information about who could be offered the treatment.",
    "Health economists on the team are estimating what the treatment would cost if it were offered more widely.",
    "Data were checked by an independent committee that could have stopped the study early if safety concerns arose.",
    "The hospital thanked everyone who took part, noting that progress in {disease} depends on patients joining research.",
]

SHORT_SENTENCES = [
    "The results are still preliminary.", "The trial is still recruiting.", "Patients helped design the study.",
    "A larger study is planned next year.", "The findings will be published soon.",
]  # fmt: skip

PARAGRAPHS, PARAGRAPH_WORDS = 5, 110
BATCH = 1000
FIRST_DATE = datetime(2022, 1, 1, 8, 0, tzinfo=UTC)


def with_article(word: str) -> str:
    return "an" if word[0].lower() in "aeiou" else "a"


def article_content(i: int) -> dict:
    """The title, standfirst, body, date and tags of article number i: the same i always gives the same."""
    rng = random.Random(i)  # noqa: S311 - synthetic content
    disease, therapy = rng.choice(DISEASES), rng.choice(THERAPIES)
    title = rng.choice(TITLES).format(i=i, a=with_article(disease), disease=disease, therapy=therapy)
    words = {
        "disease": disease,
        "therapy": therapy,
        "therapy_cap": therapy[0].upper() + therapy[1:],
        "hospital": rng.choice(HOSPITALS),
        "team": rng.choice(TEAMS),
        "finding": rng.choice(FINDINGS),
    }

    def fill(template: str) -> str:
        return template.format(
            n=rng.randint(40, 900), n2=rng.randint(2, 12), months=rng.choice([6, 12, 18, 24, 36]),
            pct=rng.randint(20, 85), **words,
        )  # fmt: skip

    # About 30 words: one long sentence and a short one.
    standfirst = (
        f"Doctors at {words['hospital']} report {words['finding']} in people with {disease} who received "
        f"{therapy}, in work led by the {words['team']} team. {rng.choice(SHORT_SENTENCES)}"
    )
    paragraphs = []
    for p in range(PARAGRAPHS):
        text, pool = [], rng.sample(SENTENCES, len(SENTENCES))  # no sentence twice in a paragraph
        while sum(len(s.split()) for s in text) < PARAGRAPH_WORDS:
            text.append(fill(pool.pop()))
        if p == 0:
            text[0] = f"<b>{text[0]}</b>"
        if p == 2:
            text.append(
                f'Details are listed in the <a href="https://www.example.org/trials/{i}">trial registry</a>.'
            )
        paragraphs.append("<p>" + " ".join(text) + "</p>")
    tags = {disease, therapy}
    if rng.random() < 0.5:
        tags.add(rng.choice(TAGS))
    when = FIRST_DATE + timedelta(hours=3 * i, minutes=rng.randint(0, 150))
    return {"title": title, "standfirst": standfirst, "body": "".join(paragraphs), "when": when,
            "tags": sorted(tags)}  # fmt: skip


class Command(BaseCommand):
    help = "Seed N published news pages under /news/ (idempotent: does nothing when N are there)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000, help="how many news pages (default 1000)")

    def handle(self, *args, articles, **options):
        started = time.monotonic()
        with transaction.atomic():
            index = self.news_index()
            existing = NewsPage.objects.child_of(index).count()
            if existing >= articles:
                self.stdout.write(f"{existing} news pages already under /news/: nothing to do.")
                return
            tags = self.tags()
            for start in range(existing + 1, articles + 1, BATCH):
                self.add_pages(index, range(start, min(start + BATCH, articles + 1)), tags)
        self.stdout.write(
            f"Added {articles - existing} news pages ({articles} in all) in {time.monotonic() - started:.1f} s."
        )

    def news_index(self) -> NewsIndexPage:
        """/news/: a NewsIndexPage under the site's root page, with the default Site pointing at that root."""
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:  # Wagtail's own migrations make one; this only repairs a database without it
            root = Page.get_first_root_node().get_first_child()
            site = Site.objects.create(hostname="localhost", port=80, root_page=root, is_default_site=True)
        home = site.root_page
        index = NewsIndexPage.objects.child_of(home).filter(slug="news").first()
        if index is None:
            index = home.add_child(
                instance=NewsIndexPage(
                    title="News",
                    slug="news",
                    intro="<p>The latest from our hospitals: research, trials, clinics and patients' stories.</p>",
                )
            )
            index.save_revision().publish()
            index.refresh_from_db()
        return index

    def tags(self) -> dict[str, Tag]:
        have = {tag.name: tag for tag in Tag.objects.filter(name__in=TAGS)}
        missing = [Tag(name=name, slug=slugify(name)) for name in TAGS if name not in have]
        if missing:
            Tag.objects.bulk_create(missing)
            have = {tag.name: tag for tag in Tag.objects.filter(name__in=TAGS)}
        return have

    def add_pages(self, index: NewsIndexPage, numbers: range, tags: dict[str, Tag]) -> None:
        """Pages numbered `numbers`, appended after the index's last child: base rows, NewsPage rows, tags."""
        content_type = ContentType.objects.get_for_model(NewsPage)
        last = index.get_last_child()
        step = Page._str2int(last.path[-Page.steplen :]) if last else 0
        depth = index.depth + 1
        contents = [article_content(i) for i in numbers]
        pages = []
        for offset, content in enumerate(contents, start=1):
            slug = slugify(content["title"])
            pages.append(
                Page(
                    content_type=content_type,
                    title=content["title"],
                    draft_title=content["title"],
                    slug=slug,
                    path=Page._get_path(index.path, depth, step + offset),
                    depth=depth,
                    numchild=0,
                    url_path=f"{index.url_path}{slug}/",
                    locale_id=index.locale_id,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=content["when"],
                    last_published_at=content["when"],
                    latest_revision_created_at=content["when"],
                )
            )
        Page.objects.bulk_create(pages)  # SQLite and PostgreSQL return the new ids

        fields = NewsPage._meta.local_concrete_fields  # page_ptr, standfirst, body, published
        rows = [
            NewsPage(page_ptr_id=page.pk, content_type=content_type, standfirst=content["standfirst"],
                     body=content["body"], published=content["when"].date())
            for page, content in zip(pages, contents, strict=True)
        ]  # fmt: skip
        size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
        for start in range(0, len(rows), size):
            NewsPage._base_manager._insert(rows[start : start + size], fields=fields)

        NewsPageTag.objects.bulk_create(
            NewsPageTag(content_object_id=page.pk, tag_id=tags[name].pk)
            for page, content in zip(pages, contents, strict=True)
            for name in content["tags"]
        )
        Page.objects.filter(pk=index.pk).update(numchild=F("numchild") + len(pages))
        index.numchild += len(pages)

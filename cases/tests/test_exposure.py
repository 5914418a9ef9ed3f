"""Nothing that is not public reaches a public surface: a crawl of the whole site, feeds and sitemap
included, and consent withdrawal taking a story off every one of them at once."""

import re
from datetime import timedelta
from urllib.parse import urljoin, urlparse

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles import workflow
from articles.desk.comments import post_comment
from articles.models import DiseaseTag, Page, Reference, StaffProfile, Status, TherapyTag
from articles.services import save_page
from articles.tests.test_images import jpeg_with_everything
from cases.models import PublicName
from cases.services import case_withdraw_consent

pytestmark = pytest.mark.django_db

MARKERS = {
    "draft": "Zorblaxdraft",
    "in_review": "Quillfenreview",
    "scheduled": "Vantorscheduled",
    "unpublished": "Mirrowunpublished",
    "retracted_body": "Drassikretracted",
    "expired": "Yollemexpired",
    "retracted_story": "Kelptorstory",
    "uncleared_case": "Plinthocase",
    "withdrawn_case": "Gravelwithdrawn",
    "comment": "Snorvelcomment",
    "draft_term": "Ombrelldraftterm",
    "uncleared_term": "Tessavuncleared",
    "draft_reference": "Wuxelreference",
    "draft_page": "Brontwickpage",
    "offline_page": "Quarmelpage",
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def crawl(client, start_urls, limit=400):
    """Every page reachable from `start_urls` by links, plus the starts: {url: (status, body)}."""
    seen, queue = {}, list(start_urls)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seen[url] = (response.status_code, body)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        text = body.decode("utf-8", errors="replace")
        for link in re.findall(r'(?:href|src|srcset)="([^"]+)"', text) + re.findall(
            r"<loc>([^<]+)</loc>", text
        ):
            for candidate in link.split(","):
                target = urljoin(url, candidate.strip().split(" ")[0])
                parsed = urlparse(target)
                if parsed.netloc not in ("", "testserver") or parsed.path.startswith(("/admin", "/static")):
                    continue
                queue.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return seen


@pytest.fixture
def world(users, make_article, make_case, vocabulary):
    sle = DiseaseTag.objects.get(slug="systemic-lupus-erythematosus")
    car_t = TherapyTag.objects.get(slug="car-t-cell-therapy")
    tags = {"diseases": [sle], "therapies": [car_t]}
    public = make_article(
        title="Public lupus news", status=Status.PUBLISHED, author=users["writer"],
        hero_image=SimpleUploadedFile("photo.jpg", jpeg_with_everything()), hero_alt="A clinic", **tags,
    )  # fmt: skip
    story = make_case(articles=[public], label="Woman in her 20s with lupus")
    hidden = {
        "draft": make_article(
            title=f"{MARKERS['draft']} news", status=Status.DRAFT, author=users["writer"], **tags
        ),
        "in_review": make_article(
            title="Review news", body=f"<p>{MARKERS['in_review']}</p>", status=Status.IN_REVIEW, **tags
        ),
        "scheduled": make_article(
            title="Later news",
            standfirst=MARKERS["scheduled"],
            status=Status.PUBLISHED,
            published_at=timezone.now() + timedelta(days=2),
            **tags,
        ),  # fmt: skip
    }
    unpublished = make_article(title=f"{MARKERS['unpublished']} news", status=Status.PUBLISHED, **tags)
    workflow.transition(unpublished, to=Status.DRAFT, by=users["editor"], comment="Taken down.")
    hidden["unpublished"] = unpublished
    hidden["expired"] = make_article(
        title=f"{MARKERS['expired']} clinic hours", status=Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=3), expires_at=timezone.now() - timedelta(hours=1), **tags,
    )  # fmt: skip
    retracted = make_article(
        title="Withdrawn study news", standfirst=MARKERS["retracted_body"],
        body=f"<p>{MARKERS['retracted_body']}</p>", status=Status.PUBLISHED, **tags,
    )  # fmt: skip
    workflow.transition(
        retracted, to=Status.RETRACTED, by=users["editor"], comment="The study was withdrawn."
    )
    make_case(articles=[retracted], label=f"{MARKERS['retracted_story']}, a man in his 50s with lupus")
    uncleared = make_case(articles=[public], cleared=False, label=f"{MARKERS['uncleared_case']} story")
    uncleared.diseases.add(sle)
    Reference.objects.create(  # a draft's references are as private as its text
        article=hidden["draft"], title=f"{MARKERS['draft_reference']} trial of CAR-T", venue="A journal"
    )
    Reference.objects.create(article=public, title="Public lupus trial report", venue="Example Journal")
    # The newsroom's pages: one never live, one taken offline; both in the footer's order.
    save_page(Page(title=f"{MARKERS['draft_page']} policy", slug="draft-policy", body="<p>Soon.</p>",
                   footer_position=1))  # fmt: skip
    PublicName.objects.create(name=MARKERS["offline_page"], note="A made-up word for this test only.")
    offline = save_page(Page(title="Old notice", slug="old-notice", body=f"<p>{MARKERS['offline_page']}</p>",
                             footer_position=2, is_live=True))  # fmt: skip
    offline.is_live = False
    save_page(offline)
    # Terms that only hidden items use: an unannounced drug's name and description can reveal a story.
    draft_term = DiseaseTag.objects.create(
        name=f"{MARKERS['draft_term']} syndrome", slug="draft-only-term",
        description=f"{MARKERS['draft_term']}, first treated here this winter.",
    )  # fmt: skip
    hidden["draft"].diseases.add(draft_term)
    uncleared_term = TherapyTag.objects.create(
        name=f"{MARKERS['uncleared_term']} cells", slug="uncleared-story-term",
        description=f"{MARKERS['uncleared_term']}, given to one patient so far.",
    )  # fmt: skip
    uncleared.therapies.add(uncleared_term)
    told = make_article(title="Second lupus story", status=Status.PUBLISHED, author=users["writer"], **tags)
    withdrawn = make_case(articles=[told], label=f"{MARKERS['withdrawn_case']} story")
    withdrawn.diseases.add(sle)
    for item in (public, story, told):  # private notes on what readers do see
        thread = post_comment(item, by=users["editor"], body=f"{MARKERS['comment']} check the dose")
        post_comment(item, by=users["writer"], body=f"{MARKERS['comment']} done", reply_to=thread)
    # The writer of hidden drafts shows a page: it may list only what readers may see.
    writer_page = StaffProfile.objects.create(
        user=users["writer"], public_name="Wren Writer", shows_page=True
    )
    return {
        "public": public, "hidden": hidden, "uncleared": uncleared, "withdrawn": withdrawn, "told": told,
        "retracted": retracted, "writer_page": writer_page,
    }  # fmt: skip


def public_entry_points(world):
    starts = ["/", "/news/", "/stories/", "/diseases/", "/therapies/", "/feeds/rss/", "/feeds/atom/",
              "/sitemap.xml", "/robots.txt", world["public"].get_absolute_url(),
              world["retracted"].get_absolute_url(), world["writer_page"].get_absolute_url(),
              "/draft-policy/", "/old-notice/", "/sitemap-about.xml"]  # fmt: skip
    for tag in [*DiseaseTag.objects.all(), *TherapyTag.objects.all()]:
        base = tag.get_absolute_url()
        starts += [base, base + "rss/", base + "atom/"]
    starts += [f"/search/?q={marker}" for marker in MARKERS.values()]
    return starts


def test_the_leak_walk(client, users, world):
    case_withdraw_consent(world["withdrawn"], by=users["privacy_officer"], reason="Phone call")
    pages = crawl(client, public_entry_points(world))
    assert len(pages) > 60
    assert b"Public lupus news" in b"".join(body for _, body in pages.values())
    for url, (_status, body) in pages.items():
        if url.startswith("/search/?q="):
            echoed = url.removeprefix("/search/?q=")
            assert b"0 articles" in body, url  # the page repeats the query; it must find nothing
            body = body.replace(echoed.encode(), b"")
        for kind, marker in MARKERS.items():
            assert marker.encode() not in body, f"{kind} marker on {url}"
    for article in world["hidden"].values():
        assert client.get(article.get_absolute_url()).status_code == 404
    retraction = client.get(world["retracted"].get_absolute_url())  # gone (410), with the notice only
    assert retraction.status_code == 410 and b"The study was withdrawn." in retraction.content
    assert MARKERS["retracted_body"].encode() not in retraction.content
    assert client.get("/draft-policy/").status_code == 404 and client.get("/old-notice/").status_code == 410
    for case in (world["uncleared"], world["withdrawn"]):
        assert client.get(case.get_absolute_url()).status_code == 404
    for term in ("/diseases/draft-only-term/", "/therapies/uncleared-story-term/"):
        assert [client.get(term + feed).status_code for feed in ("", "rss/", "atom/")] == [404, 404, 404]


def test_a_term_has_a_page_while_a_public_article_or_story_uses_it_and_not_after(
    client, users, make_article, make_case
):
    term = TherapyTag.objects.create(name="Trial cells X", slug="trial-cells-x", description="New.")
    article = make_article(status=Status.PUBLISHED)  # public, but not tagged with the term
    story = make_case(articles=[article])
    addresses = [term.get_absolute_url() + feed for feed in ("", "rss/", "atom/")]
    assert [client.get(url).status_code for url in addresses] == [404, 404, 404]
    story.therapies.add(term)  # a public story uses it
    cache.clear()
    assert [client.get(url).status_code for url in addresses] == [200, 200, 200]
    case_withdraw_consent(story, by=users["privacy_officer"], reason="Phone call")
    cache.clear()
    assert [client.get(url).status_code for url in addresses] == [404, 404, 404]
    broader = TherapyTag.objects.create(name="Cell therapies X", slug="cell-therapies-x")
    TherapyTag.objects.filter(pk=term.pk).update(parent=broader)
    make_article(status=Status.PUBLISHED, therapies=[term])
    cache.clear()
    assert client.get(broader.get_absolute_url()).status_code == 200  # its narrower term is in use


@pytest.mark.slow  # make test's leak walk checks that it reached 60 pages and the public article
def test_the_walk_does_see_what_is_public(client, world):
    pages = crawl(client, public_entry_points(world))
    everything = b"".join(body for _, body in pages.values())
    assert b"Public lupus news" in everything
    assert b"Woman in her 20s with lupus" in everything  # the cleared story
    assert b"Public lupus trial report" in everything  # a public article's references
    assert any(url.endswith(".webp") for url in pages)  # image renditions were fetched


def test_withdrawing_consent_takes_the_story_off_every_surface_in_the_same_request(client, users, world):
    public, story = world["told"], world["withdrawn"]
    sle = DiseaseTag.objects.get(slug="systemic-lupus-erythematosus")
    surfaces = [public.get_absolute_url(), sle.get_absolute_url(), "/search/?q=lupus", "/feeds/rss/",
                f"{sle.get_absolute_url()}rss/", "/sitemap.xml", "/", "/stories/"]  # fmt: skip
    before = {url: client.get(url).content for url in surfaces}  # now cached
    assert MARKERS["withdrawn_case"].encode() in before[public.get_absolute_url()]
    assert client.get(story.get_absolute_url()).status_code == 200

    unpublished = case_withdraw_consent(story, by=users["privacy_officer"], reason="Patient's e-mail")

    assert unpublished == [public]
    assert client.get(story.get_absolute_url()).status_code == 404
    assert client.get(public.get_absolute_url()).status_code == 404
    for url in surfaces:
        body = client.get(url).content
        assert MARKERS["withdrawn_case"].encode() not in body, url
        assert b"Second lupus story" not in body, url

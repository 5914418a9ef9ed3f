"""A story that leaves the public site leaves every cached page that showed it, on every surface, and a
page whose own key for the story was missed is retired all the same (fail safe: more, never less)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import DiseaseTag, Status
from cases import services
from cases.consents import expire_consents
from cases.models import Case

pytestmark = pytest.mark.django_db
LABEL = "Woman in her 40s with lupus nephritis"


@pytest.fixture
def story(make_article, make_case):
    lupus = DiseaseTag.objects.create(name="Lupus nephritis", slug="lupus-nephritis")
    article = make_article(title="A new treatment for lupus", status=Status.PUBLISHED, diseases=[lupus])
    other = make_article(title="Other lupus news", status=Status.PUBLISHED, diseases=[lupus])
    case = make_case(articles=[article], label=LABEL, consent={"expires_on": timezone.localdate()})
    case.diseases.add(lupus)
    Case.objects.filter(pk=case.pk).update(cleared_fingerprint=case.fingerprint())  # tags are part of it
    surfaces = {
        "story page": case.get_absolute_url(),
        "story index": "/stories/",
        "article telling it": article.get_absolute_url(),
        "topic page": lupus.get_absolute_url(),
        "sitemap": "/sitemap.xml",
        "sitemap's stories": "/sitemap-stories.xml",
        "another article on the topic": other.get_absolute_url(),
    }
    return case, surfaces


def shows_story(client, path, case) -> bool:
    response = client.get(path)
    page = response.content.decode() if response.status_code == 200 else ""
    return LABEL in page or case.get_absolute_url() in page


def cache_every_surface(client, case, surfaces):
    for path in surfaces.values():
        client.get(path)
    shown = [name for name, path in surfaces.items() if shows_story(client, path, case)]
    assert {"story page", "story index", "article telling it", "topic page", "sitemap's stories"} <= set(
        shown
    )
    return shown


def test_a_consent_withdrawal_retires_every_page_that_shows_the_story(client, users, story):
    case, surfaces = story
    shown = cache_every_surface(client, case, surfaces)
    services.case_withdraw_consent(case, by=users["privacy_officer"], reason="The patient asked us to.")
    for name in shown:
        assert not shows_story(client, surfaces[name], case), name


def test_a_consent_running_out_retires_every_page_that_shows_the_story(client, story):
    case, surfaces = story
    shown = cache_every_surface(client, case, surfaces)
    assert expire_consents(today=timezone.localdate() + timedelta(days=1)) == [case]
    for name in shown:
        assert not shows_story(client, surfaces[name], case), name


def test_where_a_pages_own_key_for_the_story_is_missed_the_stories_key_still_retires_it(
    client, users, story, monkeypatch
):
    case, surfaces = story
    shown = cache_every_surface(client, case, surfaces)
    monkeypatch.setattr(Case, "keys_to_retire", lambda self: {"stories"})  # as if every item key were lost
    services.case_mark_pending(case, reason="The story changed after clearance.")  # its articles stay up
    assert client.get(surfaces["article telling it"]).status_code == 200
    for name in shown:
        assert not shows_story(client, surfaces[name], case), name

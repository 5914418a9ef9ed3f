"""Journal embargoes (#26, item 6): an article tied to one is not published before the lift, its schedule
snaps to the lift, a moved embargo moves the schedule, the calendar shows the lift and a preview link
says the article is under embargo."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.desk.calendar import EMBARGO, entries
from articles.models import ArticleEvent, Embargo, PreviewLink, Status
from articles.previews import sign_token
from articles.tests.test_admin import ANSWERED

pytestmark = pytest.mark.django_db


@pytest.fixture
def embargo():
    lift = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    return Embargo.objects.create(journal="Nature Medicine", paper="CAR-T in lupus", lifts_at=lift,
                                  time_zone="Europe/London")  # fmt: skip


@pytest.fixture
def ready(users, make_article, embargo):
    """An article under embargo, in review and signed off: only the editor's move is left."""
    article = make_article(author=users["writer"], embargo=embargo)
    workflow.transition(article, to=Status.IN_REVIEW, by=users["writer"])
    workflow.sign_off(article, by=users["medical_reviewer"], answers=ANSWERED)
    return article


def test_publish_now_is_refused_before_the_lift_and_says_what_to_do(users, ready, embargo):
    with pytest.raises(ValidationError, match="Under embargo by Nature Medicine until .* Europe/London"):
        workflow.transition(ready, to=Status.PUBLISHED, by=users["editor"], move_name="publish")
    ready.refresh_from_db()
    assert ready.status == Status.IN_REVIEW


def test_a_schedule_before_the_lift_snaps_to_it(users, ready, embargo):
    early = timezone.now() + timedelta(hours=3)
    article = workflow.transition(ready, to=Status.PUBLISHED, by=users["editor"], published_at=early)
    assert article.published_at == embargo.lifts_at and article.awaiting_go_live


def test_a_schedule_after_the_lift_is_kept(users, ready, embargo):
    later = embargo.lifts_at + timedelta(hours=5)
    article = workflow.transition(ready, to=Status.PUBLISHED, by=users["editor"], published_at=later)
    assert article.published_at == later


def test_the_admin_says_the_schedule_snapped(client, users, ready, embargo):
    client.force_login(users["editor"])
    early = timezone.localtime(timezone.now() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("admin:articles_article_move", args=[ready.pk, "schedule"]),
        {"published_at": early},
        follow=True,
    )
    said = " ".join(str(m) for m in response.context["messages"])
    assert "Scheduled for the embargo's lift" in said and "Europe/London" in said


def test_a_moved_embargo_moves_the_schedule_and_the_history_says_so(users, ready, embargo):
    article = workflow.transition(
        ready, to=Status.PUBLISHED, by=users["editor"], published_at=embargo.lifts_at
    )
    previous = embargo.lifts_at
    embargo.lifts_at = previous + timedelta(days=1)
    embargo.save()
    moved = workflow.move_with_embargo(embargo, previous_lift=previous, by=users["editor"])
    article.refresh_from_db()
    assert moved == [article] and article.published_at == embargo.lifts_at
    assert article.events.first().action == ArticleEvent.Action.RESCHEDULED
    # the old go-live finds nothing to do: the schedule it was for has moved
    assert workflow.go_live_if_due(article.pk, previous, now=previous + timedelta(minutes=1)) is None


def test_the_embargo_form_takes_the_lift_in_the_journal_s_zone(client, users):
    client.force_login(users["editor"])
    response = client.post(
        reverse("admin:articles_embargo_add"),
        {"journal": "The Lancet", "paper": "Gene therapy in sickle cell disease",
         "lifts_local": "2027-01-14T23:30", "time_zone": "Europe/London"},
    )  # fmt: skip
    assert response.status_code == 302
    lift = Embargo.objects.get().lifts_at
    assert lift.astimezone(ZoneInfo("Europe/London")).strftime("%Y-%m-%d %H:%M") == "2027-01-14 23:30"


def test_the_calendar_shows_the_lift(users, make_article, embargo):
    article = make_article(author=users["writer"], embargo=embargo)
    day = timezone.localdate(embargo.lifts_at)
    found = [e for e in entries(day, day) if e.kind == EMBARGO]
    assert [e.article for e in found] == [article]
    assert found[0].when == timezone.localtime(embargo.lifts_at)


def test_a_preview_link_of_an_embargoed_draft_says_so(client, users, make_article, embargo):
    article = make_article(author=users["writer"], embargo=embargo)
    link = PreviewLink.objects.create(
        article=article, audience="the lead author", created_by=users["editor"],
        expires_at=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    page = client.get(reverse("articles:shared_preview", args=[sign_token(link.token)])).content.decode()
    assert "Under embargo by Nature Medicine until" in page


def test_moving_an_embargo_past_a_live_article_says_so(client, users, ready, embargo):
    article = workflow.transition(
        ready, to=Status.PUBLISHED, by=users["editor"], published_at=embargo.lifts_at
    )
    from articles.models import Article

    Article.objects.filter(pk=article.pk).update(  # it went live at the lift
        published_at=timezone.now() - timedelta(minutes=5), awaiting_go_live=False
    )
    client.force_login(users["editor"])
    later = timezone.localtime(timezone.now() + timedelta(days=5), ZoneInfo("Europe/London"))
    response = client.post(
        reverse("admin:articles_embargo_change", args=[embargo.pk]),
        {"journal": embargo.journal, "paper": embargo.paper, "lifts_local": later.strftime("%Y-%m-%dT%H:%M"),
         "time_zone": "Europe/London"},
        follow=True,
    )  # fmt: skip
    said = " ".join(str(m) for m in response.context["messages"])
    assert "is already live, before the embargo's new lift" in said

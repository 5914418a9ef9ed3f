"""Random walks through the desk: whatever anyone does, in whatever order, the desk's promises hold.

Hypothesis drives a state machine over three articles and two patient stories. At each step a random
person (two writers, a medical reviewer, an editor, a privacy officer) tries a random thing through the
code the desk itself uses: the workflow and case services, and the admin forms where they are the only
way (editing an article, editing a story or linking it to an article). Refusals are part of the walk.
After every step:

* a published article has a current medical sign-off by someone other than its author;
* every story a public article tells is cleared, with consent on file;
* every status change has exactly one audit entry that names it, and nothing else moves status;
* no writer has ever published or scheduled anything.

The run is derandomized (the same 200 walks of 20 steps every time), so CI is deterministic.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from articles import services, workflow
from articles.models import Article, ArticleEvent, ArticleRevision, Status
from cases import services as case_services
from cases.models import Case, Consent, PrivacyStatus

Action = ArticleEvent.Action
PEOPLE = ["writer", "other_writer", "medical_reviewer", "editor", "privacy_officer"]
REFUSED = (PermissionDenied, ValidationError)

people = st.sampled_from(PEOPLE)
article_index = st.integers(min_value=0, max_value=2)
case_index = st.integers(min_value=0, max_value=1)


def _status_changes(article_pk) -> int:
    return sum(1 for e in ArticleEvent.objects.filter(article_id=article_pk) if e.from_status != e.to_status)


class DeskWalk(RuleBasedStateMachine):
    users: dict = {}  # set by the test before the run

    @initialize()
    def open_the_desk(self):
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self._clock = time_machine.travel(timezone.now(), tick=True)
        self._time = self._clock.start()
        self.clients = {}
        writer, editor = self.users["writer"], self.users["editor"]
        self.articles = [
            Article.objects.create(title=f"Walk article {n}", standfirst="Standfirst.", plain_summary="In short.",
                                   body=f"<p>Body {n}.</p>", author=author)
            for n, author in enumerate([writer, writer, editor])
        ]  # fmt: skip
        for article in self.articles:
            services.record_revision(article, article.author)
        self.cases = []
        for n in range(2):
            case = Case.objects.create(label=f"Adult with a blood cancer, walk {n}", outcome="In remission.")
            Consent.objects.create(case=case, signed_on=timezone.localdate() - timedelta(days=10),
                                   scope_web=True, form=f"consent/walk/{n}.pdf")  # fmt: skip
            self.cases.append(case)
        # Start from a desk in full swing: article 0 is live and tells story 0, article 1 is signed off in
        # review, article 2 (an editor's) is a draft; story 1 is cleared but not linked yet.
        u = self.users
        self.cases[0].articles.add(self.articles[0])
        for article in self.articles[:2]:
            workflow.transition(article, to=Status.IN_REVIEW, by=u["writer"], move_name="submit")
            workflow.sign_off(article, by=u["medical_reviewer"])
        for case in self.cases:
            case_services.case_clear(case, by=u["privacy_officer"], justification="Checked.")
        workflow.transition(self.articles[0], to=Status.PUBLISHED, by=u["editor"], move_name="publish")
        self._remember()

    def teardown(self):
        if hasattr(self, "_atomic"):
            self._clock.stop()
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

    # --- helpers --------------------------------------------------------------------------------

    def _remember(self):
        self.seen = {
            a.pk: (Article.objects.get(pk=a.pk).status, _status_changes(a.pk)) for a in self.articles
        }

    def _article(self, i) -> Article:
        return Article.objects.get(pk=self.articles[i].pk)

    def _case(self, i) -> Case:
        return Case.objects.get(pk=self.cases[i].pk)

    def _client(self, who) -> Client:
        if who not in self.clients:
            self.clients[who] = Client()
            self.clients[who].force_login(self.users[who])
        return self.clients[who]

    def _try(self, do):
        try:
            with transaction.atomic():
                do()
        except REFUSED:
            pass

    # --- what people do -------------------------------------------------------------------------

    @rule(who=people, i=article_index, words=st.sampled_from(["new result", "a caveat", "Body 0."]))
    def edit_article(self, who, i, words):
        article = self._article(i)
        self._client(who).post(
            reverse("admin:articles_article_change", args=[article.pk]),
            {"title": article.title, "slug": article.slug, "language": article.language, "standfirst": article.standfirst,
             "body": f"<p>{words}</p>", "byline": article.byline, "base_version": article.version,
             "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0", "references-TOTAL_FORMS": "0", "references-INITIAL_FORMS": "0", "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"},
        )  # fmt: skip

    @rule(who=people, i=article_index)
    def submit(self, who, i):
        self._try(lambda: workflow.transition(self._article(i), to=Status.IN_REVIEW, by=self.users[who],
                                              move_name="submit"))  # fmt: skip

    @rule(who=people, i=article_index)
    def request_changes(self, who, i):
        self._try(lambda: workflow.transition(self._article(i), to=Status.DRAFT, by=self.users[who],
                                              comment="Check the dose.", move_name="request_changes"))  # fmt: skip

    @rule(who=people, i=article_index)
    def sign_off(self, who, i):
        self._try(lambda: workflow.sign_off(self._article(i), by=self.users[who]))

    @rule(who=people, i=article_index)
    def publish(self, who, i):
        self._try(lambda: workflow.transition(self._article(i), to=Status.PUBLISHED, by=self.users[who],
                                              move_name="publish"))  # fmt: skip

    @rule(who=people, i=article_index, hours=st.integers(min_value=1, max_value=48))
    def schedule(self, who, i, hours):
        self._try(lambda: workflow.transition(
            self._article(i), to=Status.PUBLISHED, by=self.users[who], move_name="schedule",
            published_at=timezone.now() + timedelta(hours=hours)))  # fmt: skip

    @rule(hours=st.integers(min_value=1, max_value=72))
    def time_passes_and_the_scheduler_runs(self, hours):
        self._time.shift(timedelta(hours=hours))
        workflow.publish_due()

    @rule(who=people, i=article_index, retract=st.booleans())
    def take_down(self, who, i, retract):
        move, to = ("retract", Status.RETRACTED) if retract else ("unpublish", Status.DRAFT)
        self._try(lambda: workflow.transition(self._article(i), to=to, by=self.users[who],
                                              comment="Taken down.", move_name=move))  # fmt: skip

    @rule(who=people, i=article_index, number=st.integers(min_value=1, max_value=4))
    def restore_revision(self, who, i, number):
        revision = ArticleRevision.objects.filter(article=self.articles[i], number=number).first()
        if revision is not None:
            self._try(lambda: services.restore_revision(revision, by=self.users[who]))

    @rule(who=people, c=case_index)
    def clear_case(self, who, c):
        self._try(
            lambda: case_services.case_clear(self._case(c), by=self.users[who], justification="Checked.")
        )

    @rule(who=people, c=case_index)
    def withdraw_consent(self, who, c):
        self._try(lambda: case_services.case_withdraw_consent(self._case(c), by=self.users[who],
                                                              reason="Phoned the desk."))  # fmt: skip

    @rule(who=people, c=case_index, outcome=st.sampled_from(["In remission.", "Back at work."]),
          links=st.sets(article_index, max_size=2))  # fmt: skip
    def edit_or_link_case(self, who, c, outcome, links):
        case = self._case(c)
        data = {"label": case.label, "articles": [self.articles[i].pk for i in sorted(links)],
                "age_band": case.age_band, "sex": case.sex, "follow_up": case.follow_up, "outcome": outcome,
                "narrative": case.narrative}  # fmt: skip
        for prefix in ("consents", "consents-2", "events"):
            data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
        self._client(who).post(reverse("admin:cases_case_change", args=[case.pk]), data)

    # --- what must always hold ------------------------------------------------------------------

    @invariant()
    def published_articles_carry_a_current_sign_off_by_someone_else(self):
        for article in Article.objects.filter(status=Status.PUBLISHED):
            review = article.current_sign_off()
            assert review is not None, f"{article.title} is published without a current sign-off"
            assert review.actor_id != article.author_id

    @invariant()
    def public_articles_tell_only_cleared_stories_with_consent(self):
        for article in Article.objects.public():
            for case in article.cases.all():
                assert case.privacy_status == PrivacyStatus.CLEARED, f"{case.reference} on a public article"
                assert case.current_consent() is not None, f"{case.reference} has no consent in force"

    @invariant()
    def every_status_change_has_its_audit_entry(self):
        for article in self.articles:
            status = Article.objects.get(pk=article.pk).status
            before, changes_before = self.seen[article.pk]
            changes = _status_changes(article.pk)
            if status == before:
                assert changes == changes_before, "an audit entry names a status change that did not happen"
            else:
                assert changes == changes_before + 1, "a status change without exactly one audit entry"
                last = (
                    ArticleEvent.objects.filter(article_id=article.pk).order_by("-created_at", "-pk").first()
                )
                assert (last.from_status, last.to_status) == (before, status)
        self._remember()

    @invariant()
    def no_writer_ever_publishes(self):
        writers = [self.users["writer"], self.users["other_writer"]]
        assert not ArticleEvent.objects.filter(
            action__in=[Action.PUBLISHED, Action.SCHEDULED], actor__in=writers
        ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("walks", [6, pytest.param(200, marks=pytest.mark.slow)])
def test_the_desk_keeps_its_promises_on_random_walks(users, walks):
    DeskWalk.users = users
    run_state_machine_as_test(
        DeskWalk,
        settings=settings(
            max_examples=walks,
            stateful_step_count=20,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )

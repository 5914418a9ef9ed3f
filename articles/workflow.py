"""How an article moves from draft to the public and back: the one place that writes `Article.status`.

`MOVES` is the policy table. The admin's buttons come from `available_moves()`, which reads it, and
`transition()` enforces it, so what an editor is offered and what the desk allows cannot drift apart.
Medical sign-off is not a state but an event tied to the exact text (`sign_off`). Publishing runs the
publish gates listed in `settings.NEWSDESK_PUBLISH_GATES`; each returns readable problems.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from articles import notifications, standards
from articles.models import Article, ArticleEvent, Embargo, Status
from articles.roles import holds

log = logging.getLogger("newsdesk.workflow")
Action = ArticleEvent.Action


class TransitionNotAllowed(PermissionDenied):
    """The user may not make this move on this article (wrong state, missing permission, own article)."""


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    source: Status
    target: Status
    permission: str
    action: str
    comment_required: bool = False
    not_by_author: bool = False  # the four-eyes rule
    author_or_reviewer: bool = False  # a writer submits their own drafts; editors may submit anyone's
    runs_gates: bool = False
    scheduled: bool | None = None  # for moves to PUBLISHED: True schedules, False publishes now
    only_once_public: bool = False  # retracting needs readers to have seen it; unpublish a scheduled one
    permanent: bool = False  # cannot be undone: the desk asks the person to confirm it
    checks_content: bool = False  # the desk's blocking content checks must pass (articles.standards)


TAKE_DOWN_PERMISSION = "articles.take_down_article"  # the privacy officer's: take down, fix, resubmit
SYSTEM_MOVES = {"take_down"}  # moves the desk makes by itself (`by=None`), when a rule lapses

MOVES: dict[str, Move] = {
    move.name: move
    for move in [
        Move("submit", _("Submit for review"), Status.DRAFT, Status.IN_REVIEW, "articles.submit_article",
             Action.SUBMITTED, author_or_reviewer=True, checks_content=True),
        Move("request_changes", _("Request changes"), Status.IN_REVIEW, Status.DRAFT,
             "articles.review_article", Action.CHANGES_REQUESTED, comment_required=True),
        Move("publish", _("Publish now"), Status.IN_REVIEW, Status.PUBLISHED, "articles.publish_article",
             Action.PUBLISHED, not_by_author=True, runs_gates=True, scheduled=False),
        Move("schedule", _("Schedule"), Status.IN_REVIEW, Status.PUBLISHED, "articles.publish_article",
             Action.SCHEDULED, not_by_author=True, runs_gates=True, scheduled=True),
        Move("unpublish", _("Unpublish"), Status.PUBLISHED, Status.DRAFT,
             "articles.unpublish_article", Action.UNPUBLISHED, comment_required=True),
        Move("retract", _("Retract"), Status.PUBLISHED, Status.RETRACTED,
             "articles.unpublish_article", Action.RETRACTED, comment_required=True, only_once_public=True,
             permanent=True),
        Move("take_down", _("Take down for privacy"), Status.PUBLISHED, Status.DRAFT,
             TAKE_DOWN_PERMISSION, Action.TAKEN_DOWN, comment_required=True),
    ]
}  # fmt: skip

SIGN_OFF_PERMISSION = "articles.sign_off_article"
CONFIRM_REVIEW_PERMISSION = "articles.confirm_review_article"  # an object permission (articles.access)


def _is_author(article: Article, user) -> bool:
    return article.author_id is not None and article.author_id == user.pk


def move_refusal(move: Move, article: Article, user) -> str | None:
    """Why `user` may not make `move` on `article` now, or None when they may."""
    if article.status != move.source:
        return _("“%(title)s” is %(status)s, so it cannot be moved with “%(move)s”.") % {
            "title": article.title,
            "status": article.get_status_display().lower(),
            "move": move.label,
        }
    if not holds(user, move.permission):
        return _("You do not have permission to %(move)s.") % {"move": str(move.label).lower()}
    if move.not_by_author and user.pk in article.writer_ids():
        return _("You wrote or edited this text, so another editor must publish it (four-eyes rule).")
    if move.only_once_public and article.published_at and article.published_at > timezone.now():
        return _("“%(title)s” has not gone live yet. Unpublish it instead.") % {"title": article.title}
    if move.author_or_reviewer and not (
        _is_author(article, user)
        or holds(user, "articles.review_article")
        or holds(user, TAKE_DOWN_PERMISSION)
    ):
        return _("Only the article's owner or an editor can submit it.")
    return None


def move_permission(move: Move) -> str:
    """The object permission deciding `move`, registered by articles.access: "articles.publish_article"."""
    return f"articles.{move.name}_article"


def available_moves(article: Article, user) -> list[Move]:
    """The moves `user` may make on `article` now: exactly the buttons the admin shows."""
    return [move for move in MOVES.values() if rules.has_perm(move_permission(move), user, article)]


def _move_for(article: Article, to: str, published_at: datetime | None) -> Move:
    candidates = [m for m in MOVES.values() if m.source == article.status and m.target == to]
    if not candidates:
        raise TransitionNotAllowed(
            _("An article that is %(status)s cannot become %(to)s.")
            % {"status": article.get_status_display().lower(), "to": Status(to).label.lower()}
        )
    if to == Status.PUBLISHED:
        scheduled = published_at is not None and published_at > timezone.now()
        return next(m for m in candidates if m.scheduled == scheduled)
    return candidates[0]


@transaction.atomic
def transition(
    article: Article,
    *,
    to: str,
    by,
    comment: str = "",
    published_at: datetime | None = None,
    move_name: str | None = None,
):
    """Move `article` to the status `to` on behalf of `by`, or raise.

    Raises `TransitionNotAllowed` (a PermissionDenied) when the state, permission or four-eyes rule
    forbid the move, and `ValidationError` with readable reasons when the move is allowed but not ready
    (a missing comment, a publish gate). Publishing with a future `published_at` schedules. A button
    names its move (`move_name`): that move and no other is made, so "Request changes" pressed on a
    page gone stale never unpublishes the article that has since gone live. `by=None` is the desk
    itself (a rule of another app that lapsed), allowed only for the moves in SYSTEM_MOVES.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    if move_name is not None:
        move = MOVES[move_name]
        if move.target != to:
            raise TransitionNotAllowed(_("That button does not lead there."))
    else:
        move = _move_for(article, to, published_at)
    if by is None:
        if move.name not in SYSTEM_MOVES or article.status != move.source:
            raise TransitionNotAllowed(_("Only a person can make this move."))
    elif not rules.has_perm(move_permission(move), by, article):
        raise TransitionNotAllowed(move_refusal(move, article, by))
    comment = comment.strip()
    if move.comment_required and not comment:
        raise ValidationError(
            {"comment": _("Say what needs to change, or why, so the next person knows what to do.")}
        )
    if move.checks_content and (problems := standards.submission_problems(article)):
        raise ValidationError(problems)
    from_status = article.status
    if move.target == Status.PUBLISHED:
        article.published_at = published_at or timezone.now()
        if move.scheduled and article.embargo_id and article.published_at < article.embargo.lifts_at:
            article.published_at = article.embargo.lifts_at  # a schedule under embargo snaps to its lift
        if move.runs_gates and (problems := publish_problems(article)):
            raise ValidationError(problems)
        article.published_review = article.current_sign_off()
    elif move.target == Status.DRAFT and from_status == Status.PUBLISHED:
        article.published_at = None
    # A retracted article keeps its date: its address stays, with the notice (the comment) for a body.
    article.status = move.target
    article.awaiting_go_live = bool(move.scheduled)
    article.save(update_fields=["status", "published_at", "awaiting_go_live", "published_review"])
    _record(article, by, move.action, from_status, move.target, comment)
    if move.scheduled:
        _go_live_when_due(article)
    # After the commit, and robust: a mail server that is down must not turn a done move into an error.
    transaction.on_commit(lambda: notifications.article_moved(article, move.action, by, comment), robust=True)
    return article


def sign_off(article: Article, *, by, comment: str = "", answers: dict | None = None):
    """A medical reviewer vouches for the clinical accuracy of exactly the text as it is now, with her
    answers to the review questions (`standards.REVIEW_QUESTIONS`) where the desk's form asked them."""
    if answers is not None and (problem := standards.answers_problem(answers)):
        raise ValidationError(problem)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if not rules.has_perm(SIGN_OFF_PERMISSION, by, article):
            if not holds(by, SIGN_OFF_PERMISSION):
                raise TransitionNotAllowed(_("Only a medical reviewer can sign off an article."))
            if by.pk in article.writer_ids():
                raise TransitionNotAllowed(_("You wrote this text, so another reviewer must sign it off."))
            raise TransitionNotAllowed(_("Only an article in review can be signed off. Submit it first."))
        event = _record(
            article, by, Action.SIGNED_OFF, article.status, article.status, comment.strip(), answers
        )
        _set_next_review(article, event)
    transaction.on_commit(
        lambda: notifications.article_moved(article, Action.SIGNED_OFF, by, comment), robust=True
    )
    return event


def confirm_review(article: Article, *, by, comment: str = ""):
    """A medical reviewer re-reads a live article at its review date and confirms it still holds.

    One click, no edit: it records a review of the same exact text and starts a new review cycle.
    If the text needs changing, the article is unpublished and goes through review again instead.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if not rules.has_perm(CONFIRM_REVIEW_PERMISSION, by, article):
            if not holds(by, SIGN_OFF_PERMISSION):
                raise TransitionNotAllowed(_("Only a medical reviewer can confirm a review."))
            if by.pk in article.writer_ids():
                raise TransitionNotAllowed(_("You wrote this text, so another reviewer must review it."))
            raise TransitionNotAllowed(_("Only a published or scheduled article has a review to confirm."))
        if article.current_sign_off() is None:
            raise ValidationError(
                _("This text has no earlier sign-off to confirm. Unpublish it and send it through review.")
            )
        event = _record(article, by, Action.RE_REVIEWED, article.status, article.status, comment.strip())
        _set_next_review(article, event)
        Article.objects.filter(pk=article.pk).update(published_review=event)
    return event


def next_review_date(reviewed_on: date) -> date:
    return reviewed_on + timedelta(days=settings.NEWSDESK_REVIEW_CYCLE_DAYS)


def _set_next_review(article: Article, review: ArticleEvent) -> None:
    # update(), not save(): a review is not an edit, so it must not make an open edit page stale.
    article.review_due = next_review_date(timezone.localdate(review.created_at))
    Article.objects.filter(pk=article.pk).update(review_due=article.review_due)


def sent_back(article: Article) -> ArticleEvent | None:
    """The request for changes that returned this draft to its writer, while it is the latest move."""
    if article.status != Status.DRAFT:
        return None
    latest = article.events.select_related("actor").order_by("-created_at", "-pk").first()
    return latest if latest is not None and latest.action == Action.CHANGES_REQUESTED else None


def sign_off_is_current(article: Article) -> list[str]:
    """Publish gate: the text going out has a current medical sign-off."""
    if article.current_sign_off() is None:
        if article.events.filter(action=Action.SIGNED_OFF).exists():
            return [
                str(
                    _("The text changed after its medical sign-off. Ask a medical reviewer to sign it again.")
                )
            ]
        return [str(_("No medical reviewer has signed off this text yet. Ask one to review it."))]
    return []


def embargo_has_lifted(article: Article) -> list[str]:
    """Publish gate: an article tied to a journal embargo goes out at its lift, not before."""
    embargo = article.embargo if article.embargo_id else None
    if embargo is not None and embargo.is_on(article.published_at or timezone.now()):
        return [
            _("Under embargo by %(journal)s until %(lift)s. Schedule it: the schedule snaps to the lift.")
            % {"journal": embargo.journal, "lift": embargo.lift_label}
        ]
    return []


@transaction.atomic
def move_with_embargo(embargo: Embargo, *, previous_lift: datetime, by) -> list[Article]:
    """The journal moved its embargo: each scheduled article tied to it that was set for the old lift, or
    now falls before the new one, goes out at the new lift instead, and its history says so."""
    moved = []
    scheduled = Article.objects.select_for_update().filter(
        embargo=embargo, status=Status.PUBLISHED, awaiting_go_live=True
    )
    for article in scheduled:
        if article.published_at == embargo.lifts_at or (
            article.published_at != previous_lift and article.published_at > embargo.lifts_at
        ):
            continue
        was = article.published_at
        article.published_at = embargo.lifts_at
        article.save(update_fields=["published_at"])
        comment = _("The embargo moved from %(was)s to %(now)s.") % {
            "was": timezone.localtime(was).strftime("%d %b %Y %H:%M %Z"),
            "now": timezone.localtime(article.published_at).strftime("%d %b %Y %H:%M %Z"),
        }
        _record(article, by, Action.RESCHEDULED, Status.PUBLISHED, Status.PUBLISHED, comment)
        _go_live_when_due(article)
        moved.append(article)
    return moved


def publish_problems(article: Article) -> list[str]:
    """Everything the publish gates say stands between `article` and the public."""
    return [
        str(problem) for path in settings.NEWSDESK_PUBLISH_GATES for problem in import_string(path)(article)
    ]


def publish_due(now: datetime | None = None) -> dict[str, list[Article]]:
    """Go-live for every scheduled article whose time has come: what each one's `go_live` task does,
    swept up by the desk's clock in case a task was lost (a worker's database restored, say)."""
    now = now or timezone.now()
    went_live, held_back = [], []
    due = Article.objects.filter(status=Status.PUBLISHED, awaiting_go_live=True, published_at__lte=now)
    for pk, moment in due.values_list("pk", "published_at"):
        outcome = go_live_if_due(pk, moment, now=now)
        if outcome is not None:
            (went_live if outcome.status == Status.PUBLISHED else held_back).append(outcome)
    return {"went_live": went_live, "held_back": held_back}


@task
def go_live(article_id: int, scheduled_for: str) -> str:
    """The task `transition()` enqueues when it schedules: at the article's time, `go_live_if_due`."""
    outcome = go_live_if_due(article_id, datetime.fromisoformat(scheduled_for))
    return "skipped" if outcome is None else outcome.status


def go_live_if_due(article_id: int, scheduled_for: datetime, now: datetime | None = None) -> Article | None:
    """Put a scheduled article before readers, re-running the publish gates at the last moment: one whose
    text lost its sign-off, or whose other gates began to fail, while it waited is held back (back to draft)
    instead. Readers never see it before this check (`Article.objects.public()` waits for it).

    None when there is nothing to do: the article was unpublished or rescheduled since (a stale task),
    its time has not come, or it already went live.
    """
    now = now or timezone.now()
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=article_id).first()
        if (
            article is None
            or article.status != Status.PUBLISHED
            or not article.awaiting_go_live
            or article.published_at != scheduled_for
            or article.published_at > now
        ):
            return None
        article.awaiting_go_live = False
        if problems := publish_problems(article):
            article.status, article.published_at = Status.DRAFT, None
            article.save(update_fields=["status", "published_at", "awaiting_go_live"])
            action, comment = Action.HELD_BACK, " ".join(problems)
        else:
            article.published_review = article.current_sign_off()
            article.save(update_fields=["awaiting_go_live", "published_review"])
            action, comment = Action.WENT_LIVE, ""
        _record(article, None, action, Status.PUBLISHED, article.status, comment)
    notifications.article_moved(article, action, None, comment)
    return article


def _go_live_when_due(article: Article) -> None:
    """Once the transaction commits, queue `go_live` for the article's publication time."""
    pk, moment = article.pk, article.published_at
    transaction.on_commit(
        lambda: go_live.using(run_after=moment).enqueue(pk, moment.isoformat()), robust=True
    )


def _record(article, by, action, from_status, to_status, comment, answers=None) -> ArticleEvent:
    event = ArticleEvent.record(
        article,
        by=by,
        action=action,
        comment=comment,
        from_status=from_status,
        to_status=to_status,
        answers=answers,
    )
    log.info(
        "article %s: %s by %s (%s -> %s)",
        article.pk,
        action,
        getattr(by, "pk", "scheduler"),
        from_status,
        to_status,
    )
    return event


def keep_published_reviews() -> None:
    """Published articles that arrived outside `transition` (the demo's fixtures) keep the review of their
    text, as publishing them would have."""
    for article in Article.objects.filter(status=Status.PUBLISHED, published_review=None):
        if (review := article.current_sign_off()) is not None:
            Article.objects.filter(pk=article.pk).update(published_review=review)

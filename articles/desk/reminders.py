"""Reminders that an article's medical review falls due, then that it is overdue: each sent once."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from articles import notifications
from articles.models import Article, ArticleEvent, ReviewReminder

log = logging.getLogger("newsdesk.reminders")


def reminder_due(article: Article, today: date) -> str | None:
    """Which reminder `article` is owed today, if any (before checking what was already sent)."""
    if article.review_due is None:
        return None
    if today > article.review_due:
        return ReviewReminder.Kind.OVERDUE
    if today >= article.review_due - timedelta(days=settings.NEWSDESK_REVIEW_NOTICE_DAYS):
        return ReviewReminder.Kind.DUE
    return None


def recipients(article: Article) -> list[str]:
    """The article's owner and everyone who has reviewed it, if active and with an address."""
    reviewer_ids = article.events.filter(action__in=ArticleEvent.REVIEW_ACTIONS).values("actor")
    people = (
        get_user_model()
        .objects.filter(Q(pk__in=reviewer_ids) | Q(pk=article.author_id), is_active=True)
        .exclude(email="")
    )
    return sorted({person.email for person in people})


def send_review_reminders(today: date | None = None) -> list[ReviewReminder]:
    """Send every reminder owed today that has not gone out yet for the article's current due date.

    Safe to run as often as you like and from several machines: the reminder row and the mail share a
    transaction, and the row is unique per article, kind and due date. A failing mail server leaves no
    row, so the next run tries again.
    """
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.NEWSDESK_REVIEW_NOTICE_DAYS)
    sent = []
    articles = (
        Article.objects.review_due_by(horizon)
        .exclude(expires_at__lte=timezone.now())
        .select_related("author")
    )
    for article in articles:
        kind = reminder_due(article, today)
        if kind is None:
            continue
        to = recipients(article)
        try:
            with transaction.atomic():
                reminder, created = ReviewReminder.objects.get_or_create(
                    article=article, kind=kind, due_on=article.review_due, defaults={"sent_to": to}
                )
                if created:
                    notifications.review_reminder(article, to, overdue=kind == ReviewReminder.Kind.OVERDUE)
        except IntegrityError:  # another run sent it a moment ago
            continue
        except Exception:
            log.exception("review reminder for article %s not sent; the next run tries again", article.pk)
            continue
        if created:
            log.info("review %s reminder for article %s sent to %d people", kind, article.pk, len(to))
            sent.append(reminder)
    return sent

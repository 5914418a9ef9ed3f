"""E-mail to the next person in the chain when an article enters their queue.

Mail carries the headline and a link to the admin, never anything from the body. Each message is a `deliver`
task on the worker, queued when the move commits: a slow or failing mail server never holds a request or
undoes a move, and a failure is logged.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db.models import Q
from django.tasks import task
from django.urls import reverse

from articles.models import ArticleEvent

log = logging.getLogger("newsdesk.notifications")
Action = ArticleEvent.Action

# Which permission marks the queue an action feeds, and what its holders are asked to do.
NEXT_QUEUE = {
    Action.SUBMITTED: ("articles.sign_off_article", "is waiting for your medical review"),
    Action.SIGNED_OFF: ("articles.publish_article", "is signed off and ready to publish or schedule"),
    Action.HELD_BACK: ("articles.publish_article", "was held back at its scheduled time"),
}
TO_OWNER = {
    Action.CHANGES_REQUESTED: "came back with requested changes",
    Action.PUBLISHED: "is published",
    Action.SCHEDULED: "is scheduled",
    Action.WENT_LIVE: "went live as scheduled",
    Action.HELD_BACK: "was held back at its scheduled time",
    Action.UNPUBLISHED: "was unpublished",
    Action.RETRACTED: "was retracted",
}


def holders_of(permission: str):
    app_label, codename = permission.split(".")
    perm = Q(content_type__app_label=app_label, codename=codename)
    perms = Permission.objects.filter(perm)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=perms) | Q(user_permissions__in=perms))
        .exclude(email="")
        .distinct()
    )


def admin_link(obj) -> str:
    return settings.NEWSDESK_BASE_URL + reverse(
        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
    )


def review_reminder(article, recipients: list[str], *, overdue: bool) -> None:
    """Tell an article's owner and reviewers that its medical review falls due, or is overdue.

    Raises if the mail server fails, so that the caller keeps the reminder for its next run.
    """
    due = article.review_due.strftime("%-d %B %Y")
    what = (
        f"medical review was due on {due} and is overdue" if overdue else f"medical review falls due on {due}"
    )
    body = [
        f"The {what}: “{article.title}”.",
        "",
        "A medical reviewer can confirm it in one click if it still holds, or an editor can unpublish it",
        "for changes. Reviews due: "
        + settings.NEWSDESK_BASE_URL
        + reverse("admin:articles_article_reviews_due"),
        "",
        f"Open it: {admin_link(article)}",
    ]
    for email in recipients:
        send_mail(
            f"[Newsdesk] Review {'overdue' if overdue else 'due'}: {article.title}",
            "\n".join(body),
            None,
            [email],
        )


def article_moved(article, action, by, comment=""):
    recipients: dict[str, str] = {}
    if action in NEXT_QUEUE:
        permission, ask = NEXT_QUEUE[action]
        for user in holders_of(permission):
            recipients[user.email] = ask
    if action in TO_OWNER and article.author and article.author.email and article.author.is_active:
        recipients.setdefault(article.author.email, TO_OWNER[action])
    if by is not None and by.email in recipients:
        del recipients[by.email]
    link = admin_link(article)
    for email, what in recipients.items():
        body = [f"“{article.title}” {what}.", ""]
        if comment:
            body += [
                f"Comment from {by.get_full_name() or by.get_username() if by else 'Newsdesk'}:",
                comment,
                "",
            ]
        body += [f"Open it: {link}"]
        deliver.enqueue(f"[Newsdesk] {article.title} {what}", "\n".join(body), email)


@task
def deliver(subject: str, body: str, to: str) -> bool:
    """Send one desk e-mail, on the worker. A failing mail server is logged; what the mail tells of
    stays in the desk's queues and history."""
    try:
        send_mail(subject, body, None, [to])
    except Exception:
        log.exception("could not e-mail %s: %s", to, subject)
        return False
    return True

"""E-mail to the next person in the chain when an article enters their queue.

Mail carries the headline and a link to the admin, never case details. Sending runs after the move's
transaction commits, and a failing mail server never undoes a move: it is logged instead.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db.models import Q
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
    link = settings.NEWSDESK_BASE_URL + reverse("admin:articles_article_change", args=[article.pk])
    for email, what in recipients.items():
        body = [f"“{article.title}” {what}.", ""]
        if comment:
            body += [
                f"Comment from {by.get_full_name() or by.get_username() if by else 'Newsdesk'}:",
                comment,
                "",
            ]
        body += [f"Open it: {link}"]
        try:
            send_mail(f"[Newsdesk] {article.title} {what}", "\n".join(body), None, [email])
        except Exception:  # the move stands; the desk can see it in the queue
            log.exception("could not e-mail %s about article %s", email, article.pk)

"""Editorial comments: private, threaded notes from the desk on an article, or on any item another app
registers with `takes_comments()`.

A thread is a first comment and its replies (one level: a reply to a reply joins the same thread). A
thread is open until someone resolves it, and can be reopened. Comments never reach readers: no public
view, feed, sitemap, search or spreadsheet export reads this table.

Who may do what:

* Comment or reply: anyone who may view the item in the admin (the object permission
  `<app>.comment_<model>`, which the access table registers: `articles.comment_article`).
* Resolve or reopen a thread: its first comment's author, the item's owner (its `author`, where it has
  one), or whoever holds the item's review permission (`articles.review_article` on an article: editors
  and medical reviewers; the registering app names its own).

Who hears about it: the item's followers (see `followers()`), by e-mail, once the comment is saved. Mail
names the item as its app says (an article by its headline) and quotes nothing but the comment.

Items are reached through their content type and the generic relation, so no app is imported here.
"""

import rules
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import notifications
from articles.models import Comment
from articles.notifications import admin_link
from articles.roles import holds

# The items that take comments (other apps add theirs with `takes_comments`), the permission that lets
# someone resolve any thread on them, how mail and messages name one, and the fields naming the people
# who follow it (its owner, say).
RESOLVE_PERMISSION = {"articles.article": "articles.review_article"}
NAMES = {"articles.article": lambda article: article.title}
FOLLOWED_BY = {"articles.article": ("author_id",)}


def takes_comments(label: str, *, resolve_permission: str, name, followed_by: tuple[str, ...] = ()) -> None:
    """Let the items of model `label` ("app.model") take comments."""
    RESOLVE_PERMISSION[label] = resolve_permission
    NAMES[label] = name
    FOLLOWED_BY[label] = followed_by


MAX_LENGTH = Comment._meta.get_field("body").max_length


def content_label(item) -> str:
    """The item's content label ("articles.article"); an item of no registered kind takes no comments."""
    label = item._meta.label_lower
    if label not in RESOLVE_PERMISSION:
        raise ValueError(f"{label} does not take editorial comments")
    return label


def item_name(item) -> str:
    """How mail and messages name the item: an article by its headline, others as their app says."""
    return NAMES[content_label(item)](item)


def may_comment(user, item) -> bool:
    """Whoever may view the item in the admin: the object permission `<app>.comment_<model>`."""
    app_label, model = content_label(item).split(".")
    return rules.has_perm(f"{app_label}.comment_{model}", user, item)


def may_resolve(user, comment, item) -> bool:
    """The thread's author, the item's owner, or a holder of the item's review permission."""
    if not may_comment(user, item):
        return False
    root = comment.parent or comment
    owner_id = getattr(item, "author_id", None)
    return (
        root.author_id == user.pk
        or (owner_id is not None and owner_id == user.pk)
        or holds(user, RESOLVE_PERMISSION[content_label(item)])
    )


def threads(item) -> list[Comment]:
    """The item's threads, oldest first, each with `.thread_replies` in order (one query)."""
    comments = list(Comment.objects.on(item).select_related("author", "resolved_by"))
    by_root: dict[int, Comment] = {}
    for comment in comments:
        if comment.parent_id is None:
            comment.thread_replies = []
            by_root[comment.pk] = comment
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in by_root:
            by_root[comment.parent_id].thread_replies.append(comment)
    return list(by_root.values())


def followers(item, *, acting=None):
    """Who hears about comments on `item`: the people its kind names (an article's author), everyone who
    commented on it, and everyone who made a recorded move on it (its history's actors). Only active
    people with an e-mail address who may still view the item; never the person acting."""
    ids = set(Comment.objects.on(item).values_list("author_id", flat=True))
    ids |= {getattr(item, field) for field in FOLLOWED_BY[content_label(item)]} - {None}
    events = getattr(item, "events", None)  # each kind's history, with an `actor`
    if events is not None:
        ids |= set(events.exclude(actor=None).values_list("actor_id", flat=True))
    if acting is not None:
        ids.discard(acting.pk)
    people = get_user_model().objects.filter(pk__in=ids, is_active=True).exclude(email="").order_by("pk")
    return [person for person in people if may_comment(person, item)]


@transaction.atomic
def post_comment(item, *, by, body: str, reply_to: Comment | None = None) -> Comment:
    """Add a comment to `item`, or a reply to the thread `reply_to` belongs to, and tell the followers."""
    if not may_comment(by, item):
        raise PermissionDenied(_("You cannot see this item, so you cannot comment on it."))
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something before posting the comment."))
    if len(body) > MAX_LENGTH:
        raise ValidationError(
            _("A comment holds at most %(max)d characters; this one has %(n)d. Shorten it or split it.")
            % {"max": MAX_LENGTH, "n": len(body)}
        )
    root = None
    if reply_to is not None:
        root = Comment.objects.on(item).filter(pk=reply_to.parent_id or reply_to.pk).first()
        if root is None:
            raise ValidationError(_("That thread belongs to another item. Reply on that item's page."))
    comment = Comment.objects.create(item=item, author=by, body=body, parent=root)
    if root is not None:
        # A reply asks a question again: the thread is open until someone resolves it anew.
        Comment.objects.filter(pk=root.pk).exclude(resolved_at=None).update(
            resolved_at=None, resolved_by=None
        )
    what = _("replied to a thread on") if root is not None else _("commented on")
    comment.notified = _notify_on_commit(item, by=by, what=what, quote=body, anchor=f"comment-{comment.pk}")
    return comment


@transaction.atomic
def resolve_thread(comment: Comment, *, by) -> Comment:
    """Mark the thread `comment` belongs to as resolved (always its first comment), and tell the followers."""
    root = Comment.objects.select_for_update().get(pk=(comment.parent_id or comment.pk))
    item = root.item
    if not may_resolve(by, root, item):
        raise PermissionDenied(
            _("Only the thread's author, the item's owner or a reviewer may resolve this thread.")
        )
    if root.resolved_at is None:
        root.resolved_at, root.resolved_by = timezone.now(), by
        root.save(update_fields=["resolved_at", "resolved_by"])
        root.notified = _notify_on_commit(
            item, by=by, what=_("resolved a thread on"), quote="", anchor=f"comment-{root.pk}"
        )
    return root


@transaction.atomic
def reopen_thread(comment: Comment, *, by) -> Comment:
    """Open a resolved thread again. The same people may reopen as may resolve. Nobody is e-mailed."""
    root = Comment.objects.select_for_update().get(pk=(comment.parent_id or comment.pk))
    if not may_resolve(by, root, root.item):
        raise PermissionDenied(
            _("Only the thread's author, the item's owner or a reviewer may reopen this thread.")
        )
    root.resolved_at, root.resolved_by = None, None
    root.save(update_fields=["resolved_at", "resolved_by"])
    return root


def _notify_on_commit(item, *, by, what: str, quote: str, anchor: str) -> int:
    """E-mail the followers once the transaction commits; returns how many will hear."""
    recipients = [person.email for person in followers(item, acting=by)]
    if recipients:
        transaction.on_commit(
            lambda: _send(item, by=by, what=what, quote=quote, anchor=anchor, to=recipients)
        )
    return len(recipients)


def _send(item, *, by, what, quote, anchor, to) -> None:
    """One e-mail per follower, sent on the worker as `notifications.article_moved`'s are."""
    who = by.get_full_name() or by.get_username()
    name = item_name(item)
    body = [f"{who} {what} “{name}”.", ""]
    if quote:
        body += [quote, ""]
    body += [f"Open it: {admin_link(item)}#{anchor}"]
    for email in to:
        notifications.deliver.enqueue(f"[Newsdesk] {who} {what} {name}", "\n".join(body), email)


@receiver(post_delete, dispatch_uid="comments_leave_with_their_item")
def comments_leave_with_their_item(sender, instance, **kwargs):
    """A generic relation has no cascade: when an item that takes comments is deleted, so are its notes."""
    if sender._meta.label_lower in RESOLVE_PERMISSION:
        Comment.objects.on(instance).delete()

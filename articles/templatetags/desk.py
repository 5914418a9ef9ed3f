"""The desk's template tags: the admin home's queues, and the comments panel of a change page."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from articles import access
from articles.desk import comments
from articles.models import Article, ArticleEvent, Status

register = template.Library()


@register.inclusion_tag("admin/articles/queue.html", takes_context=True)
def desk_queue(context):
    """The admin home's "waiting for you" panel: what each role must act on next."""
    from articles.desk.admin import needs_action_q

    user = context["request"].user
    waiting = Article.objects.filter(needs_action_q(user)).order_by("-updated_at")
    today = timezone.localdate()
    now = timezone.now()
    counts = Article.objects.aggregate(
        draft=Count("pk", filter=Q(status=Status.DRAFT)),
        in_review=Count("pk", filter=Q(status=Status.IN_REVIEW)),
        scheduled=Count("pk", filter=Q(status=Status.PUBLISHED, published_at__gt=now)),
        published=Count("pk", filter=Q(status=Status.PUBLISHED, published_at__lte=now)),
        retracted=Count("pk", filter=Q(status=Status.RETRACTED)),
    )
    return {
        "counts": [
            (Status.DRAFT.label, counts["draft"], "status__exact=draft"),
            (Status.IN_REVIEW.label, counts["in_review"], "status__exact=in_review"),
            (_("Scheduled"), counts["scheduled"], None),  # the calendar shows them
            (Status.PUBLISHED.label, counts["published"], "status__exact=published"),
            (Status.RETRACTED.label, counts["retracted"], "status__exact=retracted"),
        ],
        "recent": ArticleEvent.objects.select_related("actor", "article").order_by("-created_at", "-pk")[:8]
        if access.may(user, "view", access.ARTICLE)
        else [],
        "waiting": waiting[:8],
        "waiting_count": waiting.count(),
        "scheduled": Article.objects.filter(
            status=Status.PUBLISHED, published_at__gt=timezone.now()
        ).order_by("published_at")[:5]
        if access.may(user, "publish", access.ARTICLE)
        else [],
        "reviews_due": Article.objects.review_due_by(
            today + timedelta(days=settings.NEWSDESK_REVIEW_NOTICE_DAYS)
        ).count(),
        # Notices other rooms add (`NEWSDESK_HOME_NOTICES`): each a heading and its items.
        "notices": [
            notice for path in settings.NEWSDESK_HOME_NOTICES if (notice := import_string(path)(user))
        ],
    }


@register.inclusion_tag("admin/includes/comments.html", takes_context=True)
def comments_panel(context, item):
    """The "Comments" panel of an item's change page: threads, replies, resolving."""
    user = context["request"].user
    threads = comments.threads(item)
    for thread in threads:
        thread.can_resolve = comments.may_resolve(user, thread, item)
        thread.thread_comments = [thread, *thread.thread_replies]
    return {
        "item": item,
        "content_type_id": ContentType.objects.get_for_model(item).pk,
        "threads": threads,
        "open_count": sum(1 for thread in threads if thread.resolved_at is None),
        "can_comment": comments.may_comment(user, item),
        "csrf_token": context.get("csrf_token"),
    }

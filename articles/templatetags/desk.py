from datetime import timedelta

from django import template
from django.conf import settings
from django.utils import timezone

from articles import access
from articles.models import Article, Status

register = template.Library()


@register.inclusion_tag("admin/articles/queue.html", takes_context=True)
def desk_queue(context):
    """The admin home's "waiting for you" panel: what each role must act on next."""
    from articles.desk.admin import needs_action_q

    user = context["request"].user
    waiting = Article.objects.filter(needs_action_q(user)).order_by("-updated_at")
    today = timezone.localdate()
    return {
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
    }

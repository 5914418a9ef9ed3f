from django import template
from django.contrib.contenttypes.models import ContentType

from articles.desk import comments

register = template.Library()


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

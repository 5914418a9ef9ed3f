from django import template

from cases.privacy_desk import privacy_queue as queue

register = template.Library()


@register.inclusion_tag("admin/cases/privacy_queue.html", takes_context=True)
def privacy_queue(context):
    """The admin home's panel for the privacy officer: stories and articles waiting for her, with counts."""
    return queue(context["request"].user)

from django import template
from django.urls import reverse
from django.utils.html import format_html

from newsdesk.guide import PAGES

register = template.Library()


@register.simple_tag
def guide(page: str, label: str = ""):
    """A link from an admin screen to the page of the editor's guide about it."""
    if page not in PAGES:
        raise template.TemplateSyntaxError(f"The editor's guide has no page {page!r}.")
    return format_html(
        '<a class="guide-link" href="{}" target="_blank" rel="noopener">{} {}</a>',
        reverse("guide", args=[page]),
        "Guide:",
        label or PAGES[page],
    )

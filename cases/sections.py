"""The stories' sections of public article and topic pages (settings.NEWSDESK_PUBLIC_SECTIONS)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from cases.templatetags.stories import stories_about, stories_in

TEMPLATE = "cases/includes/story_list.html"


def stories_in_article(article) -> str:
    return render_to_string(TEMPLATE, stories_in(article, _("Patient stories in this article")))


def stories_about_topic(tag, kind) -> str:
    return render_to_string(TEMPLATE, stories_about(tag, kind))

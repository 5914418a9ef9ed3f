"""The stories' sections of public article and topic pages (settings.NEWSDESK_PUBLIC_SECTIONS). Only
`Case.objects.public()` ever reaches them."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from cases.models import Case

TEMPLATE = "cases/includes/story_list.html"


def stories_in_article(article) -> str:
    """The public stories an article tells.

    Most articles tell none, and one look at the article's links says so: building the gated query
    alone took longer (docs/scaling.md, "the stories block").
    """
    stories = []
    if Case.articles.through.objects.filter(article=article.pk).exists():
        stories = list(Case.objects.public(told_in=article))
    return render_to_string(TEMPLATE, {"stories": stories, "heading": _("Patient stories in this article")})


def stories_about_topic(tag, kind) -> str:
    """The public stories tagged with a disease (kind="diseases") or therapy (kind="therapies")."""
    field = "diseases" if kind == "diseases" else "therapies"
    stories = Case.objects.public().filter(**{field: tag}).most_recently_treated_first()
    return render_to_string(TEMPLATE, {"stories": list(stories[:12]), "heading": _("Patient stories")})

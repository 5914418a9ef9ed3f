"""The stories' sections of public article and topic pages (settings.NEWSDESK_PUBLIC_SECTIONS). Only
`Case.objects.public()` ever reaches them."""

from django.db import connection
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from cases.models import Case

TEMPLATE = "cases/includes/story_list.html"


def stories_in_article(article) -> str:
    """The public stories an article tells.

    Most articles tell none, and one look at the article's links says so, by hand-written SQL: building
    the gated query alone took longer, and so did the ORM's look (docs/scaling.md, "the stories block").
    """
    if not tells_any(article.pk):
        return ""
    stories = list(Case.objects.public(told_in=article))
    return render_to_string(TEMPLATE, {"stories": stories, "heading": _("Patient stories in this article")})


def tells_any(article_pk) -> bool:
    """Whether the article is linked to any story at all, public or not."""
    links = Case.articles.through._meta
    column = links.get_field("article").column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {connection.ops.quote_name(links.db_table)} "  # noqa: S608 - names from the model
            f"WHERE {connection.ops.quote_name(column)} = %s LIMIT 1",
            [article_pk],
        )
        return cursor.fetchone() is not None


def stories_about_topic(tag, kind) -> str:
    """The public stories tagged with a disease (kind="diseases") or therapy (kind="therapies")."""
    field = "diseases" if kind == "diseases" else "therapies"
    stories = Case.objects.public().filter(**{field: tag}).most_recently_treated_first()
    return render_to_string(TEMPLATE, {"stories": list(stories[:12]), "heading": _("Patient stories")})


def stories_on_home() -> str:
    """The newest public stories, as cards for the front page."""
    stories = list(Case.objects.public().most_recently_treated_first()[:3])
    return render_to_string(
        "cases/includes/story_cards.html", {"stories": stories, "heading": _("Patient stories")}
    )

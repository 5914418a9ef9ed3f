"""Patient stories on article and topic pages. Only `Case.objects.public()` ever reaches a template."""

from django import template

from cases.models import Case

register = template.Library()


@register.inclusion_tag("cases/includes/story_list.html")
def stories_in(article, heading="Patient stories"):
    """The public stories an article tells.

    Most articles tell none, and one look at the article's links says so: building the gated query
    alone took longer (1.2 ms, and 1.1 ms more to run it, at 10,000 articles).
    """
    if not Case.articles.through.objects.filter(article=article.pk).exists():
        return {"stories": [], "heading": heading}
    return {"stories": list(Case.objects.public(told_in=article).with_tags()), "heading": heading}


@register.inclusion_tag("cases/includes/story_list.html")
def stories_about(tag, kind, heading="Patient stories"):
    """The public stories tagged with a disease (kind="diseases") or therapy (kind="therapies")."""
    field = "diseases" if kind == "diseases" else "therapies"
    stories = Case.objects.public().filter(**{field: tag}).with_tags().most_recently_treated_first()
    return {"stories": list(stories[:12]), "heading": heading}

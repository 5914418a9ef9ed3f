"""Patient stories on article and topic pages. Only `Case.objects.public()` ever reaches a template."""

from django import template

from cases.models import Case

register = template.Library()


@register.inclusion_tag("cases/includes/story_list.html")
def stories_in(article, heading="Patient stories"):
    """The public stories an article tells."""
    return {"stories": list(Case.objects.public(told_in=article).with_tags()), "heading": heading}


@register.inclusion_tag("cases/includes/story_list.html")
def stories_about(tag, kind, heading="Patient stories"):
    """The public stories tagged with a disease (kind="diseases") or therapy (kind="therapies")."""
    field = "diseases" if kind == "diseases" else "therapies"
    stories = (
        Case.objects.public().filter(**{field: tag}).with_tags().order_by("-treatment_year", "reference")
    )
    return {"stories": list(stories[:12]), "heading": heading}

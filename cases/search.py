"""Patient stories in the public search, beside the articles (`NEWSDESK_SEARCH_FINDS`). Only
`Case.objects.public()` ever reaches it, and only the texts readers see there are searched."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.cache_keys import shows
from articles.public.search import enough, finds
from articles.richtext import plain_text
from cases.models import Case

MOST = 4  # stories shown beside a page of articles
MAX_READ = 2000  # public stories read per query, newest first


def stories_found(results) -> list[Case]:
    """The public stories that answer the query: tagged with a term it names, or telling in their label,
    narrative or outcome every word of it (enough of them, where no article held them all), best first."""
    if not results.groups:
        return []
    tagged = {tag.pk for tag in results.matched_tags}
    patterns = [[finds(v, group) for v in group.variants] for group in results.groups]
    rows = list(
        Case.objects.public().order_by("-pk").values("pk", "label", "narrative", "outcome")[:MAX_READ]
    )
    tags = {}
    for model in (Case.diseases.through, Case.therapies.through):
        for case, tag in model.objects.filter(
            content_object__in=[r["pk"] for r in rows], tag__in=tagged
        ).values_list("content_object", "tag"):
            tags.setdefault(case, set()).add(tag)

    def held(row):
        text = " ".join([row["label"], plain_text(row["narrative"]), row["outcome"]])
        return sum(any(p.search(text) for p in group) for group in patterns)

    counts = {row["pk"]: held(row) for row in rows}
    need = enough(results.groups) if results.partial else len(patterns)  # as strict as the articles were
    chosen = [row for row in rows if row["pk"] in tags or counts[row["pk"]] >= need]

    def score(row):
        in_label = sum(any(p.search(row["label"]) for p in group) for group in patterns)
        return (4 * (row["pk"] in tags) + 3 * in_label + counts[row["pk"]], row["pk"])

    best = [row["pk"] for row in sorted(chosen, key=score, reverse=True)[:MOST]]
    found = Case.objects.in_bulk(best)
    return [found[pk] for pk in best]


def stories_in_search(results) -> dict:
    """For the search page: the stories found, as a section, and how many."""
    shows("stories")  # any story's change may change the page
    stories = stories_found(results)
    html = render_to_string(
        "cases/includes/story_list.html", {"stories": stories, "heading": _("Patient stories")}
    )
    counted = ngettext("%(n)d patient story", "%(n)d patient stories", len(stories)) % {"n": len(stories)}
    return {"count": len(stories), "counted": counted, "html": html}

"""Privacy: the de-identification scanner (pure, in cases.scanner) and the Django side that uses it:
what the privacy officer sees highlighted, and the publish gate for articles that tell a patient story."""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles.richtext import plain_text
from cases.scanner import KINDS, Finding
from cases.scanner import find_identifiers as scan_text

__all__ = ["KINDS", "Finding", "case_findings", "case_texts", "find_identifiers", "highlight",
           "linked_cases_are_cleared"]  # fmt: skip


def desk_safe_names() -> list[str]:
    """Names the desk has made public on purpose: both vocabularies, with synonyms and abbreviations."""
    from articles.models import DiseaseTag, TherapyTag

    names = []
    for model in (DiseaseTag, TherapyTag):
        for name, synonyms, abbreviations in model.objects.values_list("name", "synonyms", "abbreviations"):
            names += [name, *synonyms, *abbreviations]
    return names


def find_identifiers(text: str, *, safe_names=None) -> list[Finding]:
    """The scanner, with the desk's public names known to be safe."""
    return scan_text(text, safe_names=desk_safe_names() if safe_names is None else safe_names)


def case_texts(case) -> list[tuple[str, str]]:
    """Every text a clearance vouches for, labelled for the privacy officer: the story and its articles."""
    texts = [
        (_("Public label"), case.label),
        (_("Narrative"), plain_text(case.narrative)),
        (_("Outcome"), case.outcome),
        (_("Follow-up"), case.follow_up),
    ]
    for article in case.articles.order_by("pk"):
        texts += [
            (_("Article %(id)s: headline") % {"id": article.pk}, article.title),
            (_("Article %(id)s: standfirst") % {"id": article.pk}, article.standfirst),
            (_("Article %(id)s: body") % {"id": article.pk}, plain_text(article.body)),
        ]
    return [(where, text) for where, text in texts if text]


def case_findings(case) -> list[dict]:
    """What the scanner flags in the case and every linked article, as {kind, text, where}."""
    safe = desk_safe_names()
    return [
        {"kind": f.kind, "text": f.text, "where": str(where)}
        for where, text in case_texts(case)
        for f in find_identifiers(text, safe_names=safe)
    ]


def highlight(text: str) -> str:
    """`text` as HTML with each finding marked in place, labelled with its kind."""
    out, last = [], 0
    for f in find_identifiers(text):
        if f.start < last:
            continue
        out.append(escape(text[last : f.start]))
        out.append(
            f'<mark class="finding finding-{f.kind}" title="{escape(KINDS.get(f.kind, f.kind))}">'
            f"{escape(f.text)}</mark>"
        )
        last = f.end
    out.append(escape(text[last:]))
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 - every piece is escaped


def linked_cases_are_cleared(article) -> list[str]:
    """Publish gate: every patient story the article tells is cleared and its consent is in force.

    Problems name the case by its reference only, never by patient details.
    """
    from cases.models import PrivacyStatus

    problems = []
    for case in article.cases.order_by("reference"):
        if case.privacy_status == PrivacyStatus.WITHDRAWN:
            problems.append(
                _("%(ref)s: the patient withdrew consent. Remove the story from this article.")
                % {"ref": case.reference}
            )
            continue
        if case.privacy_status != PrivacyStatus.CLEARED or case.cleared_fingerprint != case.fingerprint():
            problems.append(
                _("%(ref)s is not cleared by the privacy officer for this text. Ask them to review it.")
                % {"ref": case.reference}
            )
        consent = case.current_consent()
        if consent is None:
            problems.append(
                _("%(ref)s has no consent in force (missing, expired or withdrawn).")
                % {"ref": case.reference}
            )
        elif not consent.scope_web:
            problems.append(_("%(ref)s: the consent does not cover the website.") % {"ref": case.reference})
        elif article.hero_image and getattr(article, "hero_shows_patient", False) and not consent.photos:
            problems.append(
                _("%(ref)s: the hero image shows the patient, and the consent does not cover photos.")
                % {"ref": case.reference}
            )
    return problems


STORY_FIELDS = ("label", "age_band", "sex", "treatment_year", "follow_up", "outcome", "narrative")


def live_story_problems(case, *, story: dict, article_pks) -> list[str]:
    """A story that a published article tells must stay cleared while readers can see it.

    Refuses a change that would take the clearance away under a live (or scheduled) article: new story
    text, other links, or linking a story that is not cleared. Recording consent changes none of these.
    `story` holds the story fields as they would be saved, `article_pks` the articles it would tell.
    """
    from articles.models import Article, Status
    from cases.models import Case, PrivacyStatus

    article_pks = set(article_pks)
    live = list(Article.objects.filter(pk__in=article_pks, status=Status.PUBLISHED))
    if not live:
        return []
    stored = Case.objects.filter(pk=case.pk).first() if case.pk else None
    if (
        stored is not None
        and stored.privacy_status == PrivacyStatus.CLEARED
        and all(story.get(name, getattr(stored, name)) == getattr(stored, name) for name in STORY_FIELDS)
        and set(stored.articles.values_list("pk", flat=True)) == article_pks
    ):
        return []
    return [
        _(
            "“%(title)s” is published and tells this story, so this change would take the story's privacy "
            "clearance away while readers see it. Unpublish the article first, then change the story and "
            "ask the privacy officer to clear it again."
        )
        % {"title": article.title}
        for article in live
    ]

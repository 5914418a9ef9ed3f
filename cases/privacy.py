"""Privacy: the one gate every public text passes, and the Django side of the scanner (cases.scanner).

Every text a reader can get (an article's headline, standfirst, body, image alt text, caption, credit
and correction notes; a story's label, narrative, outcome and follow-up) is scanned when it is saved and
the findings stored (`PrivacyScan`), so no page view ever scans. The privacy officer decides on each
distinct finding (`FindingDecision`), pinned to the exact text like a medical sign-off. Publishing and
going live are refused while any finding has no decision in force (`article_text_is_cleared`), whatever
path the text came by. Messages name the field and the kind of a finding, never the finding itself.
"""

import hashlib
import re
from collections import Counter, defaultdict

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.models import Article
from articles.richtext import plain_text, sanitize_html
from cases import scanner
from cases.models import Case, Consent, FindingDecision, PrivacyScan, PublicName
from cases.scanner import KINDS, Finding
from cases.scanner import find_identifiers as scan_text

__all__ = [
    "KINDS",
    "Finding",
    "article_text_is_cleared",
    "case_findings",
    "case_texts",
    "decisions_in_force",
    "find_identifiers",
    "highlight",
    "linked_cases_are_cleared",
    "open_findings",
    "public_texts",
    "stored_findings",
    "text_fingerprint",
]

Choice, Reason = FindingDecision.Choice, FindingDecision.Reason

# What identifies a patient by itself: never waived as "not identifying", kept only with consent to be
# identified.
NEVER_WAIVED = frozenset(
    {"person_name", "nickname", "phone", "email", "ip_address", "id_number", "address", "date", "age_over_89"}
)  # dates: all but a season or a year-long period (`never_waived`)
# A season or a year-long period ("this winter", "the spring of 2019", "去年冬天") is not a date a patient
# can be found by; anything with a month, day, weekday or holiday is, and is never waived.
_PERIOD_WORDS = re.compile(
    r"this|last|next|the|early|late|mid|in|of|that|during|spring|summer|autumn|fall|winter|year|years|"
    r"season|\d{4}|\d{4}年|今年|去年|明年|前年|春天|夏天|秋天|冬天|春季|夏季|秋季|冬季|年初|年底|年末|年中|"
    r"[春夏秋冬年初底末]|[\s\W_]",
    re.IGNORECASE,
)


def never_waived(kind: str, text: str) -> bool:
    """Whether a finding always identifies a patient, so that only replacing it or consent to be
    identified can settle it."""
    if kind == "date":
        return _PERIOD_WORDS.sub("", text) != ""
    return kind in NEVER_WAIVED


# The reasons that can explain keeping each kind that may be kept.
REASON_KINDS: dict[str, frozenset[str]] = {
    Reason.STAFF: frozenset({"clinician_name", "proper_noun"}),
    Reason.AUTHOR: frozenset({"clinician_name", "proper_noun"}),
    Reason.INSTITUTION: frozenset({"hospital", "place", "proper_noun", "url"}),
    Reason.DRUG_OR_TRIAL: frozenset({"proper_noun", "url"}),
    Reason.REGION: frozenset({"place", "proper_noun"}),
    Reason.ORDINARY: frozenset({"proper_noun", "hospital", "place", "clinician_name"}),
    Reason.AGE: frozenset({"age"}),
    Reason.PERIOD: frozenset({"date"}),
}
# What a replacement says by default, by kind; the privacy officer may write any other wording.
PLACEHOLDERS = {
    "person_name": "the patient",
    "nickname": "the patient",
    "clinician_name": "the care team",
    "proper_noun": "[name removed]",
    "hospital": "a hospital",
    "place": "[place removed]",
    "address": "[address removed]",
    "date": "[date removed]",
    "age": "[age removed]",
    "age_over_89": "of advanced age",
    "phone": "[phone number removed]",
    "email": "[e-mail removed]",
    "url": "[address removed]",
    "ip_address": "[address removed]",
    "id_number": "[number removed]",
}
PLACEHOLDERS_ZH = {
    "person_name": "患者",
    "nickname": "患者",
    "clinician_name": "医护团队",
    "hospital": "某医院",
    "age_over_89": "高龄",
}


def kind_label(kind: str) -> str:
    return _(KINDS.get(kind, kind.replace("_", " "))).lower()


def desk_safe_names() -> list[str]:
    """Names the desk has made public on purpose: both vocabularies, with synonyms and abbreviations,
    and the privacy officer's list of public names."""
    from articles.models import DiseaseTag, TherapyTag

    names = []
    for model in (DiseaseTag, TherapyTag):
        for name, synonyms, abbreviations in model.objects.values_list("name", "synonyms", "abbreviations"):
            names += [name, *synonyms, *abbreviations]
    return names + list(PublicName.objects.values_list("name", flat=True))


def find_identifiers(text: str, *, safe_names=None) -> list[Finding]:
    """The scanner, with the desk's public names known to be safe."""
    return scan_text(text, safe_names=desk_safe_names() if safe_names is None else safe_names)


# --- The public texts of an article or a story ------------------------------------------------------

ARTICLE_FIELDS = ("title", "standfirst", "body", "hero_alt", "hero_caption", "hero_credit", "plain_summary")
# Fields added after decisions were first pinned: in a fingerprint only when filled in, so that a text
# without them keeps the fingerprint its decisions were made on.
LATER_FIELDS = {"plain_summary"}
CASE_FIELDS = ("label", "narrative", "outcome", "follow_up")
RICH_FIELDS = ("body", "narrative")


IMAGE_PARTS = {"alt": "alt text", "caption": "caption", "credit": "credit"}
REFERENCE_PARTS = {
    "title": "title",
    "authors": "authors",
    "venue": "journal, registry or publisher",
    "url": "address",
}
# A reference names who wrote and published a work, and where it is: those are not a patient's details.
# Everything else in them is scanned, and a reference's title in full.
NAMES_OF_WORKS = {"person_name", "nickname", "clinician_name", "proper_noun", "hospital"}
NOT_FINDINGS_IN = {"authors": NAMES_OF_WORKS, "venue": NAMES_OF_WORKS, "url": {"url"}}


def field_label(subject, field: str) -> str:
    if field.startswith("correction"):
        return _("Correction note")
    if field.startswith("image-"):  # "image-2-caption"
        _image, number, part = field.split("-")
        return _("Picture %(n)s in the text, %(part)s") % {"n": number, "part": _(IMAGE_PARTS[part])}
    if field.startswith("reference-"):  # "reference-2-title"
        _reference, number, part = field.split("-")
        return _("Reference %(n)s, %(part)s") % {"n": number, "part": _(REFERENCE_PARTS[part])}
    return str(type(subject)._meta.get_field(field).verbose_name).capitalize()


def public_texts(subject) -> list[tuple[str, str]]:
    """(field, plain text) for every text of `subject` a reader can get, correction notes included."""
    fields = ARTICLE_FIELDS if isinstance(subject, Article) else CASE_FIELDS
    texts = [
        (f, plain_text(getattr(subject, f)) if f in RICH_FIELDS else getattr(subject, f)) for f in fields
    ]
    if isinstance(subject, Article) and subject.pk:
        texts += [(f"correction-{pk}", note) for pk, note in subject.corrections.values_list("pk", "note")]
        texts += image_texts(subject)
        texts += reference_texts(subject)
    return [(field, text) for field, text in texts if text and text.strip()]


def image_texts(article) -> list[tuple[str, str]]:
    """(field, text) of the alt text, caption and credit of each picture in the article's text."""
    return [
        (f"image-{row['number']}-{part}", row[part])
        for row in article.images.values("number", *IMAGE_PARTS)
        for part in IMAGE_PARTS
    ]


def reference_texts(article) -> list[tuple[str, str]]:
    """(field, text) of the title, authors, publisher and address of each of the article's references,
    numbered as readers see them."""
    if not article.reference_digest:
        return []
    rows = article.references.order_by("position", "pk").values_list(*REFERENCE_PARTS)
    return [
        (f"reference-{n}-{part}", text)
        for n, row in enumerate(rows, start=1)
        for part, text in zip(REFERENCE_PARTS, row, strict=True)
    ]


def pictures_of_patients(article) -> list[str]:
    """The article's pictures that show a patient, as the desk names them: the hero image, "[image 2]"."""
    found = (
        [str(_("Hero image"))] if article.hero_image and getattr(article, "hero_shows_patient", False) else []
    )
    if article.pk:
        found += [
            f"[image {n}]" for n in article.images.filter(shows_patient=True).values_list("number", flat=True)
        ]
    return found


def text_fingerprint(subject) -> str:
    """A hash of the editable public text, which each decision is pinned to. Correction notes are not in
    it: they are added, never edited, and each is checked as it is added (`correction_is_clear`)."""
    fields = ARTICLE_FIELDS if isinstance(subject, Article) else CASE_FIELDS
    parts = [
        sanitize_html(getattr(subject, f)) if f in RICH_FIELDS else getattr(subject, f).strip()
        for f in fields
        if f not in LATER_FIELDS or getattr(subject, f).strip()
    ]
    if isinstance(subject, Article) and subject.pk:  # its pictures' texts, when it has any
        parts += [f"{field}={text.strip()}" for field, text in image_texts(subject)]
        parts += [f"{field}={text.strip()}" for field, text in reference_texts(subject)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _scan_key(subject, texts, safe_names) -> str:
    """What a stored scan was made from: the text, the correction notes, the desk's public names (a name
    added to the list settles its findings everywhere at the next look) and the scanner (a better one
    finds more in text it has already read)."""
    corrections = [t for f, t in texts if f.startswith("correction")]
    return hashlib.sha256(
        "\x1e".join(
            [scanner.VERSION, text_fingerprint(subject), *corrections, "\x1d", *sorted(safe_names)]
        ).encode()
    ).hexdigest()


def owner(subject) -> dict:
    """The filter for rows that belong to `subject`, an article or a story."""
    return {"article": subject} if isinstance(subject, Article) else {"case": subject}


def refresh_scan(subject, *, safe_names=None) -> list[dict]:
    """Scan `subject`'s public texts if they changed since the stored scan; return the stored findings.

    Each distinct finding is one entry: {kind, text, count, fields}, in the order first found.
    """
    texts = public_texts(subject)
    safe_names = desk_safe_names() if safe_names is None else safe_names
    key = _scan_key(subject, texts, safe_names)
    stored = PrivacyScan.objects.filter(**owner(subject)).first()
    if stored is not None and stored.fingerprint == key:
        return stored.findings
    findings = _scan(texts, safe_names)
    PrivacyScan.objects.update_or_create(
        **owner(subject), defaults={"fingerprint": key, "findings": findings}
    )
    count_undecided(subject, findings)
    return findings


def count_undecided(subject, findings=None) -> int:
    """Store how many findings have no decision in force, for the privacy officer's queue."""
    findings = stored_findings(subject) if findings is None else findings
    decided = decisions_in_force(subject)
    n = sum((f["kind"], f["text"]) not in decided for f in findings)
    PrivacyScan.objects.filter(**owner(subject)).update(undecided=n)
    return n


def _scan(texts, safe) -> list[dict]:
    counts: Counter = Counter()
    fields: dict[tuple[str, str], list[str]] = defaultdict(list)
    for field, text in texts:
        not_findings = (
            NOT_FINDINGS_IN.get(field.rsplit("-", 1)[-1], ()) if field.startswith("reference-") else ()
        )
        for f in find_identifiers(text, safe_names=safe):
            if f.kind in not_findings:
                continue
            counts[f.kind, f.text] += 1
            if field not in fields[f.kind, f.text]:
                fields[f.kind, f.text].append(field)
    return [
        {"kind": kind, "text": text, "count": n, "fields": fields[kind, text]}
        for (kind, text), n in counts.items()
    ]


def stored_findings(subject) -> list[dict]:
    """The findings stored for `subject`'s current text (scanning only if the text changed unseen)."""
    return refresh_scan(subject) if subject.pk else []


def identifiable_consent(subject) -> Consent | None:
    """A consent in force, covering the website, in which the patient agreed to be identified: the
    story's own, or for an article that of a story it tells."""
    consents = Consent.objects.valid().filter(scope_web=True, identifiable=True)
    if isinstance(subject, Case):
        return consents.filter(case=subject).first()
    return consents.filter(case__articles=subject).first()


def decisions_in_force(subject) -> dict[tuple[str, str], FindingDecision]:
    """The latest decision on each finding, taken on exactly the current text. A decision to keep a
    detail as consented holds only while a consent to be identified is in force."""
    if not subject.pk:
        return {}
    decisions = {}
    for decision in FindingDecision.objects.filter(**owner(subject), fingerprint=text_fingerprint(subject)):
        decisions.setdefault((decision.kind, decision.text), decision)  # newest first
    if (
        any(d.choice == Choice.CONSENTED for d in decisions.values())
        and identifiable_consent(subject) is None
    ):
        decisions = {key: d for key, d in decisions.items() if d.choice != Choice.CONSENTED}
    return decisions


def open_findings(subject) -> list[dict]:
    """The distinct findings in `subject`'s public text that have no decision in force."""
    decided = decisions_in_force(subject)
    return [f for f in stored_findings(subject) if (f["kind"], f["text"]) not in decided]


def _open_finding_problems(subject, findings) -> list[str]:
    by_field: dict[str, Counter] = defaultdict(Counter)
    for f in findings:
        for field in f["fields"]:
            by_field[field_label(subject, field)][f["kind"]] += 1
    return [
        _(
            "%(field)s: %(kinds)s with no privacy decision. The privacy officer decides on each in the "
            "privacy review."
        )
        % {
            "field": field,
            "kinds": ", ".join(
                ngettext("%(n)d %(kind)s", "%(n)d × %(kind)s", n) % {"n": n, "kind": kind_label(kind)}
                for kind, n in sorted(kinds.items())
            ),
        }
        for field, kinds in by_field.items()
    ]


def page_text_is_clear(page) -> list[str]:
    """Gate for one of the newsroom's own pages (about, contact, policies): nothing in its text that the
    scanner flags. They tell no patient's story, so there is nothing to decide one finding at a time: a
    detail that is public on purpose (the press office's number) joins the desk's public names, kept by
    the privacy officer with why it is public. Names the field and kind, never the finding."""
    problems = []
    for field, text in (("title", page.title), ("summary", page.summary), ("body", plain_text(page.body))):
        kinds = Counter(f.kind for f in find_identifiers(text))
        if kinds:
            problems.append(
                _(
                    "%(field)s: the privacy gate flags %(kinds)s. Take each out, or ask the privacy officer "
                    "to add it to the public names, with why it is public."
                )
                % {
                    "field": str(type(page)._meta.get_field(field).verbose_name).capitalize(),
                    "kinds": ", ".join(
                        ngettext("%(n)d %(kind)s", "%(n)d × %(kind)s", n) % {"n": n, "kind": kind_label(kind)}
                        for kind, n in sorted(kinds.items())
                    ),
                }
            )
    return problems


def article_text_is_cleared(article) -> list[str]:
    """Publish gate: every finding in every public text of the article has a decision in force, and its
    address carries none of the identifying ones. Names the field and kind, never the finding."""
    findings = stored_findings(article)
    problems = _open_finding_problems(article, open_findings(article))
    in_slug = sorted(
        {
            kind_label(f["kind"])
            for f in findings
            if never_waived(f["kind"], f["text"])
            and (s := slugify(f["text"]))
            and f"-{s}-" in f"-{article.slug}-"
        }
    )
    if in_slug:
        problems.append(
            _("Slug: the address carries a %(kinds)s. Change the slug before publishing.")
            % {"kinds": ", ".join(in_slug)}
        )
    if (pictures := pictures_of_patients(article)) and not article.cases.exists():
        problems.append(
            _(
                "%(pictures)s: the picture shows a patient. Link the patient's story, with photo consent, "
                "or use another picture."
            )
            % {"pictures": ", ".join(pictures)}
        )
    return problems


def correction_is_clear(article, note: str) -> list[str]:
    """A correction note goes public at once: what it flags must already have a decision in force."""
    decided = decisions_in_force(article)
    kinds = sorted({kind_label(f.kind) for f in find_identifiers(note) if (f.kind, f.text) not in decided})
    if not kinds:
        return []
    return [
        _(
            "The note may identify a patient (%(kinds)s). Reword it without that detail, or ask the privacy "
            "officer to decide on it first."
        )
        % {"kinds": ", ".join(kinds)}
    ]


def case_texts(case) -> list[tuple[str, str, list[dict]]]:
    """Every text a clearance vouches for, labelled for the privacy officer, with the stored findings in
    it: the story's fields, then each article that tells it."""
    texts = []
    for subject in [case, *case.articles.order_by("pk")]:
        findings = stored_findings(subject)
        for field, text in public_texts(subject):
            label = field_label(subject, field)
            if subject is not case:
                label = _("Article %(id)s: %(field)s") % {"id": subject.pk, "field": label.lower()}
            texts.append((label, text, [f for f in findings if field in f["fields"]]))
    return texts


def case_findings(case) -> list[dict]:
    """What the scanner flagged (as stored) in the case and every linked article: {kind, text, where}."""
    return [
        {"kind": f["kind"], "text": f["text"], "where": str(where)}
        for where, _text, findings in case_texts(case)
        for f in findings
    ]


def highlight(text: str, findings: list[dict]) -> str:
    """`text` as HTML with each stored finding ({kind, text}) marked where its string occurs, labelled
    with its kind. It never scans: page views read what was stored at save."""
    spans = []
    for f in sorted(findings, key=lambda f: -len(f["text"])):
        at = text.find(f["text"])
        while at >= 0 and f["text"]:
            spans.append((at, at + len(f["text"]), f["kind"]))
            at = text.find(f["text"], at + len(f["text"]))
    spans.sort()
    out, last = [], 0
    for start, end, kind in spans:
        if start < last:
            continue
        out.append(escape(text[last:start]))
        out.append(
            f'<mark class="finding finding-{kind}" title="{escape(KINDS.get(kind, kind))}">'
            f"{escape(text[start:end])}</mark>"
        )
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 - every piece is escaped


def linked_cases_are_cleared(article) -> list[str]:
    """Publish gate: every patient story the article tells is cleared and its consent is in force.

    Problems name the case by its reference only, never by patient details.
    """
    from cases.models import PrivacyStatus

    problems, pictures = [], None
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
        elif not consent.photos and (pictures := pictures or pictures_of_patients(article)):
            problems.append(
                _("%(ref)s: %(pictures)s shows the patient, and the consent does not cover photos.")
                % {"ref": case.reference, "pictures": ", ".join(pictures)}
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

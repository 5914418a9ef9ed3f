"""Source documents into drafts: one Article per document, and a Case when it tells one patient's story.

The parsing is pure (articles.intake.documents); this module does the database side. Each document is
imported in its own transaction, so one unreadable file never stops the others. Re-importing the same
file updates its draft, and never touches an article or story that has moved on from draft.
"""

import hashlib
import io
import logging
import re
import zipfile
import zlib
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import cached_property
from itertools import takewhile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from articles.intake.documents import ParsedDocument, Term, UnreadableDocument, match_terms
from articles.intake.documents import parse_document as parse
from articles.models import Article, DiseaseTag, ImportJob, SourceDocument, Status, TherapyTag, unique_slug
from articles.services import record_revision
from cases.models import AgeBand, Case, PrivacyStatus, Sex
from cases.privacy import desk_safe_names
from cases.scanner import find_identifiers
from cases.scanner.chinese import HAS_HAN
from cases.scanner.words import simplified
from cases.services import default_replacement
from cases.stories import PatientFacts
from cases.stories import patient_story as find_patient_story

log = logging.getLogger("newsdesk.import")
SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf"}


@dataclass
class ImportResult:
    """One line of the import report."""

    file: str
    article_id: int | None = None
    title: str = ""
    diseases: list[str] = field(default_factory=list)
    therapies: list[str] = field(default_factory=list)
    case_id: int | None = None
    case_label: str = ""
    findings: list[dict] = field(default_factory=list)
    error: str | None = None
    note: str = ""
    format: str = ""  # pdf, docx, html, md or txt
    language: str = ""  # en or zh
    dropped: list[str] = field(default_factory=list)  # the clutter lines left out of the draft
    headline_problem: str = ""  # "label" or "clickbait": the preview asks for a headline
    suggested_title: str = ""  # built from the lede, where the headline needs a look

    def as_report(self) -> dict:
        data = asdict(self)
        for preview_only in ("case_label", "headline_problem", "suggested_title"):
            data.pop(preview_only)
        return data


@dataclass
class Corrections:
    """What an editor changed in the preview before confirming: the headline, the tags (by name, the
    kicker first) and the clutter lines to put back. None leaves the importer's choice."""

    title: str | None = None
    diseases: list[str] | None = None
    therapies: list[str] | None = None
    restore: list[str] = field(default_factory=list)


def document_paths(paths) -> list[Path]:
    """The importable files under `paths` (files or folders), in a stable order."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            found.append(path)
    return found


_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*")
# A sentence that names a therapy to set the one the piece is about against it, or that the patient did
# not have ("a transplant was not considered safe for him")
_NOT_RECEIVED = re.compile(
    r"\b(?:ineligible|ruled out|(?:not|(?:was|were|is|are)n['’]t) (?:considered|offered|eligible|an option|"
    r"suitable|possible|safe)|(?:read|heard|saw|asked|learned) about|warned (?:that|about|of)|"
    r"(?:could|might|may) (?:one day )?need|at risk of|(?:was|were) discussed|set aside|decided against|"
    r"too risky|talked (?:me|him|her|them|us) through (?:the |her |his |my )?options|declined|turned down|"
    r"not pursued)\b"
    r"|不适合|无法(?:进行|接受)|未能(?:进行|接受)|看到过|看到過|听说过|聽說過|了解过|了解過|咨询过|諮詢過|问过|問過"
    r"|讨论过|討論過|风险太大|風險太大|放弃了|放棄了|没有选择|沒有選擇|婉拒",
    re.IGNORECASE,
)
_CONTRAST = re.compile(
    r"\b(?:unlike|rather than|instead of|compared (?:with|to)|in contrast|alternatives? such as)\b"
    r"|不同于|相比|而不是|不像|" + _NOT_RECEIVED.pattern,
    re.IGNORECASE,
)


_ENTRY_LABEL = re.compile(r"^(?:\d{1,2}[.)、]\s*|[·•▪\-–]\s*)?(?P<label>[^:：。.!?，,]{2,30})[:：]\s*\S")


class Vocabularies:
    """The disease and therapy terms, read once per import run."""

    def __init__(self):
        self.terms = {}
        for kind, model in (("diseases", DiseaseTag), ("therapies", TherapyTag)):
            rows = model.objects.values_list("pk", "name", "synonyms", "abbreviations", "parent_id")
            self.terms[kind] = [
                Term(pk, name, list(syn), list(abbr), parent) for pk, name, syn, abbr, parent in rows
            ]
        self.names = {kind: {t.id: t.name for t in terms} for kind, terms in self.terms.items()}
        self.parents = {kind: {t.id: t.parent for t in terms} for kind, terms in self.terms.items()}

    def about(self, kind: str, document: ParsedDocument, *, story: bool = False) -> list[int]:
        """The terms `document` is about, the weightiest first: a term in the headline counts 3, in the
        standfirst, the lede or a subhead 2 (as does the label a list's entry opens with: "2. 淋巴瘤：…"), and
        1 for each other paragraph that names it. A term is kept
        at 2 or more; one named in a single paragraph in passing is not what the piece is about, except a
        therapy in a patient's story, which the patient received. A therapy named only as a contrast or as
        one the patient could not have ("unlike CAR-T, which...", "a transplant was not considered safe")
        counts nowhere."""
        paragraphs = [text for kind_, text in document.blocks if kind_ != "h2"]
        parts = [(document.title, 3), (document.standfirst, 2), (paragraphs[0] if paragraphs else "", 2)]
        parts += [(text, 2) for kind_, text in document.blocks if kind_ == "h2"]
        parts += [(text, 1) for text in paragraphs[1:]]
        parts += [(m["label"], 2) for text in paragraphs if (m := _ENTRY_LABEL.match(text))]
        weight: dict[int, int] = {}
        order = self.match(kind, document.plain_text())
        for text, points in parts:
            if kind == "therapies":
                text = " ".join(s for s in _SENTENCE_END.split(text) if not _NOT_RECEIVED.search(s))
            for term in self.match(kind, text) if text else ():
                weight[term] = weight.get(term, 0) + points
        once: set[int] = set()
        if story and kind == "therapies":
            sentences = _SENTENCE_END.split(document.plain_text())
            received = {term for s in sentences if not _CONTRAST.search(s) for term in self.match(kind, s)}
            once = {term for term in order if weight.get(term) == 1 and term in received}
        # "acute lymphoblastic leukemia" in the headline, "B-ALL" in the body: B-ALL. Not for therapies:
        # "immunotherapy" in the standfirst does not make CAR-T, named once in passing, the topic.
        # Not where another narrower term stands out on its own: "Hodgkin lymphoma" in the headline
        # explains "lymphoma" in the lede, and "non-Hodgkin", named once for contrast, is no topic.
        own = dict(weight)
        for term in order if kind == "diseases" else ():
            for ancestor in self.ancestors(kind, term):
                explained = any(
                    other != term and points >= 2 and ancestor in self.ancestors(kind, other)
                    for other, points in own.items()
                )
                if weight.get(ancestor, 0) >= 2 and not explained:
                    weight[term] = max(weight.get(term, 0), weight[ancestor])
        kept = [term for term in order if weight.get(term, 0) >= 2 or term in once]
        kept += [term for term, points in weight.items() if points >= 2 and term not in kept]
        if story and kind == "diseases" and not kept and order:
            kept = order[:1]  # a patient's story has a diagnosis, even one named only once
            weight.setdefault(order[0], 1)
        # a broad term kept beside a narrower one comes after it: the narrower is the topic
        broader = {ancestor for term in kept for ancestor in self.ancestors(kind, term)}
        return sorted(
            kept,
            key=lambda term: (
                -weight[term],
                term in broader,
                order.index(term) if term in order else len(order),
            ),
        )

    @cached_property
    def safe_names(self) -> list[str]:
        """Names the desk made public (its vocabularies, its list of public names): never anonymised."""
        return desk_safe_names()

    def ancestors(self, kind: str, term: int) -> list[int]:
        """The broader terms `term` sits under, nearest first (lupus nephritis: lupus)."""
        out, parent = [], self.parents[kind].get(term)
        while parent is not None:
            out.append(parent)
            parent = self.parents[kind].get(parent)
        return out

    def with_broader(self, kind: str, terms: list[int], found: list[int]) -> list[int]:
        """`terms` and the broader terms among `found` they belong to (lupus nephritis, and lupus with it)."""
        return [*terms, *(a for t in terms for a in takewhile(found.__contains__, self.ancestors(kind, t)))]

    def ids(self, kind: str, names: list[str]) -> list[int]:
        """The terms called `names`, in that order; a name not in the vocabulary is skipped."""
        by_name = {name: pk for pk, name in self.names[kind].items()}
        return [by_name[name] for name in names if name in by_name]

    def match(self, kind: str, text: str) -> list[int]:
        """The terms `text` names; traditional Chinese is read as simplified (the vocabularies' Chinese)."""
        return match_terms(simplified(text) if HAS_HAN.search(text) else text, self.terms[kind])


EPONYMS = {"Hodgkin", "Non-Hodgkin", "Sjögren's", "Crohn's", "Graves'", "Hashimoto's", "Behçet's"}


def source_ref(name: str) -> str:
    """What identifies a document across re-imports: its file name (the same file, edited, updates)."""
    stem = Path(name).name
    return f"doc:{stem}" if len(stem) <= 90 else "doc:" + hashlib.sha256(stem.encode()).hexdigest()[:40]


def case_label(facts: PatientFacts, diagnosis: str) -> str:
    """An anonymised label: "Woman in her 80s with B-cell acute lymphoblastic leukemia"."""
    person = {"female": _("Woman"), "male": _("Man")}.get(facts.sex or "", _("Patient"))
    if facts.age_band and facts.age_band in AgeBand.values:
        band = AgeBand(facts.age_band)
        if band in (AgeBand.CHILD_0_9, AgeBand.TEENS):
            person = {"female": _("Girl"), "male": _("Boy")}.get(facts.sex or "", _("Child"))
            age = _("under 10") if band == AgeBand.CHILD_0_9 else _("in their teens")
        elif band == AgeBand.NINETY_PLUS:
            age = _("aged 90 or over")
        else:
            pronoun = {"female": _("her"), "male": _("his")}.get(facts.sex or "", _("their"))
            age = _("in %(pronoun)s %(decade)ss") % {"pronoun": pronoun, "decade": band.value.split("-")[0]}
        person = f"{person} {age}"
    return f"{person} {_('with')} {diagnosis}" if diagnosis else person


def neutralize_identifiers(text: str, safe_names: list[str] = ()) -> str:
    """Text for a story's own fields, each identifier replaced as the privacy desk's replace step would
    by default ("the patient", "a hospital", "[date removed]"; 患者, 某医院 in Chinese)."""
    out, last = [], 0
    for finding in find_identifiers(text, safe_names=safe_names):
        out += [text[last : finding.start], default_replacement(finding.kind, finding.text)]
        last = finding.end
    out.append(text[last:])
    return "".join(out)


NARRATIVE_CHARACTERS = 8000


def story_narrative(document: ParsedDocument, safe_names: list[str] = ()) -> str:
    """The story as the document tells it, its subheads and paragraphs anonymised, as the narrative's
    HTML; the privacy officer still reviews it like any text."""
    parts, size = [], 0
    for kind, text in (
        [("p", document.standfirst), *document.blocks] if document.standfirst else document.blocks
    ):
        if size >= NARRATIVE_CHARACTERS:
            break
        clean = escape(neutralize_identifiers(text, safe_names))
        parts.append(f"<h2>{clean}</h2>" if kind == "h2" else f"<p>{clean}</p>")
        size += len(text)
    return "".join(parts)


def import_document(
    name: str,
    data: bytes,
    *,
    vocabularies: Vocabularies,
    by=None,
    dry_run=False,
    corrections: Corrections | None = None,
) -> ImportResult:
    """Import one document, with an editor's `corrections` from the preview. Never raises for a bad
    document: the result carries a one-line error."""
    corrections = corrections or Corrections()
    result = ImportResult(file=name)
    try:
        if len(data) > settings.NEWSDESK_MAX_DOCUMENT_BYTES:
            raise UnreadableDocument(
                _("over the %(mb)d MB limit") % {"mb": settings.NEWSDESK_MAX_DOCUMENT_BYTES // 1_000_000}
            )
        document = parse(data, filename=name, keep=corrections.restore)
        with transaction.atomic():
            _save(document, result, vocabularies=vocabularies, by=by, data=data, corrections=corrections)
            if dry_run:
                transaction.set_rollback(True)
        if dry_run:
            result.article_id = result.case_id = None
    except UnreadableDocument as error:
        result.error = f"{Path(name).name}: {error}"
    except Exception as error:  # one broken document must not stop the others; the report says why
        # Not the file name: it may name the patient. The editor's report shows it.
        log.exception("import of a document failed")
        result.error = f"{Path(name).name}: {type(error).__name__}: {error}"
    return result


def _save(
    document: ParsedDocument,
    result: ImportResult,
    *,
    vocabularies: Vocabularies,
    by,
    data: bytes = b"",
    corrections: Corrections,
) -> None:
    text = document.plain_text()
    story = find_patient_story(text) is not None
    disease_ids = vocabularies.about("diseases", document, story=story)
    therapy_ids = vocabularies.about("therapies", document, story=story)
    if corrections.diseases is not None:
        disease_ids = vocabularies.ids("diseases", corrections.diseases)
    if corrections.therapies is not None:
        therapy_ids = vocabularies.ids("therapies", corrections.therapies)
    findings = [{"kind": f.kind, "text": f.text} for f in find_identifiers(text)]
    result.title = document.title
    result.format, result.language, result.dropped = document.format, document.language, document.dropped
    result.headline_problem, result.suggested_title = document.headline_problem, document.suggested_title
    if corrections.title:
        result.title, result.headline_problem, result.suggested_title = corrections.title, "", ""
    result.diseases = [vocabularies.names["diseases"][pk] for pk in disease_ids]
    result.therapies = [vocabularies.names["therapies"][pk] for pk in therapy_ids]
    result.findings = findings

    ref = source_ref(result.file)
    article = Article.objects.select_for_update().filter(source_ref=ref).first()
    if article is not None and article.status != Status.DRAFT:
        result.article_id = article.pk
        result.note = _("Already %(status)s; left untouched.") % {
            "status": article.get_status_display().lower()
        }
        return
    article = article or Article(source_ref=ref, author=by if getattr(by, "pk", None) else None)
    article.title = result.title[:200]
    article.slug = article.slug or unique_slug(Article, article.title)
    article.standfirst = document.standfirst[:400]
    article.body = document.body_html()
    article.source_publisher = document.source.publisher[:200]
    article.source_url = document.source.url[:500]
    article.source_date = _iso_date(document.source.date)
    article.byline = article.byline or document.source.author[:200]
    article.privacy_findings = findings
    article.save()
    article.diseases.set(list(DiseaseTag.objects.filter(pk__in=disease_ids)))
    article.therapies.set(list(TherapyTag.objects.filter(pk__in=therapy_ids)))
    SourceDocument.objects.update_or_create(
        article=article,
        defaults={
            "format": document.format,
            "encoding": document.encoding,
            "language": document.language,
            "data": data,
            "text": document.raw_text,
        },
    )
    record_revision(article, by, note=_("Imported from %(file)s") % {"file": Path(result.file).name})
    result.article_id = article.pk

    facts = find_patient_story(text)
    if facts is None:
        return
    case = Case.objects.select_for_update().filter(source_ref=ref).first()
    if case is not None and case.privacy_status != PrivacyStatus.PENDING:
        result.case_id = case.pk
        return
    diagnosis = vocabularies.names["diseases"][disease_ids[0]] if disease_ids else ""
    case = case or Case(source_ref=ref)
    first, _space, rest = diagnosis.partition(" ")
    if first[1:].islower() and first not in EPONYMS:  # "Diffuse large B-cell lymphoma" reads in lower case
        diagnosis = f"{first.lower()} {rest}".strip()
    case.label = case_label(facts, diagnosis)[:200]
    case.age_band = facts.age_band or ""
    case.sex = facts.sex if facts.sex in Sex.values else Sex.UNSTATED
    case.treatment_year = facts.treatment_year
    safe = vocabularies.safe_names
    case.outcome = neutralize_identifiers(facts.outcome or "", safe)[:300]
    case.follow_up = case.follow_up or facts.follow_up[:100]
    case.narrative = case.narrative or story_narrative(document, safe)
    case.privacy_findings = findings
    case.save()
    case.articles.add(article)
    case.diseases.set(
        list(
            DiseaseTag.objects.filter(
                pk__in=vocabularies.with_broader("diseases", disease_ids[:1], disease_ids)
            )
        )
    )
    case.therapies.set(list(TherapyTag.objects.filter(pk__in=therapy_ids)))
    result.case_id = case.pk
    result.case_label = case.label


def _iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def read_uploads(files, *, limit: int, max_documents: int = 200) -> list[tuple[str, bytes]]:
    """(name, bytes) for each uploaded document, with .zip files opened. Refuses, with a message an
    editor can act on, archives that hold too much or too many, and anything that is not a document."""
    documents, total = [], 0
    for upload in files:
        name = Path(upload.name).name
        if upload.size > limit:
            raise ValidationError(
                _("%(name)s is over the %(mb)d MB upload limit.") % {"name": name, "mb": limit // 1_000_000}
            )
        data = upload.read()
        if name.lower().endswith(".zip"):
            try:
                archive = zipfile.ZipFile(io.BytesIO(data))
            except zipfile.BadZipFile:
                raise ValidationError(_("%(name)s is not a readable .zip file.") % {"name": name}) from None
            for member in archive.infolist():
                member_name = Path(member.filename).name
                if (
                    member.is_dir()
                    or Path(member_name).suffix.lower() not in SUFFIXES
                    or member_name.startswith(".")
                ):
                    continue
                total += member.file_size
                if total > limit:
                    raise ValidationError(
                        _("%(name)s unpacks to more than %(mb)d MB. Split it.")
                        % {"name": name, "mb": limit // 1_000_000}
                    )
                try:
                    documents.append((member_name, archive.read(member)))
                except (zipfile.BadZipFile, OSError, EOFError, zlib.error):  # a bad checksum, a cut file
                    raise ValidationError(
                        _("%(member)s in %(name)s is damaged (it fails its checksum). Make the .zip again.")
                        % {"member": member_name, "name": name}
                    ) from None
        elif Path(name).suffix.lower() in SUFFIXES:
            total += len(data)
            documents.append((name, data))
        else:
            raise ValidationError(
                _("%(name)s is not a .txt, .md, .html, .docx, .pdf or .zip file.") % {"name": name}
            )
        if len(documents) > max_documents:
            raise ValidationError(_("Import at most %(n)d documents at a time.") % {"n": max_documents})
    if not documents:
        raise ValidationError(_("No documents found in the upload."))
    return documents


# --- Previews waiting for confirmation ---------------------------------------------------------------

PREVIEW_HOURS = 24


def expire_import_previews(now=None) -> int:
    """Delete unconfirmed import previews older than PREVIEW_HOURS (source documents may name patients).
    On the desk's clock (NEWSDESK_CLOCK_JOBS). Returns how many were deleted."""
    storage = storages["private"]
    if not storage.exists("imports"):
        return 0
    cutoff = (now or timezone.now()) - timedelta(hours=PREVIEW_HOURS)
    deleted = 0
    for folder in storage.listdir("imports")[0]:
        names = [f"imports/{folder}/{name}" for name in storage.listdir(f"imports/{folder}")[1]]
        if not names or all(storage.get_modified_time(name) < cutoff for name in names):
            for name in names:
                storage.delete(name)
            deleted += 1
    ImportJob.objects.filter(created_at__lt=cutoff).delete()
    return deleted

"""Writes that change a case's privacy standing: clearing it, sending it back, withdrawing consent.

Each takes the acting user, checks their permission, runs in one transaction and leaves an entry in the
case's audit trail. Messages and logs name the case by its reference, never by patient details.
"""

import logging
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from articles.cache import retire
from articles.models import Article, Status
from articles.roles import holds
from articles.services import record_revision
from articles.workflow import transition
from cases.models import Case, CaseEvent, FindingDecision, PrivacyStatus
from cases.privacy import (
    PLACEHOLDERS,
    PLACEHOLDERS_ZH,
    REASON_KINDS,
    RICH_FIELDS,
    case_findings,
    count_undecided,
    decisions_in_force,
    identifiable_consent,
    kind_label,
    never_waived,
    open_findings,
    owner,
    public_texts,
    refresh_scan,
    stored_findings,
    text_fingerprint,
)

logger = logging.getLogger(__name__)


class CaseActionNotAllowed(PermissionDenied):
    pass


def _require(user, permission: str, what: str) -> None:
    if not holds(user, permission):
        raise CaseActionNotAllowed(
            _("You may not %(what)s: it needs the privacy officer role.") % {"what": what}
        )


@transaction.atomic
def case_clear(case: Case, *, by, justification: str = "") -> Case:
    """The privacy officer clears a case for publication.

    Clearing needs consent in force that covers the website, and a decision in force on every finding in
    the story's text (`decide_finding`); `justification` is an optional note for the record. The
    clearance covers the exact text read: any later edit of the story or of an article that tells it
    sends the case back to pending.
    """
    _require(by, "cases.clear_case", "clear patient stories")
    case = Case.objects.select_for_update().get(pk=case.pk)
    problems = []
    consent = case.current_consent()
    if consent is None:
        problems.append(
            _("%(ref)s has no consent in force. Record the signed consent form first.")
            % {"ref": case.reference}
        )
    elif not consent.scope_web:
        problems.append(_("The consent for %(ref)s does not cover the website.") % {"ref": case.reference})
    findings = case_findings(case)
    if undecided := open_findings(case):
        kinds = ", ".join(sorted({kind_label(f["kind"]) for f in undecided}))
        problems.append(
            _(
                "%(n)d finding(s) in the story have no decision yet (%(kinds)s). Replace each, or keep it "
                "with a reason, in the list of findings below."
            )
            % {"n": len(undecided), "kinds": kinds}
        )
    if problems:
        raise ValidationError(problems)

    fingerprint = case.fingerprint()
    was = case.privacy_status
    case.privacy_status = PrivacyStatus.CLEARED
    case.cleared_by = by
    case.cleared_at = timezone.now()
    case.cleared_fingerprint = fingerprint
    case.privacy_findings = findings
    case.save()
    CaseEvent.record(
        case, by=by, action=CaseEvent.Action.CLEARED, comment=justification.strip(), from_status=was
    )
    logger.info("Case %s cleared for publication", case.reference)
    return case


@transaction.atomic
def case_save(case: Case, *, by) -> Case:
    """Save an edited case. Edited text voids a clearance (Case.save sees to that); record it here."""
    was_cleared = (
        bool(case.pk) and Case.objects.filter(pk=case.pk, privacy_status=PrivacyStatus.CLEARED).exists()
    )
    case.save()
    if was_cleared and case.privacy_status == PrivacyStatus.PENDING:
        CaseEvent.record(
            case,
            by=by,
            action=CaseEvent.Action.PENDING,
            comment=_("Story edited after clearance."),
            from_status=PrivacyStatus.CLEARED,
        )
    return case


@transaction.atomic
def case_mark_pending(case: Case, *, reason: str, by=None) -> Case:
    """Send a cleared case back to the privacy officer, e.g. because its text or an article changed."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.privacy_status != PrivacyStatus.CLEARED:
        return case
    Case.objects.filter(pk=case.pk).update(privacy_status=PrivacyStatus.PENDING)
    case.privacy_status = PrivacyStatus.PENDING
    retire(*case.keys_to_retire())
    CaseEvent.record(
        case, by=by, action=CaseEvent.Action.PENDING, comment=reason, from_status=PrivacyStatus.CLEARED
    )
    logger.info("Case %s needs a new privacy review: %s", case.reference, reason)
    return case


def _off_the_site(case: Case, status: str, by, comment: str) -> list:
    """Give the story `status` (off the public site) and take down every live article that tells it,
    through the workflow. Cached pages are retired in this request, not after a timeout."""
    Case.objects.filter(pk=case.pk).update(privacy_status=status)
    case.privacy_status = status
    retire(*case.keys_to_retire())
    return [
        transition(article, to=Status.DRAFT, by=by, move_name="take_down", comment=comment)
        for article in case.articles.filter(status=Status.PUBLISHED)
    ]


@transaction.atomic
def case_withdraw_consent(case: Case, *, by, reason: str) -> list:
    """The patient withdrew consent: hide the case and every article that tells it, at once.

    Every consent in force is marked withdrawn, the case leaves every public surface, and each published
    or scheduled article that tells it is taken down through the workflow (with its own audit entry).
    `by=None` is the desk itself, when a consent expires (cases.consents). Returns the articles taken down.
    """
    if by is not None:
        _require(by, "cases.clear_case", "withdraw consent")
    if not reason.strip():
        raise ValidationError(_("Say why consent is withdrawn (for example “patient's request by phone”)."))
    case = Case.objects.select_for_update().get(pk=case.pk)
    now, was = timezone.now(), case.privacy_status
    case.consents.filter(withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=by, withdrawal_reason=reason[:300]
    )
    unpublished = _off_the_site(
        case, PrivacyStatus.WITHDRAWN, by,
        _("Consent withdrawn for %(ref)s: %(reason)s") % {"ref": case.reference, "reason": reason},
    )  # fmt: skip
    CaseEvent.record(case, by=by, action=CaseEvent.Action.CONSENT_WITHDRAWN, comment=reason, from_status=was)
    logger.warning(
        "Consent withdrawn for case %s; %d article(s) taken down", case.reference, len(unpublished)
    )
    return unpublished


# --- Decisions on findings ----------------------------------------------------------------------

MIN_NOTE_WORDS, MIN_NOTE_CHARS = 4, 20


def _subject_name(subject) -> str:
    return subject.reference if isinstance(subject, Case) else _("article %(id)s") % {"id": subject.pk}


def _is_live(subject) -> bool:
    if isinstance(subject, Case):
        return subject.articles.filter(status=Status.PUBLISHED).exists()
    return subject.is_locked


def default_replacement(kind: str, text: str) -> str:
    chinese = re.search(r"[\u4e00-\u9fff]", text) is not None
    return PLACEHOLDERS_ZH.get(kind, "[已删除]") if chinese else PLACEHOLDERS.get(kind, "[removed]")


@transaction.atomic
def decide_finding(subject, *, kind: str, text: str, choice: str, by, reason: str = "", note: str = "",
                   replacement: str = "") -> FindingDecision:  # fmt: skip
    """The privacy officer decides on one distinct finding in an article's or a story's public text.

    - `replaced`: every occurrence, in every public field, becomes `replacement` (or a placeholder for
      the kind); an article gets a new revision. The decisions in force carry over to the new text.
    - `not_identifying`: needs a reason that fits the kind and a sentence saying why. Never for names,
      nicknames, contact details, numbers, addresses, exact dates or ages over 89.
    - `consented`: needs a consent in force in which the patient agreed to be identified.
    """
    _require(by, "cases.clear_case", "decide on privacy findings")
    subject = type(subject).objects.select_for_update().get(pk=subject.pk)
    finding = next((f for f in stored_findings(subject) if (f["kind"], f["text"]) == (kind, text)), None)
    if finding is None:
        raise ValidationError(_("That finding is no longer in the text. Reload the page."))
    note, reason = note.strip(), reason.strip()
    what = kind_label(kind)
    if choice == FindingDecision.Choice.REPLACED:
        return _replace(subject, finding, replacement.strip() or default_replacement(kind, text), by, note)
    if choice == FindingDecision.Choice.NOT_IDENTIFYING:
        if never_waived(kind, text):
            raise ValidationError(
                _(
                    "A %(kind)s always identifies a patient, so it cannot be kept as “not identifying”. "
                    "Replace it, or keep it as consented if the patient agreed to be identified."
                )
                % {"kind": what}
            )
        if reason not in REASON_KINDS:
            raise ValidationError(
                {"reason": _("Choose the reason this %(kind)s does not identify anyone.") % {"kind": what}}
            )
        if kind not in REASON_KINDS[reason]:
            raise ValidationError(
                {
                    "reason": _(
                        "“%(reason)s” does not explain keeping a %(kind)s. Choose a reason that fits, or "
                        "replace it."
                    )
                    % {"reason": FindingDecision.Reason(reason).label, "kind": what}
                }
            )
        if len(note.split()) < MIN_NOTE_WORDS or len(note) < MIN_NOTE_CHARS:
            raise ValidationError(
                {
                    "note": _(
                        "Say in a sentence why this stays, for whoever reads the record later (for "
                        "example “Dr Okafor leads the trial and agreed to be quoted”)."
                    )
                }
            )
    elif choice == FindingDecision.Choice.CONSENTED:
        if identifiable_consent(subject) is None:
            raise ValidationError(
                _(
                    "No consent in force says the patient agreed to be named or identified on the website. "
                    "Replace the %(kind)s, or record such a consent on the story first."
                )
                % {"kind": what}
            )
        reason = ""
    else:
        raise ValidationError(_("Choose replace, keep as not identifying, or keep as consented."))
    decision = FindingDecision.objects.create(
        **owner(subject),
        kind=kind,
        text=text,
        choice=choice,
        reason=reason,
        note=note[:500],
        fingerprint=text_fingerprint(subject),
        decided_by=by,
    )
    count_undecided(subject)
    logger.info("Privacy decision on %s: %s kept (%s)", _subject_name(subject), kind, choice)
    return decision


def _replace(subject, finding: dict, replacement: str, by, note: str) -> FindingDecision:
    text, kind = finding["text"], finding["kind"]
    if _is_live(subject):
        raise ValidationError(
            _("Readers can see this text now. Take it down first (“Take down for privacy”), then replace.")
        )
    carried = decisions_in_force(subject)
    for field, _plain in public_texts(subject):
        if field.startswith("correction"):
            raise ValidationError(
                _("A published correction note cannot be edited. Ask an editor to retract it.")
            )
        if field.startswith("image-"):  # a picture's alt text, caption or credit: "image-2-caption"
            _image, number, part = field.split("-")
            pictures = subject.images.filter(number=int(number))
            for value in pictures.values_list(part, flat=True):
                pictures.update(**{part: value.replace(text, replacement)})
            continue
        value = getattr(subject, field)
        if field in RICH_FIELDS:
            value = value.replace(escape(text), escape(replacement)).replace(text, replacement)
        else:
            value = value.replace(text, replacement)
        setattr(subject, field, value)
    if any(text in plain for _field, plain in public_texts(subject)):
        raise ValidationError(
            _("Some occurrences are split by formatting and could not be replaced. Edit the text by hand.")
        )
    if isinstance(subject, Article):
        from django.utils.text import slugify

        if (old := slugify(text)) and old in subject.slug and not subject.has_been_public():
            subject.slug = ""  # made again from the headline as it is now
        subject.save()
        record_revision(subject, by, note=_("Privacy: a %(kind)s replaced") % {"kind": kind_label(kind)})
    else:
        subject.save()
        CaseEvent.record(
            subject,
            by=by,
            action=CaseEvent.Action.FINDING_REPLACED,
            comment=_("A %(kind)s replaced in every field.") % {"kind": kind_label(kind)},
        )
    refresh_scan(subject)
    fingerprint = text_fingerprint(subject)
    for (other_kind, other_text), decision in carried.items():
        FindingDecision.objects.create(
            **owner(subject),
            kind=other_kind,
            text=other_text,
            choice=decision.choice,
            reason=decision.reason,
            note=decision.note,
            replacement=decision.replacement,
            fingerprint=fingerprint,
            decided_by=decision.decided_by,
        )
    logger.info("Privacy decision on %s: a %s replaced", _subject_name(subject), kind)
    decision = FindingDecision.objects.create(
        **owner(subject),
        kind=kind,
        text=text,
        choice=FindingDecision.Choice.REPLACED,
        replacement=replacement,
        note=note[:500],
        fingerprint=fingerprint,
        decided_by=by,
    )
    count_undecided(subject)
    return decision


# --- Taking down ------------------------------------------------------------------------------------


@transaction.atomic
def take_down_case(case: Case, *, by, reason: str) -> list:
    """The privacy officer takes a live story off the public site at once, with every article that tells
    it, to fix it. The story goes back to pending; each article to draft, through the workflow."""
    _require(by, "cases.clear_case", "take patient stories down")
    if len(reason.split()) < 3:
        raise ValidationError(
            {
                "reason": _(
                    "Say why the story comes down (for example “the outcome names the patient's town”)."
                )
            }
        )
    case = Case.objects.select_for_update().get(pk=case.pk)
    was = case.privacy_status
    taken_down = _off_the_site(
        case, PrivacyStatus.PENDING, by,
        _("Taken down with %(ref)s for privacy: %(reason)s") % {"ref": case.reference, "reason": reason},
    )  # fmt: skip
    CaseEvent.record(case, by=by, action=CaseEvent.Action.TAKEN_DOWN, comment=reason, from_status=was)
    logger.warning("Case %s taken down for privacy; %d article(s) with it", case.reference, len(taken_down))
    return taken_down

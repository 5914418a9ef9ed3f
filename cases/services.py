"""Writes that change a case's privacy standing: clearing it, sending it back, withdrawing consent.

Each takes the acting user, checks their permission, runs in one transaction and leaves an entry in the
case's audit trail. Messages and logs name the case by its reference, never by patient details.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.cache import bump
from articles.models import Status
from articles.workflow import transition
from cases.models import Case, CaseEvent, PrivacyStatus
from cases.privacy import case_findings

logger = logging.getLogger(__name__)


class CaseActionNotAllowed(PermissionDenied):
    pass


def _require(user, permission: str, what: str) -> None:
    if not user.has_perm(permission):
        raise CaseActionNotAllowed(
            _("You may not %(what)s: it needs the privacy officer role.") % {"what": what}
        )


@transaction.atomic
def case_clear(case: Case, *, by, justification: str = "") -> Case:
    """The privacy officer clears a case for publication.

    Clearing needs consent in force that covers the website, and every scanner finding either fixed in
    the text or justified in `justification`. The clearance covers the exact text read: any later edit
    of the story or of an article that tells it sends the case back to pending.
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
    if findings and not justification.strip():
        kinds = ", ".join(sorted({f["kind"].replace("_", " ") for f in findings}))
        problems.append(
            _(
                "%(n)d privacy findings remain (%(kinds)s). Fix them in the text, or explain in the "
                "justification why each one may stay."
            )
            % {"n": len(findings), "kinds": kinds}
        )
    if problems:
        raise ValidationError(problems)

    fingerprint = case.fingerprint()
    case.privacy_status = PrivacyStatus.CLEARED
    case.cleared_by = by
    case.cleared_at = timezone.now()
    case.cleared_fingerprint = fingerprint
    case.privacy_findings = findings
    case.save()
    CaseEvent.objects.create(
        case=case,
        actor=by,
        action="cases.cleared",
        comment=justification.strip()[:500],
        fingerprint=fingerprint,
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
        CaseEvent.objects.create(
            case=case, actor=by, action="cases.pending", comment=_("Story edited after clearance."),
            fingerprint=case.fingerprint(),
        )  # fmt: skip
    return case


@transaction.atomic
def case_mark_pending(case: Case, *, reason: str, by=None) -> Case:
    """Send a cleared case back to the privacy officer, e.g. because its text or an article changed."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.privacy_status != PrivacyStatus.CLEARED:
        return case
    Case.objects.filter(pk=case.pk).update(privacy_status=PrivacyStatus.PENDING)
    case.privacy_status = PrivacyStatus.PENDING
    transaction.on_commit(bump)
    CaseEvent.objects.create(
        case=case, actor=by, action="cases.pending", comment=reason, fingerprint=case.fingerprint()
    )
    logger.info("Case %s needs a new privacy review: %s", case.reference, reason)
    return case


@transaction.atomic
def case_withdraw_consent(case: Case, *, by, reason: str) -> list:
    """The patient withdrew consent: hide the case and every article that tells it, at once.

    Every consent in force is marked withdrawn, the case leaves every public surface, and each published
    or scheduled article that tells it is unpublished through the workflow (with its own audit entry).
    Returns the unpublished articles.
    """
    _require(by, "cases.clear_case", "withdraw consent")
    if not reason.strip():
        raise ValidationError(_("Say why consent is withdrawn (for example “patient's request by phone”)."))
    case = Case.objects.select_for_update().get(pk=case.pk)
    now = timezone.now()
    case.consents.filter(withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=by, withdrawal_reason=reason[:300]
    )
    Case.objects.filter(pk=case.pk).update(privacy_status=PrivacyStatus.WITHDRAWN)
    case.privacy_status = PrivacyStatus.WITHDRAWN
    bump()  # in this request: the story leaves every cached page now, not after a timeout
    unpublished = [
        transition(
            article,
            to=Status.DRAFT,
            by=by,
            comment=_("Consent withdrawn for %(ref)s.") % {"ref": case.reference},
        )
        for article in case.articles.filter(status=Status.PUBLISHED)
    ]
    CaseEvent.objects.create(case=case, actor=by, action="cases.consent_withdrawn", comment=reason[:500])
    logger.warning(
        "Consent withdrawn for case %s; %d article(s) unpublished", case.reference, len(unpublished)
    )
    return unpublished

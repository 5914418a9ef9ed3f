"""The consent lifecycle: an expired consent acts as a withdrawal, and privacy officers hear of an
expiry 60, 30 and 7 days before it (each reminder once). Both run on the task worker's clock
(`articles.tasks.tick`, through `NEWSDESK_CLOCK_JOBS`), and are safe to run as often as you like.

Mail names a story by its reference only, never by patient details.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.notifications import holders_of
from cases.models import Case, Consent, ConsentReminder, PrivacyStatus
from cases.services import case_withdraw_consent

log = logging.getLogger("newsdesk.consents")

REMINDER_DAYS = (60, 30, 7)
QUEUE_DAYS = 90


def expiring(today: date | None = None, days: int = QUEUE_DAYS):
    """Consents in force that end within `days`, soonest first: the privacy officer's expiry queue."""
    today = today or timezone.localdate()
    return (
        Consent.objects.valid(today)
        .filter(expires_on__lte=today + timedelta(days=days))
        .exclude(case__privacy_status=PrivacyStatus.WITHDRAWN)
        .select_related("case")
        .order_by("expires_on", "pk")
    )


def expire_consents(today: date | None = None) -> list[Case]:
    """Withdraw every story whose consent has run out and that has no other consent in force, exactly
    as a withdrawal by the privacy officer would: the story and each article telling it leave every
    public surface and cache, and the history says why."""
    today = today or timezone.localdate()
    lapsed = Consent.objects.filter(case=OuterRef("pk"), withdrawn_at__isnull=True, expires_on__lt=today)
    in_force = Consent.objects.valid(today).filter(case=OuterRef("pk"))
    cases = Case.objects.exclude(privacy_status=PrivacyStatus.WITHDRAWN).filter(
        Exists(lapsed), ~Exists(in_force)
    )
    withdrawn = []
    for case in cases:
        ended = case.consents.filter(withdrawn_at__isnull=True).order_by("-expires_on").first()
        reason = _("Consent expired on %(day)s.") % {"day": ended.expires_on.isoformat()}
        case_withdraw_consent(case, by=None, reason=reason)
        withdrawn.append(case)
    return withdrawn


def reminder_due(consent: Consent, today: date) -> int | None:
    """The reminder (60, 30 or 7 days before) a consent is owed today: the most urgent that applies."""
    if consent.expires_on is None or consent.expires_on < today:
        return None
    left = (consent.expires_on - today).days
    return min((days for days in REMINDER_DAYS if left <= days), default=None)


def send_consent_reminders(today: date | None = None) -> list[ConsentReminder]:
    """Tell the privacy officers of each consent that expires in 60, 30 or 7 days, once each. A failing
    mail server leaves no row, so the next run tries again."""
    today = today or timezone.localdate()
    sent = []
    for consent in expiring(today, days=max(REMINDER_DAYS)):
        days = reminder_due(consent, today)
        if (
            days is None
            or consent.reminders.filter(days_before__lte=days, expires_on=consent.expires_on).exists()
        ):
            continue
        to = sorted(holders_of("cases.clear_case").values_list("email", flat=True))
        try:
            with transaction.atomic():
                reminder = ConsentReminder.objects.create(
                    consent=consent, days_before=days, expires_on=consent.expires_on, sent_to=to
                )
                _mail(consent, to, today)
        except IntegrityError:  # another run sent it a moment ago
            continue
        except Exception:
            log.exception(
                "consent reminder for %s not sent; the next run tries again", consent.case.reference
            )
            continue
        log.info("consent reminder (%d days) for %s sent to %d people", days, consent.case.reference, len(to))
        sent.append(reminder)
    return sent


def _mail(consent: Consent, to: list[str], today: date) -> None:
    ref, left = consent.case.reference, (consent.expires_on - today).days
    body = "\n".join(
        [
            f"The consent for {ref} expires on {consent.expires_on:%-d %B %Y}, in {left} days.",
            "When it expires, the story and every article that tells it leave the public site by themselves.",
            "Record a renewed consent before then if the patient agrees to stay published.",
            "",
            "Consents expiring soon: "
            + settings.NEWSDESK_BASE_URL
            + reverse("admin:cases_consents_expiring"),
        ]
    )
    for email in to:
        send_mail(f"[Newsdesk] Consent for {ref} expires in {left} days", body, None, [email])

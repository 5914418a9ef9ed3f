"""Keep case clearances honest, and public pages fresh, when a story or an article that tells it changes.

A clearance vouches for exact text (Case.fingerprint). When an article's text changes, or a story is
linked to another article, each cleared case involved goes back to the privacy officer.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from articles.cache import bump
from articles.models import Article, Correction
from articles.models.history import item_row_goes_first
from cases.models import Case, CaseDisease, CaseTherapy, Consent, PrivacyStatus
from cases.privacy import ARTICLE_FIELDS, CASE_FIELDS, refresh_scan
from cases.services import case_mark_pending

for model in (Case, Consent, CaseDisease, CaseTherapy):
    post_save.connect(bump, sender=model, dispatch_uid=f"public-cache-save-{model.__name__}")
    post_delete.connect(bump, sender=model, dispatch_uid=f"public-cache-delete-{model.__name__}")


def _recheck(cases, reason: str) -> None:
    for case in cases:
        if case.fingerprint() != case.cleared_fingerprint:
            case_mark_pending(case, reason=reason)


@receiver(post_save, sender=Article, dispatch_uid="cases.article_text_changed")
def article_text_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not {"title", "standfirst", "body"} & set(update_fields)):
        return
    _recheck(instance.cases.filter(privacy_status=PrivacyStatus.CLEARED), f"article {instance.pk} changed")


@receiver(m2m_changed, sender=Case.articles.through, dispatch_uid="cases.case_links_changed")
def case_links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse and action == "pre_clear":  # article.cases.clear(): remember who is about to be unlinked
        instance._cases_being_cleared = set(instance.cases.values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    bump()
    if reverse:  # article.cases.add(...): instance is the article
        pks = pk_set if action != "post_clear" else getattr(instance, "_cases_being_cleared", set())
        cases = Case.objects.filter(pk__in=pks or [], privacy_status=PrivacyStatus.CLEARED)
    else:
        cases = [instance] if instance.privacy_status == PrivacyStatus.CLEARED else []
    _recheck(cases, "linked articles changed")


# --- Findings are stored when a text is saved, so that no page view scans ----------------------------


@receiver(post_save, sender=Article, dispatch_uid="cases.scan_article")
@receiver(post_save, sender=Case, dispatch_uid="cases.scan_case")
def scan_saved_text(sender, instance, raw=False, update_fields=None, **kwargs):
    fields = ARTICLE_FIELDS if sender is Article else CASE_FIELDS
    if raw or (update_fields is not None and not set(fields) & set(update_fields)):
        return
    refresh_scan(instance)


@receiver(post_save, sender=Correction, dispatch_uid="cases.scan_correction")
def scan_correction(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_scan(instance.article)


@receiver(pre_delete, sender=Case, dispatch_uid="cases.story_row_goes_first")
def _story_row_goes_first(sender, instance, using, **kwargs):
    """A story with privacy events or consents is protected by them; one without may go, and its privacy
    decisions with it once its own row has gone (articles.models.history.item_row_goes_first)."""
    item_row_goes_first(instance, using)

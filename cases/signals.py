"""Keep case clearances honest, and public pages fresh, when a story or an article that tells it changes.

A clearance vouches for exact text (Case.fingerprint). When an article's text changes, or a story is
linked to another article, each cleared case involved goes back to the privacy officer.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from articles.cache import retire
from articles.cache_keys import item_key
from articles.models import Article, ArticleEvent, ArticleImage, Correction, Reference
from articles.models.history import item_row_goes_first
from cases.models import Case, CaseDisease, CaseTherapy, Consent, PrivacyStatus
from cases.privacy import ARTICLE_FIELDS, CASE_FIELDS, refresh_scan
from cases.services import case_mark_pending

# --- Cached public pages: a story's change retires every page that shows it (articles.cache) ----------


def _story_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return  # loaddata: a restore retires every page once it is done
    case = instance if sender is Case else instance.case if sender is Consent else instance.content_object
    retire(*case.keys_to_retire())


for model in (Case, Consent, CaseDisease, CaseTherapy):
    post_save.connect(_story_changed, sender=model, dispatch_uid=f"public-cache-save-{model.__name__}")
pre_delete.connect(_story_changed, sender=Case, dispatch_uid="public-cache-delete-Case")
for model in (CaseDisease, CaseTherapy):
    post_delete.connect(_story_changed, sender=model, dispatch_uid=f"public-cache-delete-{model.__name__}")


def _stories_told_in(article_pk) -> set[str]:
    """An article coming or going makes the stories it tells come or go: their pages and lists."""
    return {key for case in Case.objects.filter(articles=article_pk) for key in case.keys_to_retire()}


@receiver(post_save, sender=Article, dispatch_uid="cases.public-cache-article")
def _article_seen_changed(sender, instance, **kwargs):
    if instance.readers_may_see_this_save():
        retire(*_stories_told_in(instance.pk))


@receiver(post_save, sender=ArticleEvent, dispatch_uid="cases.public-cache-went-live")
def _article_went_live(sender, instance, **kwargs):
    if instance.action in (ArticleEvent.Action.WENT_LIVE, ArticleEvent.Action.HELD_BACK):
        retire(*_stories_told_in(instance.article_id))


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
    _links_retire(instance, reverse, pk_set)  # before the change and after it: both sides' pages
    if reverse and action == "pre_clear":  # article.cases.clear(): remember who is about to be unlinked
        instance._cases_being_cleared = set(instance.cases.values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # article.cases.add(...): instance is the article
        pks = pk_set if action != "post_clear" else getattr(instance, "_cases_being_cleared", set())
        cases = Case.objects.filter(pk__in=pks or [], privacy_status=PrivacyStatus.CLEARED)
    else:
        cases = [instance] if instance.privacy_status == PrivacyStatus.CLEARED else []
    _recheck(cases, "linked articles changed")


def _links_retire(instance, reverse, pk_set) -> None:
    if reverse:  # instance is the article
        cases = Case.objects.filter(pk__in=pk_set) if pk_set else instance.cases.all()
        retire(item_key("articles", instance.pk), *(k for case in cases for k in case.keys_to_retire()))
    else:
        retire(*instance.keys_to_retire(), *(item_key("articles", pk) for pk in pk_set or ()))


# --- Findings are stored when a text is saved, so that no page view scans ----------------------------


@receiver(post_save, sender=Article, dispatch_uid="cases.scan_article")
@receiver(post_save, sender=Case, dispatch_uid="cases.scan_case")
def scan_saved_text(sender, instance, raw=False, update_fields=None, **kwargs):
    fields = ARTICLE_FIELDS if sender is Article else CASE_FIELDS
    if raw or (update_fields is not None and not set(fields) & set(update_fields)):
        return
    refresh_scan(instance)


@receiver(post_save, sender=Correction, dispatch_uid="cases.scan_correction")
@receiver(post_save, sender=ArticleImage, dispatch_uid="cases.scan_image")
@receiver(post_delete, sender=ArticleImage, dispatch_uid="cases.scan_image_gone")
@receiver(post_save, sender=Reference, dispatch_uid="cases.scan_reference")
@receiver(post_delete, sender=Reference, dispatch_uid="cases.scan_reference_gone")
def scan_article_again(sender, instance, raw=False, **kwargs):
    """A correction note, a picture's texts or a reference joined or left the article's public text
    (unless the article itself is going). articles.signals has already noted a reference's change."""
    if not raw and Article.objects.filter(pk=instance.article_id).exists():
        refresh_scan(instance.article)


@receiver(pre_delete, sender=Case, dispatch_uid="cases.story_row_goes_first")
def _story_row_goes_first(sender, instance, using, **kwargs):
    """A story with privacy events or consents is protected by them; one without may go, and its privacy
    decisions with it once its own row has gone (articles.models.history.item_row_goes_first)."""
    item_row_goes_first(instance, using)

"""Anything a reader can see changed: retire the cached public pages; an address changed: keep the old one
answering with a redirect; an article that was ever public is never deleted."""

import logging

from django.db.models import ProtectedError
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from articles.cache import bump
from articles.models import (
    Article,
    ArticleDisease,
    ArticleEvent,
    ArticleTherapy,
    Correction,
    DiseaseTag,
    Redirect,
    StaffProfile,
    TherapyTag,
)
from articles.models.history import item_row_goes_first
from articles.redirects import address_moved

for model in (
    ArticleDisease,
    ArticleTherapy,
    DiseaseTag,
    TherapyTag,
    Correction,
    Redirect,
    StaffProfile,
):
    post_save.connect(bump, sender=model, dispatch_uid=f"public-cache-save-{model.__name__}")
    post_delete.connect(bump, sender=model, dispatch_uid=f"public-cache-delete-{model.__name__}")


post_delete.connect(bump, sender=Article, dispatch_uid="public-cache-delete-Article")


@receiver(post_save, sender=Article, dispatch_uid="public-cache-save-Article")
def _article_saved(sender, instance, **kwargs):
    if instance.readers_may_see_this_save():  # during a save, `_loaded_status` is still the status before it
        bump()


@receiver(post_save, sender=ArticleEvent, dispatch_uid="public-cache-event")
def _went_live(sender, instance, created, **kwargs):
    if instance.action in (
        ArticleEvent.Action.WENT_LIVE,
        ArticleEvent.Action.HELD_BACK,
        ArticleEvent.Action.RE_REVIEWED,  # the page shows the review date
    ):
        bump()


ADDRESS_NOTES = {
    Article: _("The headline's address changed."),
    DiseaseTag: _("The term's address changed."),
    TherapyTag: _("The term's address changed."),
}


def _address_moved(sender, instance, **kwargs):
    """During a save `_loaded_slug` is still the address readers had; an article's counts only once it has
    been public."""
    old = getattr(instance, "_loaded_slug", None)
    if not old or old == instance.slug or (sender is Article and not instance.has_been_public()):
        return
    moved_from = sender(pk=instance.pk, slug=old).get_absolute_url()
    address_moved(moved_from, instance.get_absolute_url(), note=ADDRESS_NOTES[sender])


for model in ADDRESS_NOTES:
    post_save.connect(_address_moved, sender=model, dispatch_uid=f"address-moved-{model.__name__}")


log = logging.getLogger("newsdesk.audit")


@receiver(pre_delete, sender=Article, dispatch_uid="never-delete-what-was-public")
def _never_delete_what_was_public(sender, instance, using, **kwargs):
    """Whatever deletes it (the admin, a bulk action, the shell, a cascade), an article readers may have
    seen keeps its address, history and corrections: retraction is the way out. A draft that was never
    public may go, and its going is logged (by number: a headline can name a patient)."""
    if instance.has_been_public():
        raise ProtectedError(
            str(_("Article %(pk)s was public, so it is never deleted. Retract it instead: its address then "
                  "shows the retraction notice and its history stays.") % {"pk": instance.pk}),
            {instance},
        )  # fmt: skip
    item_row_goes_first(instance, using)
    log.info("article %s deleted: a %s that was never public", instance.pk, instance.status)

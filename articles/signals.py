"""Anything a reader can see changed: retire the cached public pages."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

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

"""Anything a reader can see changed: retire the cached public pages that show it (articles.cache). An
address changed: keep the old one answering with a redirect. An article that was ever public is never
deleted."""

import logging

from django.db import transaction
from django.db.models import ProtectedError
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from articles.cache import retire, retire_everything
from articles.cache_keys import item_key
from articles.models import (
    Article,
    ArticleDisease,
    ArticleEvent,
    ArticleTherapy,
    Correction,
    DiseaseTag,
    Page,
    Reference,
    StaffProfile,
    Status,
    TherapyTag,
)
from articles.models.article import count_public_articles
from articles.models.history import item_row_goes_first
from articles.models.pages import forget_footer
from articles.models.people import person_key
from articles.redirects import address_moved


def terms_of(article_pk) -> dict:
    """The ids of the terms an article is filed under, by vocabulary: read once per change."""
    return {
        vocabulary: set(links.objects.filter(content_object=article_pk).values_list("tag", flat=True))
        for links, vocabulary in ((ArticleDisease, DiseaseTag), (ArticleTherapy, TherapyTag))
    }


def article_keys(article_pk, terms: dict) -> set[str]:
    """What an article's change retires: its own pages, the lists of the newest articles, and the lists of
    the terms it is (or was until this change) filed under."""
    keys = {item_key("articles", article_pk), "articles"}
    for vocabulary, pks in terms.items():
        keys.update(map(vocabulary.list_key_for, pks))
    return keys


def _retire_article(article_pk, terms: dict, *, added_only=False) -> None:
    """Retire an article's pages, and count again the public articles of its terms."""
    retire(*article_keys(article_pk, terms), added_only=added_only)
    for vocabulary, pks in terms.items():
        if pks and count_public_articles(vocabulary, pks):
            retire(vocabulary.kind, added_only=True)  # counts, not content


@receiver(post_save, sender=Article, dispatch_uid="public-cache-save-Article")
def _article_saved(sender, instance, raw=False, **kwargs):
    if instance.readers_may_see_this_save():  # during a save, `_loaded_status` is still the status before it
        published_now = instance.status == Status.PUBLISHED != getattr(instance, "_loaded_status", None)
        terms = terms_of(instance.pk)
        if raw:
            retire(*article_keys(instance.pk, terms))
        else:
            _retire_article(instance.pk, terms, added_only=published_now)
        if instance.translation_key:  # the pages of its translations link it, or now may
            retire(item_key("translations", instance.translation_key))
    if not raw and instance.status == Status.PUBLISHED:
        _choose_related(instance)


@receiver(pre_delete, sender=Article, dispatch_uid="public-cache-delete-Article")
def _article_deleted(sender, instance, **kwargs):
    retire(*article_keys(instance.pk, terms_of(instance.pk)))  # before: its links go with it


@receiver(post_save, sender=ArticleEvent, dispatch_uid="public-cache-event")
def _went_live(sender, instance, created, **kwargs):
    if instance.action in (
        ArticleEvent.Action.WENT_LIVE,
        ArticleEvent.Action.HELD_BACK,
        ArticleEvent.Action.RE_REVIEWED,  # the page shows the review date
    ):
        went_live = instance.action == ArticleEvent.Action.WENT_LIVE
        _retire_article(instance.article_id, terms_of(instance.article_id), added_only=went_live)


def _link_changed(sender, instance, raw=False, **kwargs):
    """A tag added to or taken from an article: its pages, and the term's lists, whether it is there now
    or was until now. A public article chooses its related news again."""
    if raw:
        return  # loaddata: a restore retires every page once it is done
    article = Article.objects.filter(pk=instance.content_object_id).first()
    if article is None or not article.readers_may_see_this_save():
        return  # a draft's tags show nowhere yet
    terms = terms_of(article.pk)
    terms[DiseaseTag if sender is ArticleDisease else TherapyTag].add(instance.tag_id)  # there, or until now
    _retire_article(article.pk, terms)
    if article.status == Status.PUBLISHED:
        _choose_related(article)


def _choose_related(article) -> None:
    """Choose the article's related news, and again for the articles it names: the ones closest to it,
    whose own lists it may now join (their pages are retired only if their list changed)."""
    chosen = Article.objects.related_ids(article)
    Article.objects.filter(pk=article.pk).update(related_ids=chosen)
    for neighbour in Article.objects.filter(pk__in=chosen).only("pk", "related_ids"):
        theirs = Article.objects.related_ids(neighbour)
        if theirs != neighbour.related_ids:
            Article.objects.filter(pk=neighbour.pk).update(related_ids=theirs)
            retire(neighbour.cache_key, added_only=True)  # still public, in another order


def _term_changed(sender, instance, **kwargs):
    """A term renamed, moved or merged: the pages naming it, and every list of terms."""
    retire(instance.cache_key, instance.list_key, sender.kind)


def _correction_made(sender, instance, **kwargs):
    retire(item_key("articles", instance.article_id), "articles")  # the page, and the feeds' notes


@receiver(post_save, sender=Reference, dispatch_uid="references-save")
@receiver(post_delete, sender=Reference, dispatch_uid="references-delete")
def _references_changed(sender, instance, raw=False, **kwargs):
    """A reference added, edited or removed changes the signed text (`Article.text_hash`)."""
    if raw:
        return
    if not Article.objects.filter(pk=instance.article_id).exists():
        return  # the article itself is going
    article = instance._state.fields_cache.get("article") or Article.objects.get(pk=instance.article_id)
    article.note_references()  # the form's own copy of the article learns its new fingerprint
    retire(item_key("articles", article.pk))


def _in_footer(page) -> tuple:
    return (page.is_public, page.title, page.slug, page.footer_position) if page.footer_position else ()


@receiver(pre_save, sender=Page, dispatch_uid="page-footer-before")
def _page_before(sender, instance, raw=False, **kwargs):
    before = Page.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._footer_before = _in_footer(before) if before else ()
    if before is not None and before.went_live_at and before.slug != instance.slug:
        address_moved(before.get_absolute_url(), instance.get_absolute_url(), note=str(ADDRESS_NOTES[Page]))


@receiver(post_save, sender=Page, dispatch_uid="public-cache-save-Page")
@receiver(post_delete, sender=Page, dispatch_uid="public-cache-delete-Page")
def _page_changed(sender, instance, **kwargs):
    """A page's own address; and every page, when what the footer lists changed."""
    if kwargs.get("signal") is post_delete:
        footer_changed = bool(_in_footer(instance))
    else:
        footer_changed = _in_footer(instance) != getattr(instance, "_footer_before", ())
    if footer_changed:
        forget_footer()
        transaction.on_commit(forget_footer)  # and again, past any render that read it meanwhile
        retire_everything()
    else:
        retire(instance.cache_key)


@receiver(post_save, sender=StaffProfile, dispatch_uid="public-cache-save-StaffProfile")
@receiver(post_delete, sender=StaffProfile, dispatch_uid="public-cache-delete-StaffProfile")
def _person_changed(sender, instance, **kwargs):
    retire(person_key(instance.user_id))


for model in (ArticleDisease, ArticleTherapy):
    post_save.connect(_link_changed, sender=model, dispatch_uid=f"public-cache-save-{model.__name__}")
    post_delete.connect(_link_changed, sender=model, dispatch_uid=f"public-cache-delete-{model.__name__}")
for model in (DiseaseTag, TherapyTag):
    post_save.connect(_term_changed, sender=model, dispatch_uid=f"public-cache-save-{model.__name__}")
    post_delete.connect(_term_changed, sender=model, dispatch_uid=f"public-cache-delete-{model.__name__}")
post_save.connect(_correction_made, sender=Correction, dispatch_uid="public-cache-save-Correction")


ADDRESS_NOTES = {
    Article: _("The headline's address changed."),
    DiseaseTag: _("The term's address changed."),
    TherapyTag: _("The term's address changed."),
    Page: _("The page's address changed."),
}


def _address_moved(sender, instance, **kwargs):
    """During a save `_loaded_slug` is still the address readers had; an article's counts only once it has
    been public."""
    old = getattr(instance, "_loaded_slug", None)
    if not old or old == instance.slug or (sender is Article and not instance.has_been_public()):
        return
    moved_from = sender(pk=instance.pk, slug=old).get_absolute_url()
    address_moved(moved_from, instance.get_absolute_url(), note=ADDRESS_NOTES[sender])


for model in (Article, DiseaseTag, TherapyTag):  # a page's move is kept by `_page_before`
    post_save.connect(_address_moved, sender=model, dispatch_uid=f"address-moved-{model.__name__}")


log = logging.getLogger("newsdesk.audit")


@receiver(pre_delete, sender=Page, dispatch_uid="never-delete-a-page-that-was-live")
def _never_delete_a_page_that_was_live(sender, instance, **kwargs):
    """A newsroom page readers have seen keeps its address, answering 410 once taken offline."""
    if instance.went_live_at is not None:
        raise ProtectedError(
            str(_("The page “%(title)s” was live, so it is never deleted. Untick Live instead: its address "
                  "then tells readers it has gone.") % {"title": instance.title}),
            {instance},
        )  # fmt: skip


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

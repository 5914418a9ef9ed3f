"""Writes that span more than one row: revisions of an article's text, restoring one, preview links."""

import difflib
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles import access
from articles.cache import retire
from articles.models import (
    Article,
    ArticleEvent,
    ArticleRevision,
    Correction,
    DiseaseTag,
    Language,
    Page,
    PreviewLink,
    Status,
    TherapyTag,
    VocabularyTerm,
)
from articles.models.article import count_public_articles, unique_slug
from articles.redirects import address_moved
from articles.richtext import plain_text


def record_revision(article: Article, by=None, note: str = "") -> ArticleRevision:
    """Keep the article's text and tags as they are now. Called after every save of its content."""
    with transaction.atomic():
        Article.objects.select_for_update().filter(pk=article.pk).exists()
        number = (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        return ArticleRevision.objects.create(
            article=article,
            number=number,
            article_version=article.version,
            created_by=by if getattr(by, "pk", None) else None,
            title=article.title,
            standfirst=article.standfirst,
            body=article.body,
            diseases=sorted(article.diseases.names()),
            therapies=sorted(article.therapies.names()),
            text_hash=article.text_hash(),
            note=note,
        )


def record_owner_change(article: Article, *, previous, by) -> ArticleEvent:
    """A change of owner goes into the history. It voids no sign-off and makes nobody eligible to
    publish: the four-eyes rule asks who wrote the text (`Article.writer_ids`), not who owns it."""
    people = get_user_model().objects.in_bulk([pk for pk in (previous, article.author_id) if pk])
    name = {pk: person.get_username() for pk, person in people.items()}
    return ArticleEvent.record(
        article,
        by=by,
        action=ArticleEvent.Action.OWNER_CHANGED,
        comment=_("Owner changed from %(before)s to %(after)s.")
        % {"before": name.get(previous, _("nobody")), "after": name.get(article.author_id, _("nobody"))},
    )


def assign_owner(articles, *, owner, by) -> int:
    """Hand articles to another owner, each change in its history; how many changed hands."""
    if not access.may(by, "publish", access.ARTICLE):
        raise PermissionDenied(_("Only an editor can hand articles to another owner."))
    changed = 0
    with transaction.atomic():
        for article in Article.objects.select_for_update().filter(pk__in=[a.pk for a in articles]):
            if article.author_id == owner.pk:
                continue
            previous, article.author = article.author_id, owner
            article.save(update_fields=["author"])
            record_owner_change(article, previous=previous, by=by)
            changed += 1
    return changed


def restore_revision(revision: ArticleRevision, *, by) -> Article:
    """Bring back an old revision's text and tags as the article's current draft.

    A published article is never changed under readers: unpublish it first. The restored text has a
    new fingerprint unless it is the signed-off one, so the sign-off rule still holds.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=revision.article_id)
        if article.is_locked:
            raise ValidationError(
                _("“%(title)s” is %(status)s. Unpublish it first, then restore the revision as a draft.")
                % {"title": article.title, "status": article.get_status_display().lower()}
            )
        if refusal := access.refusal(by, "revert", access.ARTICLE, article):
            raise PermissionDenied(refusal)
        article.title, article.standfirst, article.body = revision.title, revision.standfirst, revision.body
        article.save()
        article.diseases.set(revision.diseases)
        article.therapies.set(revision.therapies)
        ArticleEvent.record(
            article,
            by=by,
            action=ArticleEvent.Action.RESTORED,
            comment=_("Restored revision %(number)s.") % {"number": revision.number},
        )
        record_revision(article, by, note=_("Restored from revision %(n)s") % {"n": revision.number})
    return article


def add_correction(article: Article, *, by, kind: str, note: str) -> Correction:
    """Tell readers, on the page and in the feed, what changed in a published article and why.

    Corrections are public and permanent; the private revision history is a separate record.
    """
    if not access.may(by, "correct", access.ARTICLE, article):
        raise PermissionDenied(_("Only an editor can add a correction or update note."))
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say what changed and why, in words readers will understand.")})
    if kind not in Correction.Kind.values:
        raise ValidationError({"kind": _("Choose “correction” or “update”.")})
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.status != Status.PUBLISHED:
            raise ValidationError(
                _("Notes are for published articles. Publish the corrected text first, then add the note.")
            )
        if problems := [
            p for gate in settings.NEWSDESK_CORRECTION_GATES for p in import_string(gate)(article, note)
        ]:
            raise ValidationError({"note": problems})
        correction = Correction.objects.create(article=article, kind=kind, note=note, created_by=by)
        ArticleEvent.record(
            article,
            by=by,
            action=ArticleEvent.Action.CORRECTED,
            comment=f"{correction.get_kind_display()}: {note}",
        )
    return correction


@transaction.atomic
def merge_terms(survivor: VocabularyTerm, merged: VocabularyTerm) -> VocabularyTerm:
    """Fold `merged` into `survivor`: every link to it moves, its names become synonyms, its narrower
    terms move under the survivor, and its old address redirects.

    Links are found through the term's reverse relations, so other apps' items that are tagged with it
    move too without this app knowing about them.
    """
    model = type(survivor)
    if type(merged) is not model or merged.pk == survivor.pk:
        raise ValidationError(_("Pick two different terms of the same vocabulary to merge."))
    for relation in model._meta.related_objects:
        if not relation.one_to_many or relation.related_model is model:
            continue  # only rows pointing at the term (link rows); narrower terms below
        links = relation.related_model._base_manager.filter(**{relation.field.name: merged})
        if relation.field.name == "tag":  # a tagged item: drop links the survivor already has
            kept = relation.related_model._base_manager.filter(tag=survivor).values("content_object")
            links.filter(content_object__in=kept).delete()
        links.update(**{relation.field.name: survivor})
    model.objects.filter(parent=merged).exclude(pk=survivor.pk).update(parent=survivor)
    if survivor.parent_id == merged.pk:
        survivor.parent_id = merged.parent_id if merged.parent_id != survivor.pk else None
    names = {n.casefold() for n in survivor.all_names()}
    survivor.synonyms += [
        n for n in dict.fromkeys([merged.name, *merged.synonyms]) if n.casefold() not in names
    ]
    survivor.abbreviations += [a for a in merged.abbreviations if a not in survivor.abbreviations]
    survivor.code = survivor.code or merged.code
    survivor.description = survivor.description or merged.description
    old_address = merged.get_absolute_url()
    merged.delete()
    survivor.save()
    address_moved(
        old_address, survivor.get_absolute_url(), note=_("Merged into “%(name)s”.") % {"name": survivor.name}
    )
    return survivor


def _words(html: str) -> list[str]:
    """The words of rich text, with a "\n\n" token between blocks (what the diff shows as a break)."""
    return re.findall(r"\n\n|\S+", plain_text(html).replace("\n", "\n\n"))


@dataclass
class FieldDiff:
    label: str
    html: str
    changed: bool


def diff_revisions(old: ArticleRevision, new: ArticleRevision) -> list[FieldDiff]:
    """A word-level, readable comparison: removed words in <del>, added words in <ins>."""
    fields = [
        (_("Headline"), old.title, new.title),
        (_("Standfirst"), old.standfirst, new.standfirst),
        (_("Body"), old.body, new.body),
        (_("Diseases"), old.tag_line("diseases"), new.tag_line("diseases")),
        (_("Therapies"), old.tag_line("therapies"), new.tag_line("therapies")),
    ]
    return [FieldDiff(label, word_diff(a, b), a != b) for label, a, b in fields]


def word_diff(old: str, new: str) -> str:
    a, b = _words(old), _words(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(_join(a[i1:i2]))
        if op in ("delete", "replace"):
            out.append(f"<del>{_join(a[i1:i2])}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{_join(b[j1:j2])}</ins>")
    return mark_safe(" ".join(out).replace("\n\n", "<br><br>"))  # noqa: S308 - every word is escaped


def _join(words: list[str]) -> str:
    return " ".join(escape(w) if w != "\n\n" else "\n\n" for w in words)


def share_preview(article: Article, *, by, audience: str, days: int | None = None) -> PreviewLink:
    if not access.may(by, "share_preview", access.ARTICLE, article):
        raise PermissionDenied(_("Only an editor can share a preview outside the desk."))
    if not audience.strip():
        raise ValidationError({"audience": _("Say who the link is for, for the record.")})
    most = settings.NEWSDESK_PREVIEW_MAX_DAYS
    days = min(settings.NEWSDESK_PREVIEW_DAYS, most) if days is None else days
    if not 1 <= days <= most:
        message = _("A preview link lives 1 to %(most)s days. Share a new link when this one runs out.")
        raise ValidationError({"days": message % {"most": most}})
    with transaction.atomic():
        link = PreviewLink.objects.create(
            article=article,
            audience=audience.strip(),
            created_by=by,
            expires_at=timezone.now() + timedelta(days=days),
        )
        ArticleEvent.record(
            article,
            by=by,
            action=ArticleEvent.Action.PREVIEW_SHARED,
            comment=_("Shared with %(audience)s until %(date)s.")
            % {"audience": link.audience, "date": link.expires_at.date().isoformat()},
        )
    return link


def revoke_preview(link: PreviewLink, *, by) -> PreviewLink:
    if not access.may(by, "share_preview", access.ARTICLE, link.article):
        raise PermissionDenied(_("Only an editor can revoke a preview link."))
    with transaction.atomic():
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
            ArticleEvent.record(
                link.article,
                by=by,
                action=ArticleEvent.Action.PREVIEW_REVOKED,
                comment=_("Revoked the link shared with %(audience)s.") % {"audience": link.audience},
            )
    return link


def count_every_term() -> None:
    """The clock's job: each term's count of public articles, for articles that went live or expired
    without a write of their own. The pages that show counts are retired where one changed."""
    for vocabulary in (DiseaseTag, TherapyTag):
        if count_public_articles(vocabulary):
            retire(vocabulary.kind, added_only=True)


# --- The newsroom's own pages ------------------------------------------------------------------------


def page_problems(page: Page) -> list[str]:
    """What the page gates (`NEWSDESK_PAGE_GATES`: the privacy gate) say about the page's text."""
    return [str(p) for path in settings.NEWSDESK_PAGE_GATES for p in import_string(path)(page)]


def save_page(page: Page, *, problems: list[str] | None = None) -> Page:
    """Save one of the newsroom's pages through the gates: a live page's text must pass them all, and
    readers only ever get a text that passed (`Page.is_public`). A draft page is kept whatever they say.
    `problems` is what the gates already said of this very text (the admin's form asks them first)."""
    problems = page_problems(page) if problems is None else problems
    if problems and page.is_live:
        raise ValidationError({"is_live": problems})
    page.cleared_text = "" if problems else page.text_hash()
    page.save()
    return page


# --- Translations --------------------------------------------------------------------------------------


def make_translation(article: Article, *, by) -> Article:
    """Start the translation of `article` into the other language: a new draft, owned by `by`, with the
    text to translate from, its tags, pictures' files and references. It shares nothing else: it is
    written, reviewed, signed off and cleared on its own, so no sign-off or privacy decision carries over."""
    if not access.may(by, "create", access.ARTICLE):
        raise PermissionDenied(_("Only writers and editors start a translation."))
    other = Language.CHINESE if article.language == Language.ENGLISH else Language.ENGLISH
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.translation_key is None:
            article.translation_key = uuid.uuid4()
            Article.objects.filter(pk=article.pk).update(translation_key=article.translation_key)
        existing = Article.objects.filter(translation_key=article.translation_key, language=other).first()
        if existing is not None:
            raise ValidationError(
                _("This article already has a translation: “%(title)s”. Open it from the list.")
                % {"title": existing.title}
            )
        copy = Article.objects.create(
            title=article.title, standfirst=article.standfirst, body=article.body,
            plain_summary=article.plain_summary, study_type=article.study_type, study_size=article.study_size,
            study_phase=article.study_phase, byline=article.byline, author=by, language=other,
            translation_key=article.translation_key, hero_image=article.hero_image.name,
            hero_alt=article.hero_alt, hero_caption=article.hero_caption, hero_credit=article.hero_credit,
            slug=unique_slug(Article, f"{article.slug}-{other}"),
        )  # fmt: skip
        copy.diseases.set(article.diseases.all())
        copy.therapies.set(article.therapies.all())
        for ref in article.references.all():
            ref.pk, ref.article = None, copy
            ref.save()
        record_revision(
            copy, by=by, note=_("Translation started from “%(title)s”.") % {"title": article.title}
        )
    return copy

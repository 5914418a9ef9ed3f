"""Writes that span more than one row: revisions of an article's text, restoring one, preview links."""

import difflib
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles.models import Article, ArticleEvent, ArticleRevision, PreviewLink, Status
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


def restore_revision(revision: ArticleRevision, *, by) -> Article:
    """Bring back an old revision's text and tags as the article's current draft.

    A published article is never changed under readers: unpublish it first. The restored text has a
    new fingerprint unless it is the signed-off one, so the sign-off rule still holds.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=revision.article_id)
        if not by.has_perm("articles.change_article"):
            raise PermissionDenied(_("You do not have permission to change articles."))
        if article.status == Status.PUBLISHED:
            raise ValidationError(
                _("“%(title)s” is published. Unpublish it first, then restore the revision as a draft.")
                % {"title": article.title}
            )
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
    if not by.has_perm("articles.publish_article"):
        raise PermissionDenied(_("Only an editor can share a preview outside the desk."))
    if not audience.strip():
        raise ValidationError({"audience": _("Say who the link is for, for the record.")})
    days = days or settings.NEWSDESK_PREVIEW_DAYS
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
    if not by.has_perm("articles.publish_article"):
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

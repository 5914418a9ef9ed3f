"""What happened to an article: the audit trail of moves, the revisions of its text, preview links, and the
corrections readers see."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.article import Article, Status
from articles.richtext import refuse_control_characters


class AppendOnly(models.Model):
    """Rows that are written once and never changed or deleted one by one."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(
                _("%(model)s records are append-only.") % {"model": self._meta.verbose_name}
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("%(model)s records are append-only.") % {"model": self._meta.verbose_name})


class ArticleEventQuerySet(models.QuerySet):
    def reviews(self):
        """Medical reviews, each vouching for the exact text it hashed, newest first."""
        return self.filter(action__in=ArticleEvent.REVIEW_ACTIONS).select_related("actor__staff_profile")


class ArticleEvent(AppendOnly):
    """One entry of the audit trail: who did what to an article, when, and to which exact text."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        SIGNED_OFF = "signed_off", _("Medical sign-off")
        RE_REVIEWED = "re_reviewed", _("Medical review confirmed without changes")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled")
        WENT_LIVE = "went_live", _("Went live as scheduled")
        HELD_BACK = "held_back", _("Held back at its scheduled time")
        UNPUBLISHED = "unpublished", _("Unpublished")
        RETRACTED = "retracted", _("Retracted")
        TAKEN_DOWN = "taken_down", _("Taken down for a privacy reason")
        CORRECTED = "corrected", _("Public correction or update added")
        RESTORED = "restored", _("Revision restored")
        PREVIEW_SHARED = "preview_shared", _("Preview link shared")
        PREVIEW_REVOKED = "preview_revoked", _("Preview link revoked")
        OWNER_CHANGED = "owner_changed", _("Owner changed")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for moves the scheduler made on its own."),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action)
    from_status = models.CharField(_("from"), max_length=20, choices=Status, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    text_hash = models.CharField(_("text fingerprint"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = ArticleEventQuerySet.as_manager()
    REVIEW_ACTIONS = (Action.SIGNED_OFF, Action.RE_REVIEWED)  # each vouches for the exact text it hashed

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["article", "action", "-created_at"], name="article_event_lookup")]

    def __str__(self):
        return f"{self.get_action_display()} by {self.actor or _('the scheduler')}"

    @classmethod
    def record(cls, article, *, by, action, comment="", from_status=None, to_status=None) -> "ArticleEvent":
        """Append an entry for `article` as it is now: its states (unchanged unless given) and text hash."""
        return cls.objects.create(
            article=article,
            actor=by,
            action=action,
            from_status=from_status or article.status,
            to_status=to_status or article.status,
            comment=comment,
            text_hash=article.text_hash(),
        )


class ArticleRevision(AppendOnly):
    """The article's text and tags as one save left them. Restoring one writes a new revision."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision"))
    article_version = models.PositiveIntegerField(_("article version"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    title = models.CharField(_("headline"), max_length=200)
    standfirst = models.TextField(_("standfirst"), blank=True)
    body = models.TextField(_("body"), blank=True)
    diseases = models.JSONField(_("diseases"), default=list)
    therapies = models.JSONField(_("therapies"), default=list)
    text_hash = models.CharField(_("text fingerprint"), max_length=64)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="revision_number_once")]

    def __str__(self):
        return _("Revision %(number)s") % {"number": self.number}

    def tag_line(self, kind: str) -> str:
        return ", ".join(getattr(self, kind))


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class PreviewLinkQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """A secret address that shows one article, as readers will see it, to someone without a login.

    The token in the address is random and also signed (see articles.previews), it expires, and an
    editor can revoke it at any time.
    """

    DEFAULT_LIFETIME = timedelta(days=7)

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="preview_links"
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_token, editable=False)
    audience = models.CharField(
        _("shared with"),
        max_length=200,
        help_text=_(
            "Who this link is for, for the record, e.g. “the trial's lead doctor, to check the figures”."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last opened"), null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")
        ordering = ["-created_at"]

    def __str__(self):
        return _("Preview for %(audience)s") % {"audience": self.audience}

    def get_absolute_url(self):
        from articles.previews import sign_token

        return reverse("articles:shared_preview", kwargs={"token": sign_token(self.token)})

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class SourceDocument(models.Model):
    """The document an article was imported from, as it came: its bytes and the text read from them, so a
    fact-checker can read the source (a translated piece's Chinese original too). Staff only: no public
    page, feed, sitemap or export reads it, and it is stored under the article, never the file's name."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="source_document")
    format = models.CharField(_("format"), max_length=10)
    encoding = models.CharField(_("encoding"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    data = models.BinaryField(_("original bytes"))
    text = models.TextField(_("text read from it"))
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("source document")

    def __str__(self):
        return _("%(format)s document, %(size)d bytes") % {"format": self.format, "size": len(self.data)}


class Correction(AppendOnly):
    """A dated public note on a published article: what changed and why. Readers see every one."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.CORRECTION)
    note = models.TextField(
        _("note to readers"),
        max_length=1000,
        validators=[refuse_control_characters],
        help_text=_("What changed and why, in plain words, e.g. “An earlier version gave the wrong dose.”"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dated"), default=timezone.now)

    class Meta:
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.note[:60]}"

"""What the desk keeps beside an article: review reminders sent, and private comments."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.article import Article


class ReviewReminder(models.Model):
    """A review reminder that went out, so that each one is sent once per review cycle."""

    class Kind(models.TextChoices):
        DUE = "due", _("Review falls due")
        OVERDUE = "overdue", _("Review overdue")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="review_reminders")
    kind = models.CharField(max_length=10, choices=Kind)
    due_on = models.DateField(_("review due on"))
    sent_at = models.DateTimeField(default=timezone.now)
    sent_to = models.JSONField(default=list, help_text=_("User ids the reminder went to."))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "kind", "due_on"], name="review_reminder_once")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.due_on})"


class CommentQuerySet(models.QuerySet):
    def on(self, item):
        return self.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)


class Comment(models.Model):
    """A private note from the desk on an article or another item that takes comments, in threads. Never
    shown to readers."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    parent = models.ForeignKey(
        "self", verbose_name=_("reply to"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="replies",
    )  # fmt: skip
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="comment_item")]

    def __str__(self):
        return self.body[:60]

    def clean(self):
        if self.parent_id and self.parent.parent_id:
            raise ValidationError(_("Reply to the thread's first comment."))


class FormDraft(models.Model):
    """What someone had typed into a desk form and not yet saved, kept every few seconds by the form's
    autosave: theirs alone, never a revision, gone once the form is saved or after a few days."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(_("form address"), max_length=300)
    fields = models.JSONField(_("fields"), default=dict)
    saved_at = models.DateTimeField(_("kept at"), default=timezone.now)

    class Meta:
        verbose_name = _("unsaved form")
        verbose_name_plural = _("unsaved forms")
        constraints = [models.UniqueConstraint(fields=["user", "address"], name="one_draft_per_form")]

    def __str__(self):
        return f"{self.address} ({self.saved_at:%Y-%m-%d %H:%M})"


class Presence(models.Model):
    """Someone has a desk form open: one row per open tab, refreshed while the page is open, so that
    others opening the same item see who else is at work on it, and since when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(_("form address"), max_length=300)
    tab = models.CharField(_("tab"), max_length=40)
    since = models.DateTimeField(_("open since"), default=timezone.now)
    seen_at = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        verbose_name = _("open form")
        verbose_name_plural = _("open forms")
        constraints = [models.UniqueConstraint(fields=["address", "tab"], name="one_presence_per_tab")]
        indexes = [models.Index(fields=["address", "seen_at"], name="presence_lookup")]

    def __str__(self):
        return f"{self.address} ({self.tab})"

"""What the desk adds around an article: public corrections, review reminders, private comments, redirects."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.article import Article
from articles.models.history import AppendOnly
from articles.richtext import refuse_control_characters


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


class StaffProfile(models.Model):
    """How a member of staff is named to readers, with their credentials (for medical reviewers)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    public_name = models.CharField(
        _("name shown to readers"), max_length=150, blank=True, help_text=_("e.g. “Dr Amina Clarke”.")
    )
    credentials = models.CharField(
        _("credentials"),
        max_length=200,
        blank=True,
        help_text=_("Degrees and role as readers should see them, e.g. “MD, consultant haematologist”."),
    )

    class Meta:
        verbose_name = _("public profile")
        verbose_name_plural = _("public profiles")

    def __str__(self):
        return self.public_name or str(self.user)


def public_identity(user) -> tuple[str, str]:
    """How readers see a member of staff: their public name and credentials (either may be empty)."""
    profile = getattr(user, "staff_profile", None)
    name = (profile and profile.public_name) or user.get_full_name() or user.get_username()
    return name, (profile.credentials if profile else "")


class CommentQuerySet(models.QuerySet):
    def on(self, item):
        return self.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)


class Comment(models.Model):
    """A private note from the desk on an article or a story, in threads. Never shown to readers."""

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


class Redirect(models.Model):
    """An old public address that now lives elsewhere. Answered with 301 when nothing else matches."""

    old_path = models.CharField(
        _("old address"),
        max_length=300,
        unique=True,
        help_text=_("The path only, starting with “/”, e.g. “/news/old-headline/”."),
    )
    new_path = models.CharField(
        _("new address"),
        max_length=300,
        help_text=_("A path on this site (“/news/new-headline/”) or a full https:// address."),
    )
    note = models.CharField(_("why"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")
        ordering = ["old_path"]
        permissions = [
            ("import_redirect", _("Can import redirects")),
            ("export_redirect", _("Can export redirects")),
        ]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"

    def clean(self):
        super().clean()
        errors = {}
        if not self.old_path.startswith("/") or self.old_path.startswith(("//", "/\\")):
            errors["old_path"] = _("Give the path only, starting with a single “/”.")
        new = self.new_path
        on_site = new.startswith("/") and not new.startswith(("//", "/\\"))  # browsers read /\ as //
        if new.startswith("http://"):
            errors["new_path"] = _(
                "Plain http:// addresses are refused: readers would leave the secure site. Use the https:// "
                "address."
            )
        elif not on_site and not new.startswith("https://"):
            errors["new_path"] = _("Give a path starting with “/” or a full address starting with https://.")
        elif new == self.old_path:
            errors["new_path"] = _("A redirect cannot point to itself.")
        if errors:
            raise ValidationError(errors)

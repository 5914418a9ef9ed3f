"""Old public addresses that keep answering: changed slugs, merged terms, editors' own."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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

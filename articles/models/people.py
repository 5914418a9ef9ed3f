"""The desk's people as readers see them: a staff profile, and the public name and role it gives."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.cache_keys import item_key, shows


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


def person_key(user_pk) -> str:
    """The key of the cached public pages that name this member of staff (articles.cache_keys)."""
    return item_key("people", user_pk)


def public_identity(user) -> tuple[str, str]:
    """How readers see a member of staff: their public name and credentials (either may be empty)."""
    shows(person_key(user.pk))
    profile = getattr(user, "staff_profile", None)
    name = (profile and profile.public_name) or user.get_full_name() or user.get_username()
    return name, (profile.credentials if profile else "")

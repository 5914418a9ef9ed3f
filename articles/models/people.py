"""The desk's people as readers see them: a staff profile, and the public name and role it gives."""

from django.conf import settings
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from articles.addresses import address_of
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
    shows_page = models.BooleanField(
        _("show my page to readers"),
        default=False,
        help_text=_("A public page with your name, role, credentials and the articles you wrote or reviewed. "
                    "Your choice: untick it and the page is gone."),
    )  # fmt: skip
    slug = models.SlugField(
        _("page address"), max_length=160, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("public profile")
        verbose_name_plural = _("public profiles")

    def __str__(self):
        return self.public_name or str(self.user)

    def save(self, *args, **kwargs):
        if self.slug is None and self.shows_page:  # made once: the address readers keep
            base, n = slugify(self.public_name or self.user.get_full_name() or self.user.get_username()), 1
            self.slug = base or f"staff-{self.user_id}"
            while StaffProfile.objects.filter(slug=self.slug).exclude(pk=self.pk).exists():
                n += 1
                self.slug = f"{base}-{n}"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return address_of("articles:person", slug=self.slug)


def person_key(user_pk) -> str:
    """The key of the cached public pages that name this member of staff (articles.cache_keys)."""
    return item_key("people", user_pk)


def public_identity(user) -> tuple[str, str]:
    """How readers see a member of staff: their public name and credentials (either may be empty)."""
    shows(person_key(user.pk))
    profile = getattr(user, "staff_profile", None)
    name = (profile and profile.public_name) or user.get_full_name() or user.get_username()
    return name, (profile.credentials if profile else "")


def public_page_of(user) -> str:
    """The address of the person's public page, where they chose to show one; else ""."""
    profile = getattr(user, "staff_profile", None)
    return profile.get_absolute_url() if profile is not None and profile.shows_page and profile.slug else ""

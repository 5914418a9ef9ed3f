"""The newsroom's own pages: about, contact and media enquiries, the privacy notice, the accessibility
statement, the editorial and medical-review policy, the corrections policy. Editors keep them in the
admin; the footer links the live ones."""

import hashlib

from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from articles.addresses import address_of
from articles.cache_keys import item_key
from articles.richtext import EDITOR_EXTENSIONS, refuse_control_characters, sanitize_html

FOOTER_CACHE = "newsdesk:footer-pages"


class PageQuerySet(models.QuerySet):
    def live(self):
        return self.filter(is_live=True)

    def in_footer(self) -> list[tuple[str, str]]:
        """(title, address) of each public page the footer links, in its order."""
        return [
            (page.title, page.get_absolute_url())
            for page in self.live().filter(footer_position__gt=0).order_by("footer_position", "title")
            if page.is_public
        ]


def footer_pages() -> list[tuple[str, str]]:
    """The footer's links, kept in the shared cache: every public page shows them, and a change to them
    retires every page (articles.signals), so an uncached page asks the database nothing for them."""
    found = cache.get(FOOTER_CACHE)
    if found is None:
        found = Page.objects.in_footer()
        cache.set(FOOTER_CACHE, found, None)
    return found


def forget_footer() -> None:
    cache.delete(FOOTER_CACHE)


class Page(models.Model):
    title = models.CharField(_("title"), max_length=120, validators=[refuse_control_characters])
    slug = models.SlugField(
        _("address"),
        max_length=80,
        unique=True,
        help_text=_("The page's address after the site's: “about” gives /about/."),
    )
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        validators=[refuse_control_characters],
        help_text=_("One sentence for search engines and link previews."),
    )
    body = ProseEditorField(_("text"), config={"extensions": EDITOR_EXTENSIONS}, sanitize=sanitize_html)
    footer_position = models.PositiveSmallIntegerField(
        _("place in the footer"),
        default=0,
        help_text=_("1 comes first; 0 keeps the page out of the footer."),
    )
    is_live = models.BooleanField(
        _("live"),
        default=False,
        help_text=_(
            "Readers see it. The privacy gate checks its text first, as it checks every public text."
        ),
    )
    went_live_at = models.DateTimeField(_("first live"), null=True, blank=True, editable=False)
    cleared_text = models.CharField(
        _("text the gates passed"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("`text_hash()` when the publish gates last passed it: readers get only that text."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["footer_position", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        if self.is_live and self.went_live_at is None:
            self.went_live_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return address_of("articles:page", slug=self.slug)

    def text_hash(self) -> str:
        parts = [self.title, self.summary, sanitize_html(self.body)]  # as `save` will keep it
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    @property
    def is_public(self) -> bool:
        """Live, with exactly the text the gates passed (a page written any other way is not served)."""
        return self.is_live and self.cleared_text == self.text_hash()

    @property
    def cache_key(self) -> str:
        return item_key("pages", self.pk)

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles.images import clean_upload, validate_image
from articles.models.vocabulary import DiseaseTag, TherapyTag
from articles.richtext import EDITOR_EXTENSIONS, sanitize_html


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class ArticleDisease(TaggedItemBase):
    tag = models.ForeignKey(DiseaseTag, on_delete=models.CASCADE, related_name="article_links")
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="disease_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="article_disease_once")]


class ArticleTherapy(TaggedItemBase):
    tag = models.ForeignKey(TherapyTag, on_delete=models.CASCADE, related_name="article_links")
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="therapy_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="article_therapy_once")]


# --- Articles -----------------------------------------------------------------------------------


class ArticleQuerySet(models.QuerySet):
    def public(self):
        """What readers, feeds, the sitemap and search may see.

        An article is public once it is published and its publication time has come; a future
        `published_at` means it is scheduled and stays hidden until then.
        """
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def with_tags(self):
        return self.prefetch_related("diseases", "therapies")


class Article(models.Model):
    title = models.CharField(_("headline"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("The last part of the article's address. Filled in from the headline if left empty."),
    )
    standfirst = models.TextField(
        _("standfirst"),
        max_length=400,
        blank=True,
        help_text=_("One or two sentences under the headline that say what the article is about."),
    )
    body = ProseEditorField(
        _("body"), config={"extensions": EDITOR_EXTENSIONS}, sanitize=sanitize_html, blank=True
    )
    byline = models.CharField(_("byline"), max_length=200, blank=True, help_text=_("As readers see it."))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_("The writer responsible for this article. Deactivate people rather than deleting them."),
    )

    hero_image = models.ImageField(
        _("hero image"),
        upload_to="articles/%Y/",
        blank=True,
        validators=[validate_image],
        help_text=_("JPEG, PNG or WebP. Location, camera and other hidden data are removed on upload."),
    )
    hero_alt = models.CharField(
        _("alt text"),
        max_length=250,
        blank=True,
        help_text=_("Describe the picture for readers who cannot see it. Required with an image."),
    )
    hero_shows_patient = models.BooleanField(
        _("the picture shows a patient"),
        default=False,
        help_text=_("Tick if a patient can be seen. Publishing then needs photo consent on their case."),
    )
    hero_caption = models.CharField(_("caption"), max_length=300, blank=True)
    hero_credit = models.CharField(_("image credit"), max_length=200, blank=True)

    source_publisher = models.CharField(_("source publisher"), max_length=200, blank=True)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    source_date = models.DateField(_("source date"), null=True, blank=True)
    source_ref = models.CharField(
        _("import reference"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Identifies the imported document this draft came from, so re-imports update it."),
    )
    privacy_findings = models.JSONField(
        _("privacy findings"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("What the privacy scanner flagged in this text at import, for the privacy review."),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, editable=False
    )
    published_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Readers see the article from this moment on. A future time schedules it."),
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised on every save, to refuse stale edits.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    diseases = TaggableManager(
        verbose_name=_("diseases"), through=ArticleDisease, related_name="articles", blank=True, help_text=""
    )
    therapies = TaggableManager(
        verbose_name=_("therapies"), through=ArticleTherapy, related_name="articles", blank=True, help_text=""
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-created_at"]
        permissions = [
            ("submit_article", _("Can submit an article for review")),
            ("review_article", _("Can send an article back with requested changes")),
            ("sign_off_article", _("Can sign off the medical accuracy of an article")),
            ("publish_article", _("Can publish or schedule an article")),
            ("unpublish_article", _("Can unpublish or retract an article")),
            ("import_article", _("Can import articles")),
            ("export_article", _("Can export articles")),
        ]
        indexes = [models.Index(fields=["status", "published_at"], name="article_visibility")]
        constraints = [
            models.CheckConstraint(
                name="published_has_date",
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
            ),
            models.CheckConstraint(
                name="hero_image_has_alt",
                condition=models.Q(hero_image="") | ~models.Q(hero_alt=""),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Article, self.title)
        self.body = sanitize_html(self.body)
        if self.hero_image and not self.hero_image._committed:
            # A new upload: keep only its pixels (no EXIF/GPS, XMP, IPTC, comments or text chunks).
            self.hero_image.save(self.hero_image.name, clean_upload(self.hero_image.file), save=False)
        if self.pk is not None:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def text_hash(self) -> str:
        """A fingerprint of exactly the text readers get: headline, standfirst and body.

        A medical sign-off records it; any later change to that text no longer matches, which voids
        the sign-off.
        """
        text = "\x1f".join([self.title.strip(), self.standfirst.strip(), sanitize_html(self.body).strip()])
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def medical_review(self):
        """The sign-off that covers the current text, or None (looked up once per instance)."""
        from articles.workflow import current_sign_off

        text = self.text_hash()
        if getattr(self, "_medical_review_for", None) != text:
            self._medical_review = current_sign_off(self)
            self._medical_review_for = text
        return self._medical_review

    @property
    def is_public(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def clean(self):
        super().clean()
        if self.hero_image and not self.hero_alt.strip():
            raise ValidationError({"hero_alt": _("Describe the image for readers who cannot see it.")})


def unique_slug(model, text: str, *, max_length: int = 200) -> str:
    """A slug from `text` that no row of `model` uses yet ("cart-therapy", "cart-therapy-2", ...)."""
    base = slugify(text)[: max_length - 6].strip("-") or "untitled"
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug

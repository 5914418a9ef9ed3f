from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from articles.richtext import EDITOR_EXTENSIONS, sanitize_html


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


# --- Vocabularies -------------------------------------------------------------------------------


def _fold(term: str) -> str:
    return " ".join(term.casefold().split())


class VocabularyQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def find(self, term: str):
        """The term whose name, synonym or abbreviation is `term`, or None.

        Names and synonyms match case-insensitively; abbreviations match exactly, so that the word
        "all" never finds acute lymphoblastic leukemia. Vocabularies are a few hundred rows, so this
        reads them once rather than asking each database for JSON containment.
        """
        folded = _fold(term)
        exact = term.strip()
        for tag in self.only("pk", "name", "slug", "synonyms", "abbreviations"):
            if (
                _fold(tag.name) == folded
                or folded in {_fold(s) for s in tag.synonyms}
                or exact in tag.abbreviations
            ):
                return tag
        return None


class VocabularyTerm(TagBase):
    """A term of a controlled vocabulary, findable by its name, any synonym or abbreviation."""

    synonyms = models.JSONField(
        _("synonyms"),
        default=list,
        blank=True,
        help_text=_("Other names readers and source texts use, one per entry (for example “lupus”)."),
    )
    abbreviations = models.JSONField(
        _("abbreviations"),
        default=list,
        blank=True,
        help_text=_("Abbreviations, matched with exact capitals (for example “SLE”)."),
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        blank=True,
        help_text=_("ICD-10 or SNOMED CT for diseases, ATC for therapies."),
    )
    description = models.CharField(
        _("public description"),
        max_length=300,
        blank=True,
        help_text=_("One plain sentence shown to readers on the term's page."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader term"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def natural_key(self):
        return (self.slug,)

    def all_names(self) -> list[str]:
        return [self.name, *self.synonyms, *self.abbreviations]

    def clean(self):
        super().clean()
        self.synonyms = [s.strip() for s in self.synonyms if s and s.strip()]
        self.abbreviations = [a.strip() for a in self.abbreviations if a and a.strip()]

    def slugify(self, tag, i=None):
        slug = slugify(tag)[:90]
        return f"{slug}-{i}" if i is not None else slug


class DiseaseTag(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("disease")
        verbose_name_plural = _("diseases")
        permissions = [
            ("import_diseasetag", _("Can import diseases")),
            ("export_diseasetag", _("Can export diseases")),
        ]

    def get_absolute_url(self):
        return reverse("articles:disease", kwargs={"slug": self.slug})


class TherapyTag(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("therapy")
        verbose_name_plural = _("therapies")
        permissions = [
            ("import_therapytag", _("Can import therapies")),
            ("export_therapytag", _("Can export therapies")),
        ]

    def get_absolute_url(self):
        return reverse("articles:therapy", kwargs={"slug": self.slug})


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

    hero_image = models.ImageField(_("hero image"), upload_to="articles/%Y/", blank=True)
    hero_alt = models.CharField(
        _("alt text"),
        max_length=250,
        blank=True,
        help_text=_("Describe the picture for readers who cannot see it. Required with an image."),
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
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

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

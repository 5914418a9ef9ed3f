"""The disease and therapy vocabularies: terms findable by name, synonym or abbreviation."""

from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase


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

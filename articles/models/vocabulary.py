"""The disease and therapy vocabularies: terms findable by name, synonym or abbreviation."""

import operator
import re
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from taggit.managers import _TaggableManager
from taggit.models import TagBase

from articles.addresses import address_of
from articles.cache_keys import item_key
from articles.slugs import make_slug, slug_problem


class CodeSystem(models.TextChoices):
    ICD10 = "ICD-10", "ICD-10"
    SNOMED = "SNOMED CT", "SNOMED CT"
    ATC = "ATC", "ATC"
    LOCAL = "local", _("local code")


CODE_FORMATS = {
    CodeSystem.ICD10: (r"[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?", _("a letter and two digits, e.g. “C91.0”")),
    CodeSystem.SNOMED: (r"[1-9][0-9]{5,17}", _("6 to 18 digits, e.g. “55464009”")),
    CodeSystem.ATC: (r"[A-Z]([0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?)?", _("e.g. “L01XL”")),
    CodeSystem.LOCAL: (r"[A-Za-z0-9._-]{1,20}", _("letters, digits, dots and dashes")),
}


def _fold(term: str) -> str:
    return " ".join(term.casefold().split())


def _tagged_items(vocabulary) -> list[tuple[type[models.Model], models.QuerySet]]:
    """(link model, its public items) for each kind of item that can be tagged with `vocabulary`'s terms
    and has a `public()` QuerySet."""
    pairs = []
    for relation in vocabulary._meta.related_objects:
        links = relation.related_model
        fields = {field.name: field for field in links._meta.get_fields()}
        if relation.field.name != "tag" or "content_object" not in fields:
            continue
        item = fields["content_object"].related_model
        if hasattr(item._default_manager, "public"):
            pairs.append((links, item._default_manager.public()))
    return pairs


class VocabularyQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def with_narrower(self, *terms) -> list[int]:
        """The ids of `terms` and every term under them, at any depth (one query for the whole tree)."""
        children: dict[int | None, list[int]] = {}
        for pk, parent in self.values_list("pk", "parent_id"):
            children.setdefault(parent, []).append(pk)
        found, todo = [], [term.pk for term in terms]
        while todo:
            pk = todo.pop()
            if pk not in found:
                found.append(pk)
                todo += children.get(pk, [])
        return found

    def in_public_use(self):
        """Terms that something public is tagged with: an article, or any other item with a `public()`
        QuerySet, found through the term's link tables (so this app names no other app's items)."""
        uses = [
            Exists(links.objects.filter(tag=OuterRef("pk"), content_object__in=public))
            for links, public in _tagged_items(self.model)
        ]
        return self.filter(reduce(operator.or_, uses)) if uses else self.none()

    def has_public_page(self, term, narrower: list[int] | None = None) -> bool:
        """Whether `term` has a page and feeds: it or a narrower term is in public use. A term that only
        drafts use has none, whatever its description says: a new drug's name can reveal a patient.
        `narrower` is what `with_narrower(term)` gave, where the caller already has it."""
        ids = self.with_narrower(term) if narrower is None else narrower
        terms = self.filter(pk__in=ids)
        return terms.filter(public_articles__gt=0).exists() or terms.in_public_use().exists()

    def find(self, term: str):
        """The term whose name, synonym or abbreviation is `term`, or None (see `find_each`)."""
        return self.find_each([term])[0]

    def find_each(self, names: list[str]) -> list:
        """For each of `names`, the term whose name, synonym or abbreviation it is, or None: one query.

        Names and synonyms match case-insensitively; abbreviations match exactly, so that the word
        "all" never finds acute lymphoblastic leukemia. Where two terms claim a name, the first in the
        vocabulary's order wins. Vocabularies are a few hundred rows, so this reads them once rather
        than asking each database for JSON containment, and makes objects of the terms found only.
        """
        claimed: dict[str, tuple[int, int]] = {}  # folded name or synonym, or "=" + abbreviation: (rank, pk)
        rows = self.values_list("pk", "name", "synonyms", "abbreviations")
        for rank, (pk, name, synonyms, abbreviations) in enumerate(rows):
            for key in (_fold(name), *map(_fold, synonyms), *(f"={a}" for a in abbreviations)):
                claimed.setdefault(key, (rank, pk))
        hits = [
            min((claimed[k] for k in (_fold(n), f"={n.strip()}") if k in claimed), default=None)
            for n in names
        ]
        terms = self.in_bulk([hit[1] for hit in hits if hit]) if any(hits) else {}
        return [terms[hit[1]] if hit else None for hit in hits]


class VocabularyTerm(TagBase):
    """A term of a controlled vocabulary, findable by its name, any synonym or abbreviation."""

    public_articles = models.PositiveIntegerField(
        _("public articles"),
        default=0,
        editable=False,
        help_text=_("How many public articles carry it, kept by each publication and the desk's clock."),
    )
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
        help_text=_("ICD-10 or SNOMED CT for diseases, ATC or a local code for therapies."),
    )
    code_system = models.CharField(_("code system"), max_length=10, choices=CodeSystem, blank=True)
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
    code_systems: tuple = ()  # which coding systems this vocabulary accepts

    class Meta:
        abstract = True
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="%(class)s_name_once_in_any_case")]

    def natural_key(self):
        return (self.slug,)

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        term = super().from_db(db, field_names, values, *args, **kwargs)
        term._loaded_slug = term.__dict__.get("slug")  # not the URL: reversing it for every term loaded
        return term  # cost more than the rest of a changelist row

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)  # a receiver keeps a changed address answering (articles.signals)
        self._loaded_slug = self.slug

    def all_names(self) -> list[str]:
        return [self.name, *self.synonyms, *self.abbreviations]

    @property
    def cache_key(self) -> str:
        """The key of the cached public pages that show this term (articles.cache_keys)."""
        return item_key(self.kind, self.pk)

    @property
    def list_key(self) -> str:
        return self.list_key_for(self.pk)

    @classmethod
    def list_key_for(cls, pk) -> str:
        """The key of the cached public pages that list what is filed under the term `pk`."""
        return f"{item_key(cls.kind, pk)}:list"

    def clean(self):
        super().clean()
        self.synonyms = [s.strip() for s in self.synonyms if s and s.strip()]
        self.abbreviations = [a.strip() for a in self.abbreviations if a and a.strip()]
        self._refuse_names_of_other_terms()
        self._check_code()
        if problem := slug_problem(self.slug):
            raise ValidationError({"slug": problem})

    def _check_code(self):
        if not self.code and not self.code_system:
            return
        if not self.code or not self.code_system:
            raise ValidationError({"code_system": _("Give both a code and its system, or neither.")})
        if self.code_system not in self.code_systems:
            raise ValidationError(
                {"code_system": _("Use one of: %(systems)s.") % {"systems": ", ".join(self.code_systems)}}
            )
        pattern, example = CODE_FORMATS[self.code_system]
        if not re.fullmatch(pattern, self.code):
            raise ValidationError(
                {"code": _("This is not a %(system)s code: expected %(example)s.")
                 % {"system": self.code_system, "example": example}}
            )  # fmt: skip

    def _refuse_names_of_other_terms(self):
        """No name or synonym may already name another term, whatever its capitals."""
        others = type(self).objects.exclude(pk=self.pk).only("pk", "name", "synonyms")
        taken = {_fold(name): term for term in others for name in [term.name, *term.synonyms]}
        errors = {}
        if (clash := taken.get(_fold(self.name))) is not None:
            errors["name"] = _("“%(name)s” already names “%(term)s”. Use that term, or merge the two.") % {
                "name": self.name,
                "term": clash.name,
            }
        clashes = [(s, taken[_fold(s)]) for s in self.synonyms if _fold(s) in taken]
        if clashes:
            errors["synonyms"] = _("Already used by another term: %(list)s.") % {
                "list": ", ".join(f"“{s}” ({term.name})" for s, term in clashes)
            }
        if errors:
            raise ValidationError(errors)

    def slugify(self, tag, i=None):
        slug = make_slug(tag, max_length=90, fallback="term")
        return f"{slug}-{i}" if i is not None else slug


class DiseaseTag(VocabularyTerm):
    kind = "diseases"
    code_systems = (CodeSystem.ICD10, CodeSystem.SNOMED)

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("disease")
        verbose_name_plural = _("diseases")
        permissions = [
            ("import_diseasetag", _("Can import diseases")),
            ("export_diseasetag", _("Can export diseases")),
        ]

    def get_absolute_url(self):
        return address_of("articles:disease", slug=self.slug)


class TherapyTag(VocabularyTerm):
    kind = "therapies"
    code_systems = (CodeSystem.ATC, CodeSystem.LOCAL)

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("therapy")
        verbose_name_plural = _("therapies")
        permissions = [
            ("import_therapytag", _("Can import therapies")),
            ("export_therapytag", _("Can export therapies")),
        ]

    def get_absolute_url(self):
        return address_of("articles:therapy", slug=self.slug)


class ItemTags(_TaggableManager):
    """`article.diseases` and the like: taggit's manager, but one item's tag query is built when it runs.

    Prefetching tags asks each item for that query and then gives it the prefetched rows instead, so the
    query is never run: building it anyway took 0.15 ms an item, 9 ms of a 30-item feed. Django's own
    related managers defer the filter for the same reason.
    """

    def get_queryset(self, extra_filters=None):
        prefetched = getattr(self.instance, "_prefetched_objects_cache", {})
        if self.instance is None or extra_filters or self.prefetch_cache_name in prefetched:
            return super().get_queryset(extra_filters)
        tags = self.through.tag_model()._default_manager.order_by(*self.ordering)
        tags._defer_next_filter = True  # applied the first time the query is read
        return tags.filter(**{f"{self.through.tag_relname()}__content_object": self.instance})

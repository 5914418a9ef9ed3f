import hashlib
import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models.article import Article
from articles.references import DOI, REGISTRY_NUMBER, canonical_registry_number, clean_doi, registry_of
from articles.richtext import refuse_control_characters


class ReferenceKind(models.TextChoices):
    JOURNAL = "journal", _("Journal article")
    TRIAL = "trial", _("Trial registration")
    PRESS_RELEASE = "press_release", _("Press release")
    WEB_PAGE = "web_page", _("Web page")


class ReferenceQuerySet(models.QuerySet):
    def digest(self) -> str:
        """A fingerprint of these references as readers get them: empty when there are none."""
        rows = [
            "\x1f".join(str(v) for v in row)
            for row in self.order_by("position", "pk").values_list(*Reference.TEXT_FIELDS)
        ]
        return hashlib.sha256("\x1e".join(rows).encode()).hexdigest() if rows else ""


class Reference(models.Model):
    """One work an article rests on: a journal article, a trial's registration, a press release or a web
    page. Readers get the list numbered in a standard style (articles.references), in the page's
    structured data as `citation`, and in the feed."""

    TEXT_FIELDS = ("kind", "authors", "title", "venue", "year", "volume", "issue", "pages", "doi", "pmid",
                   "registry_id", "url")  # fmt: skip

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField(
        _("order"), default=0, blank=True, help_text=_("Lower numbers come first; equal ones, as added.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReferenceKind, default=ReferenceKind.JOURNAL)
    authors = models.TextField(
        _("authors"),
        max_length=4000,
        blank=True,
        validators=[refuse_control_characters],
        help_text=_("One author or group per line, family name first: “Tanaka, Mei”."),
    )
    title = models.CharField(_("title"), max_length=500, validators=[refuse_control_characters])
    venue = models.CharField(
        _("journal, registry or publisher"),
        max_length=300,
        blank=True,
        validators=[refuse_control_characters],
        help_text=_("The journal's name; for a web page or press release, who published it."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    volume = models.CharField(_("volume"), max_length=20, blank=True, validators=[refuse_control_characters])
    issue = models.CharField(_("issue"), max_length=20, blank=True, validators=[refuse_control_characters])
    pages = models.CharField(_("pages"), max_length=40, blank=True, validators=[refuse_control_characters])
    doi = models.CharField(
        _("DOI"),
        max_length=200,
        blank=True,
        validators=[
            RegexValidator(r"^10\.\d{4,9}/\S+$", _("A DOI starts with “10.”, as 10.1056/NEJMoa2308917."))
        ],
    )
    pmid = models.CharField(
        _("PMID"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{1,9}$", _("A PMID is a number of up to nine digits."))],
    )
    registry_id = models.CharField(
        _("trial registration number"),
        max_length=40,
        blank=True,
        help_text=_("An NCT, ChiCTR or ISRCTN number, as NCT05930314."),
    )
    url = models.URLField(_("address"), max_length=500, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        self.doi = clean_doi(self.doi) if self.doi else ""
        if self.doi and not DOI.fullmatch(self.doi):
            raise ValidationError({"doi": _("A DOI starts with “10.”, as 10.1056/NEJMoa2308917.")})
        if self.registry_id:
            number = canonical_registry_number(self.registry_id)
            if not REGISTRY_NUMBER.fullmatch(number):
                raise ValidationError(
                    {
                        "registry_id": _(
                            "Give the registry's own number: NCT and 8 digits, ChiCTR and 10 digits, or "
                            "ISRCTN and 8 digits."
                        )
                    }
                )
            self.registry_id = number
        if self.kind == ReferenceKind.TRIAL and not self.registry_id:
            raise ValidationError({"registry_id": _("A trial registration needs its registry number.")})
        if self.kind != ReferenceKind.JOURNAL and not (self.authors.strip() or self.venue.strip()):
            raise ValidationError(
                {
                    "venue": _(
                        "Name who published it (the hospital, the registry or the website), or its authors."
                    )
                }
            )

    @property
    def author_names(self) -> list[str]:
        return [line.strip() for line in self.authors.splitlines() if line.strip()]

    def csl(self) -> dict:
        """This reference as CSL-JSON for the citation processor; keys starting with "_" are for the
        structured data."""
        people = [_person(name) for name in self.author_names]
        title = self.title.strip()
        item = {"id": f"ref-{self.pk or id(self)}", "_title": title, "_authors": people}
        if self.year:
            item["issued"] = {"date-parts": [[self.year]]}
        if self.doi:
            item["DOI"] = self.doi
        if self.pmid:
            item["PMID"] = self.pmid
        if self.kind == ReferenceKind.JOURNAL:
            item.update(type="article-journal", title=title, author=people, URL=self.url or None)
            item["container-title"] = self.venue
            item.update(volume=self.volume, issue=self.issue, page=self.pages)
        else:
            # AMA cites a web page without authors under who published it; so does this.
            item.update(type="webpage", author=people or [{"literal": self.venue}])
            if people and self.venue:
                item["container-title"] = self.venue
            item["title"] = title
            if self.kind == ReferenceKind.PRESS_RELEASE:
                item["title"] = f"{title} [{_('press release')}]"
            if self.kind == ReferenceKind.TRIAL and self.registry_id:
                registry, address = registry_of(self.registry_id)
                item["title"] = _("%(title)s. %(registry)s identifier: %(number)s") % {
                    "title": title, "registry": registry, "number": self.registry_id,
                }  # fmt: skip
                item["URL"] = self.url or address
            else:
                item["URL"] = self.url or None
        if self.registry_id:
            item["_registry_id"] = self.registry_id
        return {k: v for k, v in item.items() if v not in (None, "", [])}


def _person(name: str) -> dict:
    """ "Tanaka, Mei" → family and given; a group or a name without a comma stays whole."""
    family, comma, given = name.partition(",")
    if comma and family.strip() and given.strip():
        return {"family": family.strip(), "given": given.strip()}
    if re.fullmatch(r"[\w'-]+ [A-Z]{1,3}", name):  # PubMed's "Tanaka M"
        family, given = name.rsplit(" ", 1)
        return {"family": family, "given": given}
    return {"literal": name.strip()}

"""Spreadsheet import and export of articles and the vocabularies (CSV, XLSX, JSON).

Imported articles always land as drafts: new rows are drafts, and a row that would change an article
in review or published is refused with a row error. Articles are matched by slug.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import CachedInstanceLoader

from articles.intake.spreadsheets import (
    BulkTagLinksMixin,
    SafeCellsMixin,
    TagsField,
    split_names,
    validation_error_for,
)
from articles.models import (
    Article,
    ArticleDisease,
    ArticleRevision,
    ArticleTherapy,
    DiseaseTag,
    Language,
    Redirect,
    Status,
    TherapyTag,
    unique_slug,
)
from articles.richtext import sanitize_html
from articles.slugs import slug_problem


class ArticleResource(SafeCellsMixin, BulkTagLinksMixin, resources.ModelResource):
    diseases = TagsField("diseases", DiseaseTag)
    therapies = TagsField("therapies", TherapyTag)
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    published_at = fields.Field(
        attribute="published_at", column_name="published_at", readonly=True, widget=widgets.DateTimeWidget()
    )

    tag_links = {"diseases": ArticleDisease, "therapies": ArticleTherapy}

    class Meta:
        model = Article
        import_id_fields = ["slug"]
        fields = [
            "slug", "language", "title", "standfirst", "body", "byline", "diseases", "therapies",
            "source_publisher", "source_url", "source_date", "status", "published_at",
        ]  # fmt: skip
        export_order = fields
        use_bulk = True
        batch_size = 1000
        clean_model_instances = False  # checked per row without the database, below
        instance_loader_class = CachedInstanceLoader

    def get_queryset(self):
        return Article.objects.all()

    def get_bulk_update_fields(self):
        return ["language", "title", "standfirst", "body", "byline", "source_publisher", "source_url",
                "source_date", "version", "updated_at"]  # fmt: skip

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related("diseases", "therapies")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._slugs_in_file = set()
        self._user = kwargs.get("user")

    def _unchanged(self, instance, row) -> bool:
        """Whether `row` says what an export of `instance` says, in every column it holds."""
        for field in self.get_import_fields():
            if field.column_name in row and field.column_name not in ("status", "published_at"):
                exported = str(field.export(instance) or "").strip()
                if (
                    str(row[field.column_name] if row[field.column_name] is not None else "").strip()
                    != exported
                ):
                    return False
        return True

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return getattr(instance, "_unchanged", False) or super().skip_row(
            instance, original, row, import_validation_errors
        )

    def import_instance(self, instance, row, **kwargs):
        if instance.pk is not None and self._unchanged(instance, row):
            instance._unchanged = True  # a row of an export that nobody changed: reported, never refused
            self._slugs_in_file.add(instance.slug)
            return
        if instance.pk is not None and instance.status != Status.DRAFT:
            raise ValidationError(
                {"slug": _("“%(title)s” is %(status)s; imports only create or update drafts. "
                           "Unpublish it first.")
                 % {"title": instance.title, "status": instance.get_status_display().lower()}}
            )  # fmt: skip
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not instance.slug and instance.title:
            instance.slug = unique_slug(Article, instance.title)
            while instance.slug in self._slugs_in_file:
                instance.slug = unique_slug(Article, f"{instance.title} {len(self._slugs_in_file)}")
        if instance.slug in self._slugs_in_file:
            errors.setdefault("slug", []).append(_("This slug appears twice in the file."))
        self._slugs_in_file.add(instance.slug)
        if problem := slug_problem(instance.slug):
            errors.setdefault("slug", []).append(problem)
        instance.body = sanitize_html(instance.body)
        instance.language = instance.language or Language.ENGLISH  # an empty cell: the desk's default
        if instance.pk is None:
            instance.status = Status.DRAFT
            if getattr(self._user, "pk", None) and instance.author_id is None:
                instance.author = self._user
        if instance.pk is not None:
            instance.version += 1
        if (problem := validation_error_for(instance, exclude=["slug", "author", *errors])) is not None:
            errors = problem.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def after_bulk_save(self, instances, **kwargs):
        """Every save keeps a revision: one per imported row, in bulk."""
        from django.db.models import Max

        latest = dict(
            ArticleRevision.objects.filter(article__in=[i.pk for i in instances])
            .values("article")
            .annotate(n=Max("number"))
            .values_list("article", "n")
        )
        names = {
            kind: dict(model.objects.values_list("pk", "name"))
            for kind, model in (("diseases", DiseaseTag), ("therapies", TherapyTag))
        }
        revisions = []
        for article in instances:
            pending = article.__dict__.get("_pending_tags", {})
            revisions.append(
                ArticleRevision(
                    article=article,
                    number=latest.get(article.pk, 0) + 1,
                    article_version=article.version,
                    created_by=kwargs.get("user") if getattr(kwargs.get("user"), "pk", None) else None,
                    title=article.title,
                    standfirst=article.standfirst,
                    body=article.body,
                    diseases=sorted(names["diseases"][pk] for pk in pending.get("diseases", [])),
                    therapies=sorted(names["therapies"][pk] for pk in pending.get("therapies", [])),
                    text_hash=article.text_hash(),
                    note=_("Imported from a spreadsheet"),
                )
            )
        ArticleRevision.objects.bulk_create(revisions, batch_size=1000)


class JsonListWidget(widgets.Widget):
    """A list of strings as "a; b; c"."""

    def clean(self, value, row=None, **kwargs):
        return split_names(value)

    def render(self, value, obj=None, **kwargs):
        return "; ".join(value or [])


class VocabularyResource(SafeCellsMixin, resources.ModelResource):
    synonyms = fields.Field(attribute="synonyms", column_name="synonyms", widget=JsonListWidget())
    abbreviations = fields.Field(
        attribute="abbreviations", column_name="abbreviations", widget=JsonListWidget()
    )

    class Meta:
        import_id_fields = ["slug"]
        fields = ["slug", "name", "synonyms", "abbreviations", "code", "code_system", "description", "parent"]
        export_order = fields
        skip_unchanged = True
        report_skipped = False
        clean_model_instances = True  # a name another term already has (in any capitals) is a row error

    def before_import(self, dataset, **kwargs):
        """Broader terms first, so that every row's parent exists by the time the row is read."""
        super().before_import(dataset, **kwargs)
        if "parent" not in (dataset.headers or []):
            return
        rows, ordered, placed = (
            list(dataset.dict),
            [],
            set(self._meta.model.objects.values_list("slug", flat=True)),
        )
        while rows:
            ready = [
                r
                for r in rows
                if not r.get("parent") or r["parent"] in placed or r["parent"] == r.get("slug")
            ]
            if not ready:  # a cycle or an unknown parent: leave the rest for the row errors to report
                ordered += rows
                break
            ordered += ready
            placed.update(r.get("slug") for r in ready)
            rows = [r for r in rows if r not in ready]
        dataset.dict = ordered


class DiseaseTagResource(VocabularyResource):
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=widgets.ForeignKeyWidget(DiseaseTag, "slug")
    )

    class Meta(VocabularyResource.Meta):
        model = DiseaseTag


class TherapyTagResource(VocabularyResource):
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=widgets.ForeignKeyWidget(TherapyTag, "slug")
    )

    class Meta(VocabularyResource.Meta):
        model = TherapyTag


class RedirectResource(SafeCellsMixin, resources.ModelResource):
    """Redirects by old address: importing a row for an existing old address updates where it leads."""

    class Meta:
        model = Redirect
        import_id_fields = ["old_path"]
        fields = ["old_path", "new_path", "note"]
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

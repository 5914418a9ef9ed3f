"""Spreadsheet import and export of patient stories.

Only the anonymised fields travel: no consent record, no privacy findings, no clearance. Imported
stories always start pending: the privacy officer clears what is imported like anything else.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from articles.intake.spreadsheets import BulkTagLinksMixin, SafeCellsMixin, TagsField, validation_error_for
from articles.models import Article, DiseaseTag, TherapyTag
from cases.models import Case, CaseDisease, CaseTherapy, PrivacyStatus
from cases.privacy import STORY_FIELDS, live_story_problems


class ArticleSlugsWidget(widgets.ManyToManyWidget):
    def __init__(self):
        super().__init__(Article, separator=";", field="slug")

    def clean(self, value, row=None, **kwargs):
        slugs = [s.strip() for s in str(value or "").split(";") if s.strip()]
        found = list(Article.objects.filter(slug__in=slugs))
        if missing := sorted(set(slugs) - {a.slug for a in found}):
            raise ValueError(
                _("No article with the slug %(slugs)s. Import the articles first.")
                % {"slugs": ", ".join(missing)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return "; ".join(sorted(a.slug for a in value.all())) if value is not None else ""


class CaseResource(SafeCellsMixin, BulkTagLinksMixin, resources.ModelResource):
    reference = fields.Field(attribute="reference", column_name="reference")
    diseases = TagsField("diseases", DiseaseTag)
    therapies = TagsField("therapies", TherapyTag)
    articles = fields.Field(
        attribute="articles", column_name="articles", widget=ArticleSlugsWidget(), m2m_add=False
    )
    privacy_status = fields.Field(attribute="privacy_status", column_name="privacy_status", readonly=True)

    tag_links = {"diseases": CaseDisease, "therapies": CaseTherapy}

    class Meta:
        model = Case
        import_id_fields = ["reference"]
        fields = [
            "reference", "label", "age_band", "sex", "treatment_year", "follow_up", "outcome", "narrative",
            "diseases", "therapies", "articles", "privacy_status",
        ]  # fmt: skip
        export_order = fields
        clean_model_instances = False

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related("diseases", "therapies", "articles")

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.pk is None:
            instance.privacy_status = PrivacyStatus.PENDING
        if "articles" in row:
            slugs = [s.strip() for s in str(row.get("articles") or "").split(";") if s.strip()]
            story = {name: getattr(instance, name) for name in STORY_FIELDS}
            article_pks = Article.objects.filter(slug__in=slugs).values_list("pk", flat=True)
            if problems := live_story_problems(instance, story=story, article_pks=article_pks):
                errors.setdefault("articles", []).extend(problems)
        if (problem := validation_error_for(instance, exclude=["reference", *errors])) is not None:
            errors = problem.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self._saved_instances.append(instance)

    def after_bulk_save(self, instances, **kwargs):
        # Tags were written after the row's save; a changed story is no longer what was cleared.
        for case in instances:
            case.refresh_from_db()
            if (
                case.privacy_status == PrivacyStatus.CLEARED
                and case.fingerprint() != case.cleared_fingerprint
            ):
                case.save()

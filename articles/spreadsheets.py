"""What every spreadsheet resource shares: safe cells, tags by any name, bulk tag links, upload limits.

django-import-export does the reading, previewing and row-by-row reporting. Three things it does not do
the way a hospital desk needs are done here:

* Exports neutralize spreadsheet formulas in every cell and every format (a cell starting with = + - @,
  a tab or a carriage return gets a leading apostrophe), and imports take that apostrophe off again, so
  an export imported back gives the same text.
* Tags are given by name, synonym or abbreviation, and an unknown one is a row error that says what to do.
* Tag links are written in bulk after the rows are (import-export's bulk mode silently drops them).
"""

import copy
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, widgets
from import_export.formats.base_formats import CSV, JSON, XLSX
from import_export.forms import ImportForm

FORMATS = [CSV, XLSX, JSON]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unneutralize(value):
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


class SafeCellsMixin:
    """Formula-safe exports, imports that undo exactly that, and all-or-nothing imports."""

    def import_data(self, dataset, *args, rollback_on_validation_errors=True, **kwargs):
        if not kwargs.get("dry_run") and not (args and args[0]):
            # The confirmed import shows totals, not row diffs: the preview already showed those, so
            # copying and comparing every row again would only slow a 10,000-row import down.
            self._meta = copy.copy(self._meta)
            self._meta.skip_diff = True
        return super().import_data(
            dataset, *args, rollback_on_validation_errors=rollback_on_validation_errors, **kwargs
        )

    def export_field(self, field, instance, **kwargs):
        return neutralize(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        for key, value in list(row.items()):
            row[key] = unneutralize(value)
        super().before_import_row(row, **kwargs)


def split_names(value) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", str(value or "")) if part.strip()]


class VocabularyWidget(widgets.Widget):
    """Tags as "name; name; ..." on export; any name, synonym or abbreviation on import."""

    def __init__(self, vocabulary, **kwargs):
        self.vocabulary = vocabulary
        self._lookup = None
        super().__init__(**kwargs)

    def lookup(self, name: str):
        if self._lookup is None:
            folded, exact = {}, {}
            for term in self.vocabulary.objects.only("pk", "name", "synonyms", "abbreviations"):
                for alias in [term.name, *term.synonyms]:
                    folded.setdefault(" ".join(alias.casefold().split()), term.pk)
                for abbreviation in term.abbreviations:
                    exact.setdefault(abbreviation, term.pk)
            self._lookup = (folded, exact)
        folded, exact = self._lookup
        return folded.get(" ".join(name.casefold().split())) or exact.get(name.strip())

    def clean(self, value, row=None, **kwargs):
        ids, unknown = [], []
        for name in split_names(value):
            pk = self.lookup(name)
            if pk is None:
                unknown.append(name)
            elif pk not in ids:
                ids.append(pk)
        if unknown:
            raise ValueError(
                _("Unknown %(vocabulary)s: %(names)s. Use a name, synonym or abbreviation from the "
                  "vocabulary, "
                  "or add the term first.")
                % {"vocabulary": self.vocabulary._meta.verbose_name, "names": ", ".join(unknown)}
            )  # fmt: skip
        return ids

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "; ".join(sorted(term.name for term in value.all()))


class TagsField(fields.Field):
    """A tag column. On import it only remembers the term ids; `BulkTagLinksMixin` writes the links."""

    def __init__(self, manager: str, vocabulary, **kwargs):
        super().__init__(
            attribute=manager, column_name=manager, widget=VocabularyWidget(vocabulary), **kwargs
        )
        self.manager = manager

    def save(self, instance, row, is_m2m=False, **kwargs):
        if self.column_name in row:
            pending = instance.__dict__.setdefault("_pending_tags", {})
            pending[self.manager] = self.clean(row, **kwargs)


class BulkTagLinksMixin:
    """Create and update rows with bulk_create/bulk_update, then their tag links in a few statements."""

    tag_links: dict[str, type] = {}  # manager name -> through model

    def before_import(self, dataset, **kwargs):
        self._saved_instances = []
        super().before_import(dataset, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        # Tag columns are written by write_tag_links; other many-to-many columns save as usual.
        if not self._meta.use_bulk:
            super().save_m2m(instance, row, **kwargs)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        pending = list(self.create_instances)
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)
        self._saved_instances += [i for i in pending if i.pk is not None]

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        pending = list(self.update_instances)
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)
        self._saved_instances += pending

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            return
        self.write_tag_links(self._saved_instances)
        self.after_bulk_save(self._saved_instances, **kwargs)

    @transaction.atomic
    def write_tag_links(self, instances):
        for manager, through in self.tag_links.items():
            touched = [i for i in instances if manager in i.__dict__.get("_pending_tags", {})]
            if not touched:
                continue
            through.objects.filter(content_object__in=[i.pk for i in touched]).delete()
            through.objects.bulk_create(
                [
                    through(content_object_id=instance.pk, tag_id=tag_id)
                    for instance in touched
                    for tag_id in instance._pending_tags[manager]
                ],
                batch_size=2000,
            )

    def after_bulk_save(self, instances, **kwargs):
        """Hook for what else a save implies (revisions, fingerprints)."""


class LimitedImportForm(ImportForm):
    """The admin's import form, refusing files over the upload cap before they are read."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.NEWSDESK_MAX_IMPORT_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _(
                    "This file is %(size).1f MB; imports are limited to %(limit)d MB. "
                    "Split it into smaller files."
                )
                % {"size": upload.size / 1e6, "limit": limit // 1_000_000}
            )
        return upload


def row_errors_as_text(result) -> list[str]:
    """One line per problem, "Row 3: headline: This field cannot be blank.", for commands and tests."""
    lines = []
    for number, errors in result.row_errors():
        lines += [f"Row {number}: {error.error}" for error in errors]
    for invalid in result.invalid_rows:
        for field, messages in invalid.error_dict.items():
            lines += [f"Row {invalid.number}: {field}: {message}" for message in messages]
    lines += [f"{error.error}" for error in result.base_errors]
    return lines


def validation_error_for(instance, exclude=()):
    """Field checks that need no database (lengths, choices, blank, URLs), as one ValidationError."""
    try:
        instance.clean_fields(exclude=list(exclude))
    except ValidationError as error:
        return error
    return None

"""What every spreadsheet resource shares: safe cells, tags by any name, bulk tag links, upload limits.

django-import-export does the reading, previewing and row-by-row reporting. Three things it does not do
the way a hospital desk needs are done here:

* Exports neutralize spreadsheet formulas in every cell and every format (a cell starting with = + - @,
  a tab or a carriage return gets a leading apostrophe, and so does a formula character right after a
  separator inside a cell, which Excel in a semicolon locale would start a new cell at), and imports
  take those apostrophes off again, so an export imported back gives the same text. Control characters
  (which break XLSX) are dropped, and every CSV field is quoted.
* Tags are given by name, synonym or abbreviation, and an unknown one is a row error that says what to do.
* Tag links are written in bulk after the rows are (import-export's bulk mode silently drops them).
"""

import copy
import csv
import io
import json
import re
import zipfile

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, widgets
from import_export.formats.base_formats import CSV, JSON, XLSX
from import_export.forms import ImportForm

from articles.richtext import CONTROL_CHARACTERS


class QuotedCSV(CSV):
    """CSV with every field quoted, so no reader takes part of a cell for a new one."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(dataset, quoting=csv.QUOTE_ALL, **kwargs)


FORMATS = [QuotedCSV, XLSX, JSON]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_AFTER_SEPARATOR = re.compile(r"([;,|])(?=[=+\-@])")
_NEUTRALIZED_AFTER_SEPARATOR = re.compile(r"([;,|])'(?=[=+\-@])")


def neutralize(value):
    if not isinstance(value, str):
        return value
    value = _AFTER_SEPARATOR.sub(r"\1'", CONTROL_CHARACTERS.sub("", value))
    return "'" + value if value.startswith(FORMULA_START) else value


def unneutralize(value):
    if not isinstance(value, str):
        return value
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        value = value[1:]
    return _NEUTRALIZED_AFTER_SEPARATOR.sub(r"\1", value)


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

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.import_formats = formats

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

    def clean(self):
        """Text files in any common encoding become UTF-8 (what the importer reads); a spreadsheet that
        unpacks to far more than its size is refused before anything opens it."""
        cleaned = super().clean()
        upload, chosen = cleaned.get("import_file"), cleaned.get("format")
        if upload is None or chosen in (None, ""):
            return cleaned
        upload.seek(0)
        data = upload.read()
        try:
            if self.import_formats[int(chosen)] is XLSX:
                refuse_packed_bombs(data, settings.NEWSDESK_MAX_IMPORT_BYTES)
                refuse_oversized_sheets(data)
            else:
                text = as_utf8(data)
                if issubclass(self.import_formats[int(chosen)], CSV):
                    refuse_ragged_rows(text)
                elif issubclass(self.import_formats[int(chosen)], JSON):
                    refuse_long_json(text)
                cleaned["import_file"] = SimpleUploadedFile(upload.name, text.encode("utf-8"))
        except ValidationError as error:
            self.add_error("import_file", error)
        upload.seek(0)
        return cleaned


#: Tried in order after UTF-8: what Excel on Windows and older systems write.
_SINGLE_BYTE = ("cp1252", "latin-1")


def as_utf8(data: bytes) -> str:
    """The text of a CSV or JSON file in UTF-8 (with or without BOM), UTF-16 (with BOM), Windows-1252 or
    Latin-1. Binary data is refused with advice."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    if b"\x00" in data:
        raise ValidationError(
            _(
                "This file is not text. Save the spreadsheet as “CSV UTF-8” (or choose the .xlsx format) "
                "and try again."
            )
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in _SINGLE_BYTE:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file's characters could not be read. Save it as “CSV UTF-8” and try again."))


MAX_ROWS, MAX_COLUMNS = 10_000, 50
BYTES_PER_CELL, SHEET_OVERHEAD = 400, 1_000_000  # an inline-string cell of a few hundred characters
_CELL = re.compile(rb"<c[\s>/]")
_CELL_REFERENCE = re.compile(rb'<c\b[^>]{0,200}?\br="([A-Z]{1,3})(\d{1,7})"')


def _column_number(letters: bytes) -> int:
    n = 0
    for letter in letters:
        n = n * 26 + letter - 64
    return n


def _too_big(rows: int, columns: int) -> ValidationError | None:
    if rows > MAX_ROWS:
        return ValidationError(
            _("This file has %(rows)d rows; an import takes at most %(max)d. Split it into smaller files.")
            % {"rows": rows, "max": MAX_ROWS}
        )
    if columns > MAX_COLUMNS:
        return ValidationError(
            _("This file has %(cols)d columns; an import takes at most %(max)d. Remove the extra columns.")
            % {"cols": columns, "max": MAX_COLUMNS}
        )
    return None


def refuse_oversized_sheets(data: bytes) -> None:
    """Before any spreadsheet library opens an .xlsx: the rows and columns of every sheet, as declared
    (`<dimension>`) and as really used (the furthest cell), are within MAX_ROWS and MAX_COLUMNS. One
    cell in the last row and column would otherwise make the reader walk a million empty rows."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    for member in archive.infolist():
        if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
            continue
        rows = columns = cells = 0
        tail = b""
        with archive.open(member) as sheet:
            while chunk := sheet.read(1 << 20):
                # Cells need no reference ("r" is optional), so they are counted too: a 130 KB file can
                # hold millions of unnumbered cells, and a reader would build every one.
                cells += len(_CELL.findall(tail[-2:] + chunk))
                if cells > MAX_ROWS * MAX_COLUMNS:
                    raise ValidationError(
                        _(
                            "This file holds more than %(max)d cells; an import takes at most %(rows)d "
                            "rows of %(cols)d columns. Split it into smaller files."
                        )
                        % {"max": MAX_ROWS * MAX_COLUMNS, "rows": MAX_ROWS, "cols": MAX_COLUMNS}
                    )
                chunk = tail + chunk
                if declared := re.search(
                    rb'<dimension\s+ref="[A-Z]{1,3}\d{1,7}:([A-Z]{1,3})(\d{1,7})"', chunk
                ):
                    rows = max(rows, int(declared.group(2)))
                    columns = max(columns, _column_number(declared.group(1)))
                    # The sheet's unpacked size, from the cells it declares (its text is elsewhere, in
                    # the shared strings): far more than those cells need is padding or a bomb.
                    expected = min(rows, MAX_ROWS + 1) * min(columns, MAX_COLUMNS + 1) * BYTES_PER_CELL
                    if member.file_size > expected + SHEET_OVERHEAD:
                        raise ValidationError(
                            _(
                                "This spreadsheet's sheet unpacks to %(mb).1f MB, far more than its "
                                "%(cells)d cells need. Save it again from the spreadsheet program, or as CSV."
                            )
                            % {"mb": member.file_size / 1e6, "cells": rows * columns}
                        )
                for m in _CELL_REFERENCE.finditer(chunk):
                    rows = max(rows, int(m.group(2)))
                    columns = max(columns, _column_number(m.group(1)))
                if error := _too_big(rows - 1, columns):
                    raise error
                tail = chunk[-300:]


def refuse_ragged_rows(text: str) -> None:
    """At most MAX_ROWS rows and MAX_COLUMNS columns (read row by row, stopping at the first row too
    many), and every row as many cells as the header; the rows that are not are named, so the editor can
    fix exactly those (usually a stray comma inside unquoted text)."""
    width, ragged = None, []
    try:
        for n, row in enumerate(csv.reader(io.StringIO(text))):
            if width is None:
                width = len(row)
                if error := _too_big(0, width):
                    raise error
            elif row and len(row) != width:
                ragged.append((n, len(row)))
            if n > MAX_ROWS and (error := _too_big(n, width)):
                raise error
    except csv.Error as error:
        raise ValidationError(read_failure_message(error)) from None
    if ragged:
        listed = ", ".join(f"{n} ({cells})" for n, cells in ragged[:20])
        raise ValidationError(
            _(
                "The header has %(width)d columns but these rows (cells) do not: %(rows)s. Fix those rows, "
                "usually a comma inside text that needs quotes, and import again."
            )
            % {"width": width, "rows": listed}
        )


def refuse_long_json(text: str) -> None:
    try:
        rows = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise ValidationError(read_failure_message(error)) from None
    if isinstance(rows, list) and (
        error := _too_big(len(rows), max((len(r) for r in rows[:100] if isinstance(r, dict)), default=0))
    ):
        raise error


def refuse_packed_bombs(data: bytes, limit: int, ratio: int = 2) -> None:
    """An .xlsx is a zip: refuse one whose parts declare more than `ratio` × the upload limit unpacked,
    or that is not a zip at all. (Reading never goes past the declared sizes, so this bounds the work.)"""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValidationError(
            _("This is not an .xlsx file. Choose the format the file really has.")
        ) from None
    unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > ratio * limit:
        raise ValidationError(
            _(
                "This spreadsheet unpacks to %(mb)d MB, more than a desk import can hold. "
                "Split it into smaller files."
            )
            % {"mb": unpacked // 1_000_000}
        )


def read_failure_message(error: Exception) -> str:
    """Why a file could not be read at all, in words that say what to do (instead of an exception name)."""
    from defusedxml import DefusedXmlException

    if isinstance(error, DefusedXmlException) or isinstance(error.__cause__, DefusedXmlException):
        return _(
            "The spreadsheet defines XML entities or a DTD, which real spreadsheets never do (it is how an "
            "“XML bomb” works). Save the file again from Excel or LibreOffice and import that."
        )
    if isinstance(error, RecursionError):
        return _("The JSON is nested too deeply. Give a list of rows, each an object of column: value.")
    if isinstance(error, csv.Error) and "field limit" in str(error):
        return _(
            "A cell holds more than %(kb)d KB of text, more than any field takes. Shorten it, or paste long "
            "text into the editor instead."
        ) % {"kb": csv.field_size_limit() // 1024}
    if isinstance(error, json.JSONDecodeError):
        return _("The JSON is not valid (%(error)s). Check the file, or choose the format it really has.") % {
            "error": error
        }
    if isinstance(error, UnicodeDecodeError):
        return _("The file's characters could not be read. Save it as “CSV UTF-8” and try again.")
    if isinstance(error, zipfile.BadZipFile):
        return _("This is not an .xlsx file. Choose the format the file really has.")
    return _("The file could not be read (%(problem)s). Check that the format chosen matches the file.") % {
        "problem": str(error)[:200] or type(error).__name__
    }


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

"""Imports are capped before anything parses them (issue 30, item 2): at most 10,000 rows and 50
columns, whatever a spreadsheet declares or really holds, and a damaged archive is a form error."""

import io
import re
import time
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.intake.spreadsheets import (
    MAX_COLUMNS,
    MAX_ROWS,
    refuse_long_json,
    refuse_oversized_sheets,
    refuse_ragged_rows,
)


def xlsx(fill) -> bytes:
    workbook = openpyxl.Workbook()
    fill(workbook.active)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_one_cell_in_the_last_row_and_column_is_refused_at_once():
    data = xlsx(lambda sheet: sheet.cell(row=1_048_576, column=16_384, value="x"))
    assert len(data) < 10_000
    started = time.perf_counter()
    with pytest.raises(ValidationError, match="1048575 rows; an import takes at most 10000"):
        refuse_oversized_sheets(data)
    assert time.perf_counter() - started < 1


def test_a_sheet_that_understates_its_dimension_is_measured_by_its_cells():
    data = xlsx(lambda sheet: sheet.cell(row=60_000, column=2, value="x"))
    honest = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as lying:
        for member in honest.infolist():
            body = honest.read(member)
            if member.filename.startswith("xl/worksheets/"):
                body = body.replace(b'<dimension ref="B60000"', b'<dimension ref="A1:B2"').replace(
                    b'<dimension ref="A1:B60000"', b'<dimension ref="A1:B2"'
                )
            lying.writestr(member, body)
    with pytest.raises(ValidationError, match="59999 rows"):
        refuse_oversized_sheets(out.getvalue())


def test_millions_of_unnumbered_cells_in_a_small_file_are_refused_before_any_reader_builds_them():
    honest = zipfile.ZipFile(io.BytesIO(xlsx(lambda sheet: sheet.append(["slug", "title"]))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as packed:
        for member in honest.infolist():
            body = honest.read(member)
            if member.filename.startswith("xl/worksheets/"):
                row = b"<row>" + b"<c><v>1</v></c>" * 40 + b"</row>"
                body = re.sub(
                    rb"<sheetData>.*</sheetData>", b"<sheetData>" + row * 15_000 + b"</sheetData>", body
                )
                body = re.sub(rb"<dimension[^>]*/>", b"", body)  # no declared size to check it against
            packed.writestr(member, body)
    assert len(out.getvalue()) < 200_000
    started = time.perf_counter()
    with pytest.raises(ValidationError, match="more than 500000 cells"):
        refuse_oversized_sheets(out.getvalue())
    assert time.perf_counter() - started < 2


def test_a_sheet_far_larger_than_its_declared_cells_need_is_refused_from_its_header():
    honest = zipfile.ZipFile(io.BytesIO(xlsx(lambda sheet: sheet.append(["slug", "title"]))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as padded:
        for member in honest.infolist():
            body = honest.read(member)
            if member.filename.startswith("xl/worksheets/"):
                body = body.replace(b"</worksheet>", b"<!--" + b" " * 5_000_000 + b"--></worksheet>")
            padded.writestr(member, body)
    with pytest.raises(ValidationError, match="unpacks to 5.0 MB, far more than its 2 cells need"):
        refuse_oversized_sheets(out.getvalue())


def test_too_many_columns_are_refused_with_advice():
    data = xlsx(lambda sheet: sheet.append([f"c{n}" for n in range(MAX_COLUMNS + 1)]))
    with pytest.raises(ValidationError, match="51 columns; an import takes at most 50. Remove the extra"):
        refuse_oversized_sheets(data)


def test_an_ordinary_sheet_passes():
    refuse_oversized_sheets(xlsx(lambda sheet: [sheet.append(["slug", "title"]) for _ in range(200)]))


def test_a_csv_stops_being_read_at_its_first_row_too_many():
    header = "slug,title\n"
    refuse_ragged_rows(header + "a,b\n" * MAX_ROWS)
    with pytest.raises(ValidationError, match="10001 rows"):
        refuse_ragged_rows(header + "a,b\n" * 100_000)


def test_a_json_import_is_capped_too():
    with pytest.raises(ValidationError, match="rows; an import takes at most"):
        refuse_long_json("[" + ",".join(['{"slug": "x"}'] * (MAX_ROWS + 1)) + "]")


@pytest.mark.django_db
def test_a_zip_whose_member_fails_its_checksum_is_a_form_error_not_a_500(client, users):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("story.txt", "A headline\n\nSome text about the new clinic." * 20)
    data = bytearray(out.getvalue())
    at = data.index(b"Some text")
    data[at] ^= 0x20  # the stored bytes no longer match the CRC
    client.force_login(users["editor"])
    response = client.post(
        reverse("admin:import_documents"), {"files": [SimpleUploadedFile("batch.zip", bytes(data))]}
    )
    assert response.status_code == 200
    assert "is damaged (it fails its checksum)" in response.content.decode()


@pytest.fixture
def previewed(client, users):
    """An editor's unconfirmed import preview: (the address of its page, the client signed in as that
    editor)."""
    client.force_login(users["editor"])
    response = client.post(
        reverse("admin:import_documents"),
        {"files": [SimpleUploadedFile("clinic.txt", b"New clinic opens\n\nThe clinic opens in spring.")]},
    )
    assert response.status_code == 302
    return response["Location"], client


@pytest.mark.django_db
def test_an_import_preview_can_be_confirmed_only_by_its_uploader(previewed, users, django_user_model):
    from articles.models import Article

    job_page, client = previewed
    other = django_user_model.objects.create_user("editor2", "e2@example.test", "pw", is_staff=True)
    other.groups.add(*users["editor"].groups.all())
    client.force_login(other)
    assert client.get(job_page).status_code == 404
    assert client.post(job_page).status_code == 404
    assert not Article.objects.exists()
    client.force_login(users["editor"])
    client.post(job_page)
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_unconfirmed_previews_are_deleted_after_24_hours(previewed):
    from datetime import timedelta

    from django.core.files.storage import storages
    from django.utils import timezone

    from cases.importer import expire_import_previews

    assert expire_import_previews() == 0
    assert expire_import_previews(now=timezone.now() + timedelta(hours=25)) == 1
    folders, _files = storages["private"].listdir("imports")
    assert all(not storages["private"].listdir(f"imports/{f}")[1] for f in folders)
    from articles.models import ImportJob

    assert not ImportJob.objects.exists()  # nor the report, with the documents' names and headlines

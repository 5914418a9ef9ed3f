"""Hostile import files, through the admin's import pages as an editor uses them: every encoding, ragged and
huge CSV, XLSX zip and XML bombs, deeply nested JSON, `status=published`, formula payloads, and the source
document importer's garbage and bombs. Each file is fully imported or fully refused with a message that
names the problem; no import moves an article through the workflow; nothing is a server error."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from articles.intake.resources import ArticleResource
from articles.models import Article, Status
from cases.importer import read_uploads

pytestmark = pytest.mark.django_db
CSV, XLSX, JSON = "0", "1", "2"
TITLE = "Café für Ärztinnen: lupus care"
HEADER = "slug,title,standfirst,body,diseases,therapies\n"


def admin_import(client, name, data, fmt):
    """Preview, then confirm if the preview had no errors. Returns (preview text, confirmed?)."""
    upload = SimpleUploadedFile(name, data)
    preview = client.post(
        reverse("admin:articles_article_import"),
        {"import_file": upload, "format": fmt, "resource": "0"},
        follow=True,
    )
    assert preview.status_code < 500
    page = preview.content.decode()
    if "Confirm import" not in page:
        return page, False
    done = client.post(preview.redirect_chain[-1][0], follow=True)
    assert done.status_code < 500
    return page, True


@pytest.fixture
def editor(client, users, vocabulary):
    client.force_login(users["editor"])
    return client


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8", (HEADER + f",{TITLE},,,lupus,\n").encode("utf-8")),
        ("utf-8 with BOM", (HEADER + f",{TITLE},,,lupus,\n").encode("utf-8-sig")),
        ("utf-16 le", (HEADER + f",{TITLE},,,lupus,\n").encode("utf-16")),
        ("utf-16 be", b"\xfe\xff" + (HEADER + f",{TITLE},,,lupus,\n").encode("utf-16-be")),
        ("latin-1", (HEADER + f",{TITLE},,,lupus,\n").encode("latin-1")),
        ("cp1252", (HEADER + f",{TITLE} – “quoted”,,,lupus,\n").encode("cp1252")),
    ],
)
def test_every_common_encoding_imports_the_same_text(editor, encoding, data):
    _page, confirmed = admin_import(editor, "articles.csv", data, CSV)
    assert confirmed, encoding
    article = Article.objects.get()
    assert article.title.startswith(TITLE), (encoding, article.title)
    assert article.status == Status.DRAFT


def test_binary_garbage_as_csv_is_refused_with_advice(editor):
    page, confirmed = admin_import(editor, "articles.csv", bytes(range(256)) * 20, CSV)
    assert not confirmed and "This file is not text" in page
    assert not Article.objects.exists()


def test_a_ragged_csv_is_refused_row_by_row_or_imported_whole(editor):
    data = (HEADER + ",Good row,,,lupus,\n,Short row\n,Long row,,,lupus,,extra,cells\n").encode()
    page, confirmed = admin_import(editor, "ragged.csv", data, CSV)
    assert not confirmed and not Article.objects.exists()
    assert "these rows (cells) do not: 2 (2), 3 (8)" in page


def test_a_file_over_the_import_limit_is_refused_naming_the_limit(editor, settings):
    settings.NEWSDESK_MAX_IMPORT_BYTES = 50_000
    data = (HEADER + "".join(f",Row {n},,,lupus,\n" for n in range(5000))).encode()
    page, confirmed = admin_import(editor, "huge.csv", data, CSV)
    assert not confirmed and "imports are limited to" in page
    assert not Article.objects.exists()


def test_a_10_mb_cell_is_refused_or_imported_whole(editor):
    data = (HEADER + ",Big cell,," + "x" * 10_000_000 + ",lupus,\n").encode()
    page, confirmed = admin_import(editor, "cell.csv", data, CSV)
    count = Article.objects.count()
    assert (confirmed and count == 1) or (not confirmed and count == 0), page[-500:]
    if not confirmed:
        assert "A cell holds more than" in page


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_zip_bomb_is_refused_before_it_is_opened(editor):
    good = zipfile.ZipFile(io.BytesIO(xlsx([["slug", "title"], ["", "One"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in good.infolist():
            bomb.writestr(item, good.read(item))
        bomb.writestr("xl/media/padding.bin", b"\x00" * 200_000_000)  # 200 MB of zeros: ~200 KB packed
    page, confirmed = admin_import(editor, "bomb.xlsx", out.getvalue(), XLSX)
    assert not confirmed and "unpacks to" in page
    assert not Article.objects.exists()


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


def test_an_xlsx_xml_bomb_is_refused_by_defusedxml(editor):
    good = zipfile.ZipFile(io.BytesIO(xlsx([["slug", "title"], ["", "One"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in good.infolist():
            data = BILLION_LAUGHS.encode() if item.filename == "xl/worksheets/sheet1.xml" else good.read(item)
            bomb.writestr(item, data)
    page, confirmed = admin_import(editor, "laughs.xlsx", out.getvalue(), XLSX)
    assert not confirmed
    assert "XML bomb" in page
    assert not Article.objects.exists()


def test_json_nested_100000_deep_is_refused(editor):
    data = ("[" * 100_000 + "]" * 100_000).encode()
    page, confirmed = admin_import(editor, "deep.json", data, JSON)
    assert not confirmed and "nested too deeply" in page
    assert not Article.objects.exists()


def test_status_published_in_a_file_lands_as_a_draft(editor, make_article):
    rows = [{"slug": "", "title": "Sneaky", "status": "published", "published_at": "2026-01-01 00:00"}]
    _page, confirmed = admin_import(editor, "a.json", json.dumps(rows).encode(), JSON)
    assert confirmed
    article = Article.objects.get(title="Sneaky")
    assert article.status == Status.DRAFT
    assert not article.events.filter(action="published").exists()


def test_a_row_for_a_published_article_is_refused_and_the_article_is_untouched(editor, make_article):
    live = make_article(title="Live story", status=Status.PUBLISHED)
    data = (HEADER + f"{live.slug},Rewritten,,,lupus,\n,New draft,,,lupus,\n").encode()
    page, confirmed = admin_import(editor, "a.csv", data, CSV)
    assert not confirmed and "Unpublish it first" in page
    live.refresh_from_db()
    assert (live.title, live.status) == ("Live story", Status.PUBLISHED)
    assert Article.objects.count() == 1


def test_a_writer_cannot_import_at_all(client, users, vocabulary):
    client.force_login(users["writer"])
    data = (HEADER + ",Writer's row,,,lupus,\n").encode()
    response = client.post(
        reverse("admin:articles_article_import"),
        {"import_file": SimpleUploadedFile("a.csv", data), "format": CSV, "resource": "0"},
    )
    assert response.status_code == 403
    assert not Article.objects.exists()


FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_formula_payloads_import_as_text_and_export_neutralized(editor, formula):
    rows = [{"slug": "", "title": "Formula row", "standfirst": formula}]
    _page, confirmed = admin_import(editor, "f.json", json.dumps(rows).encode(), JSON)
    assert confirmed
    article = Article.objects.get()
    assert article.standfirst.strip() == formula.strip() or article.standfirst == formula
    exported = ArticleResource().export(queryset=Article.objects.all()).dict[0]["standfirst"]
    assert exported.startswith("'") or not exported.startswith(("=", "+", "-", "@", "\t", "\r"))


class TestDocumentImporter:
    def test_binary_garbage_is_refused(self):
        with pytest.raises(ValidationError, match="not a .txt"):
            read_uploads([SimpleUploadedFile("x.bin", bytes(range(256)))], limit=2_000_000)

    def test_a_zip_with_traversal_names_only_yields_plain_names(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("../../etc/evil.txt", "Title\n\nBody text about lupus.")
            archive.writestr("/abs/path.md", "# Heading\n\nMore text.")
        documents = read_uploads([SimpleUploadedFile("docs.zip", out.getvalue())], limit=2_000_000)
        assert sorted(name for name, _ in documents) == ["evil.txt", "path.md"]

    def test_a_zip_bomb_is_refused_before_it_is_unpacked(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("big.txt", b"a" * 100_000_000)
        with pytest.raises(ValidationError, match="unpacks to more than"):
            read_uploads([SimpleUploadedFile("bomb.zip", out.getvalue())], limit=2_000_000)

    @pytest.mark.parametrize(
        ("name", "data"),
        [
            ("x.zip", b"PK\x03\x04garbage"),
            ("x.txt", bytes(range(256)) * 10),
            ("x.exe", b"MZ\x90\x00"),
        ],
    )
    def test_the_admin_page_refuses_garbage_with_a_message(self, client, users, name, data):
        client.force_login(users["editor"])
        response = client.post(
            reverse("admin:import_documents"), {"files": SimpleUploadedFile(name, data)}, follow=True
        )
        assert response.status_code == 200  # a form error, or a report whose row says what is wrong
        assert not Article.objects.exists()

"""Spreadsheets in and out: CSV, XLSX and JSON, tags by any name, drafts only, all or nothing, safe cells."""

import io
import json
import re

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.intake.resources import ArticleResource, DiseaseTagResource
from articles.intake.spreadsheets import LimitedImportForm, row_errors_as_text
from articles.models import Article, ArticleDisease, ArticleRevision, DiseaseTag, Status, TherapyTag

pytestmark = pytest.mark.django_db
HEADERS = ["slug", "title", "standfirst", "body", "diseases", "therapies"]


def dataset(*rows, headers=HEADERS):
    return tablib.Dataset(*rows, headers=headers)


def import_rows(*rows, dry_run=False, headers=HEADERS, user=None):
    return ArticleResource().import_data(dataset(*rows, headers=headers), dry_run=dry_run, user=user)


def content(article):
    return (
        article.slug,
        article.title,
        article.standfirst,
        article.body,
        sorted(article.diseases.names()),
        sorted(article.therapies.names()),
    )


class TestImport:
    def test_tags_are_found_by_name_synonym_or_abbreviation(self, vocabulary):
        result = import_rows(
            [
                "",
                "Lupus news",
                "",
                "<p>Text.</p>",
                "lupus; SLE",
                "CAR-T; chimeric antigen receptor T-cell therapy",
            ]
        )
        assert not row_errors_as_text(result)
        article = Article.objects.get(title="Lupus news")
        assert list(article.diseases.names()) == ["Systemic lupus erythematosus"]
        assert list(article.therapies.names()) == ["CAR-T cell therapy"]

    def test_imported_rows_always_land_as_drafts_with_a_revision(self, vocabulary, users):
        import_rows(["new-slug", "New", "", "", "", ""], user=users["editor"])
        article = Article.objects.get(slug="new-slug")
        assert article.status == Status.DRAFT
        assert article.author == users["editor"]
        assert article.revisions.get().note == "Imported from a spreadsheet"

    def test_a_row_that_would_change_published_content_is_refused(self, vocabulary, make_article):
        published = make_article(title="Live", status=Status.PUBLISHED)
        result = import_rows([published.slug, "Changed by a spreadsheet", "", "", "", ""])
        assert any("imports only create or update drafts" in line for line in row_errors_as_text(result))
        published.refresh_from_db()
        assert published.title == "Live" and published.status == Status.PUBLISHED

    def test_reimporting_an_unchanged_export_of_the_whole_desk_reports_live_rows_as_unchanged(
        self, vocabulary, make_article
    ):
        published = make_article(title="Live", status=Status.PUBLISHED)
        retracted = make_article(title="Withdrawn", status=Status.RETRACTED)
        draft = make_article(title="Work in progress")
        export = ArticleResource().export()
        result = ArticleResource().import_data(export, dry_run=False)
        assert not result.has_errors(), row_errors_as_text(result)
        assert result.totals["skip"] == 3
        for article, title in ((published, "Live"), (retracted, "Withdrawn"), (draft, "Work in progress")):
            article.refresh_from_db()
            assert article.title == title
        assert published.status == Status.PUBLISHED and retracted.status == Status.RETRACTED

    def test_a_draft_is_updated_in_place(self, vocabulary, make_article):
        draft = make_article(title="Old title")
        import_rows([draft.slug, "New title", "", "", "myeloma", ""])
        draft.refresh_from_db()
        assert draft.title == "New title"
        assert list(draft.diseases.names()) == ["Multiple myeloma"]
        assert Article.objects.count() == 1

    def test_one_bad_row_means_nothing_is_imported_and_each_problem_is_reported(self, vocabulary):
        result = import_rows(
            ["", "Fine row", "", "", "lupus", ""],
            ["", "Unknown tag", "", "", "dragon pox", ""],
            ["", "", "", "", "", ""],
        )
        errors = row_errors_as_text(result)
        assert any(e.startswith("Row 2:") and "Unknown disease: dragon pox" in e for e in errors), errors
        assert any(e.startswith("Row 3:") and "title" in e for e in errors), errors
        assert Article.objects.count() == 0
        assert ArticleDisease.objects.count() == 0

    def test_a_row_carries_its_language_and_an_unknown_one_is_refused(self, vocabulary):
        headers = ["slug", "language", "title", "standfirst", "body", "diseases", "therapies"]
        result = import_rows(
            ["", "zh-hans", "儿童狼疮低剂量CAR-T初见成效", "", "", "lupus", ""],
            ["", "", "An English row with the cell left empty", "", "", "", ""],
            headers=headers,
        )
        assert not result.has_errors() and not result.has_validation_errors()
        assert dict(Article.objects.values_list("language", "slug")) == {
            "zh-hans": "ertong-langchuang-dijiliang-car-t-chujianchengxiao",
            "en": "an-english-row-with-the-cell-left-empty",
        }
        refused = import_rows(["", "fr", "Une ligne", "", "", "", ""], headers=headers)
        assert any("language" in e for e in row_errors_as_text(refused)), row_errors_as_text(refused)

    def test_a_dry_run_previews_and_writes_nothing(self, vocabulary):
        result = import_rows(["", "Preview me", "", "", "lupus", ""], dry_run=True)
        assert result.totals["new"] == 1
        assert Article.objects.count() == 0 and ArticleDisease.objects.count() == 0

    def test_html_is_sanitized_on_import(self, vocabulary):
        import_rows(
            [
                "",
                "Hostile",
                "",
                '<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:x">l</a></p>',
                "",
                "",
            ]
        )
        body = Article.objects.get(title="Hostile").body
        assert "script" not in body and "onclick" not in body and "javascript" not in body

    def test_no_tag_link_is_lost_in_bulk(self, vocabulary):
        diseases = list(DiseaseTag.objects.values_list("name", flat=True)[:5])
        therapies = list(TherapyTag.objects.values_list("name", flat=True)[:4])
        rows = [
            ["", f"Bulk article {n}", "", "", "; ".join(diseases), "; ".join(therapies)] for n in range(1500)
        ]
        result = import_rows(*rows)
        assert not row_errors_as_text(result)
        assert Article.objects.count() == 1500
        assert ArticleDisease.objects.count() == 1500 * 5
        assert Article.objects.filter(therapy_links__isnull=False).distinct().count() == 1500
        assert ArticleRevision.objects.count() == 1500

    def test_duplicate_slugs_in_one_file_are_row_errors(self, vocabulary):
        result = import_rows(["same", "One", "", "", "", ""], ["same", "Two", "", "", "", ""])
        assert any("appears twice" in line for line in row_errors_as_text(result))
        assert Article.objects.count() == 0


class TestExport:
    @pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
    def test_formulas_are_neutralized_in_every_cell(self, vocabulary, make_article, fmt):
        make_article(
            title='=HYPERLINK("http://evil.example")', standfirst="+1 555", byline="@mention", body="-2"
        )
        data = ArticleResource().export()
        if fmt == "xlsx":
            sheet = openpyxl.load_workbook(io.BytesIO(data.export("xlsx"))).active
            cells = [c.value for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
        elif fmt == "json":
            cells = [v for row in json.loads(data.export("json")) for v in row.values() if isinstance(v, str)]
        else:
            cells = [c for row in tablib.Dataset().load(data.export("csv"), format="csv") for c in row]
        for dangerous in ('=HYPERLINK("http://evil.example")', "+1 555", "-2"):
            assert "'" + dangerous in cells, fmt
            assert dangerous not in cells, fmt

    @pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
    @pytest.mark.django_db(transaction=True)  # it empties the database with flush, as a new installation
    def test_an_export_imported_into_an_empty_database_gives_back_the_same_data(
        self, vocabulary, make_article, fmt
    ):
        sle = DiseaseTag.objects.get(slug="systemic-lupus-erythematosus")
        car_t = TherapyTag.objects.get(slug="car-t-cell-therapy")
        make_article(
            title="=1+1 tricky",
            standfirst="Line one.",
            body="<p>Body <strong>bold</strong>.</p>",
            diseases=[sle],
            therapies=[car_t],
        )
        make_article(title="Plain", status=Status.PUBLISHED)
        before = sorted(content(a) for a in Article.objects.all())
        exported = ArticleResource().export().export(fmt)
        # An empty database, as a new installation's would be: on a live desk, a published article is
        # never deleted (articles.signals and the database's guards), so this empties it as a new one.
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", "vocabulary", verbosity=0)
        incoming = tablib.Dataset().load(exported, format=fmt)
        result = ArticleResource().import_data(incoming)
        assert not row_errors_as_text(result)
        assert sorted(content(a) for a in Article.objects.all()) == before
        assert set(Article.objects.values_list("status", flat=True)) == {Status.DRAFT}

    def test_vocabulary_round_trip(self, vocabulary):
        exported = DiseaseTagResource().export().export("csv")
        before = sorted(
            DiseaseTag.objects.values_list(
                "slug", "name", "synonyms", "abbreviations", "code", "parent__slug"
            )
        )
        DiseaseTag.objects.all().delete()
        result = DiseaseTagResource().import_data(tablib.Dataset().load(exported, format="csv"))
        assert not row_errors_as_text(result)
        after = sorted(
            DiseaseTag.objects.values_list(
                "slug", "name", "synonyms", "abbreviations", "code", "parent__slug"
            )
        )
        assert after == before


class TestAdmin:
    def test_only_users_with_the_import_permission_see_and_use_import(self, client, users):
        changelist = reverse("admin:articles_article_changelist")
        client.force_login(users["writer"])
        assert "Import" not in re.findall(r">(Import|Export)<", client.get(changelist).content.decode())
        assert client.get(reverse("admin:articles_article_import")).status_code == 403
        client.force_login(users["editor"])
        assert "Import" in client.get(changelist).content.decode()
        assert client.get(reverse("admin:articles_article_import")).status_code == 200

    def test_preview_then_confirm(self, client, users, vocabulary):
        client.force_login(users["editor"])
        csv = "slug,title,standfirst,body,diseases,therapies\n,From the admin,,,lupus,CAR-T\n"
        upload = SimpleUploadedFile("articles.csv", csv.encode(), content_type="text/csv")
        preview = client.post(
            reverse("admin:articles_article_import"),
            {"import_file": upload, "format": "0", "resource": "0"},
            follow=True,
        )
        page = preview.content.decode()
        assert preview.status_code == 200 and "From the admin" in page and "Confirm import" in page
        assert Article.objects.count() == 0
        done = client.post(preview.redirect_chain[-1][0], follow=True).content.decode()
        assert "Imported" in done
        article = Article.objects.get(title="From the admin")
        assert article.status == Status.DRAFT and article.author == users["editor"]

    def test_uploads_over_the_cap_are_refused(self, settings):
        settings.NEWSDESK_MAX_IMPORT_BYTES = 10
        from import_export.formats.base_formats import CSV

        form = LimitedImportForm(
            [CSV], [ArticleResource], data={"format": "0", "resource": "0"},
            files={"import_file": SimpleUploadedFile("a.csv", b"slug,title\n,way too long\n")},
        )  # fmt: skip
        assert not form.is_valid()
        assert "imports are limited to" in str(form.errors["import_file"])

    def test_xlsx_is_read_with_defusedxml(self):
        from openpyxl.xml import DEFUSEDXML

        assert DEFUSEDXML is True

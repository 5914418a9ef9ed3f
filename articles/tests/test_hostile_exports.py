"""Exports and previews under hostile input (issue 30, item 6): every CSV field quoted, formulas after a
separator neutralised, control characters refused in text and stripped on export, preview responses
without a Referer, and plain http:// redirect targets refused."""

import csv
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from articles import services
from articles.intake.resources import ArticleResource
from articles.intake.spreadsheets import FORMATS, QuotedCSV, neutralize, unneutralize
from articles.models import Article, Redirect, Status

pytestmark = pytest.mark.django_db


def test_every_csv_field_is_quoted(make_article):
    make_article(title="Plain headline", standfirst="")
    exported = QuotedCSV().export_data(ArticleResource().export())
    for row in csv.reader(io.StringIO(exported)):
        assert row  # parsed
    lines = [line for line in exported.splitlines() if line]
    assert all(line.startswith('"') and line.endswith('"') for line in lines), lines[:2]
    assert QuotedCSV in FORMATS


@pytest.mark.parametrize("cell", ["x;=1+1", "a,+cmd|' /C calc'!A0", "note|@SUM(A1)", "ok;-2+3"])
def test_a_formula_after_a_separator_inside_a_cell_is_neutralised_and_comes_back(cell):
    exported = neutralize(cell)
    for separator in ";,|":
        for start in "=+-@":
            assert f"{separator}{start}" not in exported, exported
    assert unneutralize(exported) == cell


def test_control_characters_are_refused_in_text_fields(make_article):
    article = make_article(title="Fine")
    article.title = "Vertical\x0btab"
    with pytest.raises(ValidationError, match="invisible control character"):
        article.full_clean()


def test_a_control_character_already_stored_does_not_break_an_xlsx_export(make_article):
    article = make_article(title="Fine")
    Article.objects.filter(pk=article.pk).update(title="Vertical\x0btab", standfirst="bell\x07")
    workbook = openpyxl.load_workbook(io.BytesIO(ArticleResource().export().export("xlsx")))
    values = [c.value for row in workbook.active.iter_rows(min_row=2) for c in row]
    assert "Verticaltab" in values and "bell" in values


def test_a_shared_preview_sends_no_referrer(users, make_article):
    article = make_article(status=Status.IN_REVIEW, author=users["writer"])
    link = services.share_preview(article, by=users["editor"], audience="the patient")
    response = Client().get(link.get_absolute_url())
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize(
    ("target", "allowed"),
    [("http://example.org/x", False), ("https://example.org/x", True), ("/news/x/", True),
     ("//evil.example/", False), ("javascript:alert(1)", False)],
)  # fmt: skip
def test_plain_http_redirect_targets_are_refused(target, allowed):
    redirect = Redirect(old_path="/old/", new_path=target)
    if allowed:
        redirect.full_clean()
    else:
        with pytest.raises(ValidationError):
            redirect.full_clean()

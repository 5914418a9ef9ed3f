"""No document can stall the importer (issue 30, item 1): each hostile shape of 100 KB, as text and as
HTML, plus markup built to make HTML parsers slow, is read within 10 times the importer's time on 100 KB
of ordinary news."""

import contextlib

import pytest

from articles.intake.documents import UnreadableDocument, parse_document
from cases.stories import patient_story
from cases.tests.corpus import load
from cases.tests.hostile_text import SIZE, ordinary, seconds_within, shapes
from cases.tests.hostile_text import ordinary_seconds as timed

SHAPES = shapes()
FAST = sorted(SHAPES)[:: max(1, len(SHAPES) // 6)][:6]
MARKUP = {
    "unclosed tags": "<a " * (SIZE // 3),
    "open brackets": "<" * SIZE,
    "unclosed comment": "<!--" + "x" * SIZE,
    "many comments": "<!-- -->" * (SIZE // 8),
    "unclosed attribute": '<p title="' + "x" * SIZE,
    "cdata": "<![CDATA[" * (SIZE // 9),
    "nested divs": "<div>" * (SIZE // 5),
    "nested under the cap": "<div>" * 14_000,
    "nested under the depth cap": ("<div>" * 999 + "<p>x</p>" + "</div>" * 999) * 7,
    "bangs": "<!" * (SIZE // 2),
    "entities": "&#" * (SIZE // 2),
    "script": "<script>" + "a<b" * (SIZE // 3),
}


def read(text: str, html: bool) -> None:
    data = (f"<html><body><p>{text}</p></body></html>" if html else text).encode()
    with contextlib.suppress(UnreadableDocument):  # refused with a reason: that is an answer too
        parse_document(data, "page.html" if html else "page.txt")
    patient_story(text)


@pytest.fixture(scope="module")
def ordinary_seconds():
    docs = load("blind")
    text = ordinary(
        next(d["text"] for d in docs if d["lang"] == "en"), next(d["text"] for d in docs if d["lang"] == "zh")
    )
    return timed(lambda: (read(text, html=False), read(text, html=True)))


@pytest.mark.parametrize(
    "name", [n if n in FAST else pytest.param(n, marks=pytest.mark.slow) for n in sorted(SHAPES)]
)
def test_a_hostile_document_is_read_within_10_times_ordinary_news(name, ordinary_seconds):
    budget = max(10 * ordinary_seconds, 1.0)
    elapsed = seconds_within(
        budget, lambda: (read(SHAPES[name], html=False), read(SHAPES[name], html=True)), name
    )
    assert elapsed <= budget, name


@pytest.mark.parametrize("name", sorted(MARKUP))
def test_markup_built_to_slow_html_parsers_is_read_in_bounded_time(name, ordinary_seconds):
    budget = max(10 * ordinary_seconds, 1.0)
    elapsed = seconds_within(
        budget, lambda: read(MARKUP[name], html=False) or parse_or_refuse(MARKUP[name]), name
    )
    assert elapsed <= budget, name


def parse_or_refuse(markup: str) -> None:
    with contextlib.suppress(UnreadableDocument):
        parse_document(markup.encode(), "page.html")


def test_a_page_with_too_many_tags_is_refused_with_advice():
    with pytest.raises(UnreadableDocument, match="more than 15,000 HTML tags, or elements nested"):
        parse_document(("<div>" * 20_000).encode(), "page.html")


def test_a_page_nested_absurdly_deep_is_refused_but_many_unclosed_paragraphs_are_not():
    with pytest.raises(UnreadableDocument, match="nested more than 1,000 deep; save it as text"):
        parse_document(("<div>" * 1_500 + "<p>Text</p>").encode(), "page.html")
    page = "<html><body><h1>A long page</h1>" + "<p>A paragraph of news text" * 3_000 + "</body></html>"
    assert parse_document(page.encode(), "page.html")

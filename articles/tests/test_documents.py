"""Reading raw source documents: encodings, page clutter, headline and standfirst, tags, patient facts."""

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.documents import (
    Term,
    UnreadableDocument,
    decode,
    match_terms,
    parse_document,
    patient_story,
)

DOCUMENTS = Path(__file__).resolve().parents[2] / "cases" / "tests" / "documents"
TERMS = [
    Term(1, "Leukemia", ["leukaemia"], []),
    Term(2, "Acute lymphoblastic leukemia", ["acute lymphoblastic leukaemia"], ["ALL"], parent=1),
    Term(3, "B-cell acute lymphoblastic leukemia", ["B-cell ALL"], ["B-ALL"], parent=2),
    Term(4, "Systemic lupus erythematosus", ["lupus", "lupus erythematosus"], ["SLE"]),
    Term(5, "Measles", ["rubeola"], []),
    Term(6, "Hematopoietic stem cell transplantation", ["stem cell transplant"], ["HSCT"]),
    Term(
        7, "CAR-T cell therapy", ["CAR T-cell therapy", "chimeric antigen receptor T-cell therapy"], ["CAR-T"]
    ),
]


def names(text):
    by_id = {t.id: t.name for t in TERMS}
    return [by_id[i] for i in match_terms(text, TERMS)]


class TestDecoding:
    @pytest.mark.parametrize(
        ("encoding", "bom"),
        [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
         ("utf-16-le", b""), ("gb18030", b""), ("cp1252", b"")],
    )  # fmt: skip
    def test_reads_every_encoding_the_desk_receives(self, encoding, bom):
        text = "“Remission” after CAR-T: the patient’s café visit\r\nsecond line — 干细胞移植\r\n"
        if encoding == "cp1252":
            text = text.replace(" — 干细胞移植", " — done")
        decoded, _ = decode(bom + text.encode(encoding))
        assert decoded == text.replace("\r\n", "\n")

    def test_refuses_empty_binary_and_oversize_input_with_one_line(self):
        for data, reason in [(b"  \n\t ", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary"),
                             (b"a" * (2 * 1024 * 1024 + 1), "limit")]:  # fmt: skip
            with pytest.raises(UnreadableDocument, match=reason) as refused:
                decode(data)
            assert "\n" not in str(refused.value)


class TestStructure:
    def test_takes_the_headline_and_never_repeats_it_in_the_body(self):
        doc = parse_document(
            b"New hope for myeloma\n\nA new antibody treatment is now offered here.\n\nMore text follows."
        )
        assert doc.title == "New hope for myeloma"
        assert all(text != doc.title for _, text in doc.blocks)

    def test_a_text_without_a_headline_gets_one_from_its_lead_never_from_clutter(self):
        lead = (
            "Doctors have used engineered immune cells to treat a rare muscle disease, a new report says. "
            * 3
        )
        doc = parse_document(
            f"{lead}\n\nSecond paragraph.\n\nSource:\nSome Other Site Headline\nEND".encode()
        )
        assert doc.title.startswith("Doctors have used engineered immune cells")
        assert doc.source.publisher == "Some Other Site Headline"

    def test_clutter_is_dropped_and_source_lines_become_attribution(self):
        raw = (
            "Share on Facebook\nTrial results for lupus\n\nBody paragraph one is here and is long enough.\n"
            "Advertisement\nPublished on: June 24, 2025\nUploaded by: EDITORBOT\n{{ related_posts }}\n"
            "Follow us on social media: Facebook || Linkedin || Instagram\nwww.example.test || www.other.test\n"
            "Leave Your Message\ndescription2\nBody paragraph two is the last real text of the piece.\n"
            "Related articles\nSome related headline\nAnother related headline\n"
        )
        doc = parse_document(raw.encode())
        body = "\n".join(text for _, text in doc.blocks)
        for clutter in ["Share on Facebook", "Advertisement", "Published on", "Uploaded by", "{{", "Follow us",
                        "www.example.test", "Leave Your Message", "description2", "related headline"]:  # fmt: skip
            assert clutter not in body, clutter
        assert doc.source.date == "2025-06-24"
        assert doc.source.author == "EDITORBOT"
        assert "Body paragraph two" in body

    def test_a_subheading_glued_to_a_paragraph_is_split_off(self):
        raw = b"Headline here\n\nFirst paragraph of the story, long enough to be a paragraph.\n\nTreatment choicesThe team decided to offer the new therapy after a long discussion with the family."
        doc = parse_document(raw)
        assert ("h2", "Treatment choices") in doc.blocks
        assert (
            "p",
            "The team decided to offer the new therapy after a long discussion with the family.",
        ) in doc.blocks

    def test_markdown_headings_and_links(self):
        doc = parse_document(
            b"# Title in Markdown\n\nA [linked](https://x.test) **bold** lead.\n\n## Part two\n\nMore.",
            "a.md",
        )
        assert doc.title == "Title in Markdown"
        assert ("h2", "Part two") in doc.blocks
        assert doc.standfirst == "A linked bold lead." or "A linked bold lead." in doc.plain_text()

    def test_hostile_html_never_survives(self):
        doc = parse_document((DOCUMENTS / "hostile-page.html").read_bytes(), "hostile-page.html")
        body = doc.body_html()
        for hostile in [
            "<script",
            "onclick",
            "onerror",
            "javascript:",
            "steal()",
            "document.cookie",
            "<form",
        ]:
            assert hostile not in body and hostile not in doc.standfirst, hostile
        assert doc.title == "Trial opens for children with neuroblastoma"
        assert doc.source.publisher == "City Hospital News"
        assert doc.source.url == "https://news.example.test/neuroblastoma-trial"
        assert doc.source.date == "2024-09-12"

    @pytest.mark.parametrize(
        ("name", "encoding"),
        [("myeloma-story-cp1252.txt", "cp1252"), ("arthritis-news-utf16.txt", "utf-16"),
         ("transplant-gb18030.txt", "gb18030"), ("lupus-explainer-bom-crlf.md", "utf-8-sig")],
    )  # fmt: skip
    def test_our_own_documents_in_other_encodings(self, name, encoding):
        doc = parse_document((DOCUMENTS / name).read_bytes(), name)
        assert doc.encoding == encoding
        assert doc.title and "\r" not in doc.plain_text() and "\ufffd" not in doc.plain_text()

    @given(st.binary(max_size=3000))
    @settings(max_examples=200, deadline=None)
    def test_any_bytes_either_parse_or_are_refused_cleanly(self, data):
        try:
            doc = parse_document(data)
        except UnreadableDocument:
            return
        assert isinstance(doc.title, str) and doc.title

    @given(st.text(max_size=2000))
    @settings(max_examples=200, deadline=None)
    def test_any_text_parses(self, text):
        with contextlib.suppress(UnreadableDocument):
            parse_document(text.encode("utf-8"))


class TestTerms:
    def test_names_and_synonyms_ignore_case(self):
        assert names("Living with LUPUS and lupus erythematosus") == ["Systemic lupus erythematosus"]

    def test_abbreviations_keep_their_capitals_and_the_word_all_is_not_leukemia(self):
        assert names("Children with ALL now do well.") == ["Acute lymphoblastic leukemia"]
        assert names("all patients did well") == []
        assert names("ALL of the medicines need blood tests.") == []
        assert names("She has SLE.") == ["Systemic lupus erythematosus"]
        assert names("the sle gene") == []

    def test_the_longest_match_wins_and_a_narrower_term_replaces_its_parent(self):
        assert names("She has B-cell ALL; B-ALL is a leukemia.") == ["B-cell acute lymphoblastic leukemia"]

    def test_whole_words_only(self):
        assert names("stem cell infusions were given") == []
        assert names("after a stem cell transplant") == ["Hematopoietic stem cell transplantation"]
        assert names("SLEEP and ALLERGY") == []

    def test_hyphen_and_space_variants(self):
        for text in ["CAR T-cell therapy", "CAR-T-cell therapy", "car t cell therapy", "CAR-T"]:
            assert names(text) == ["CAR-T cell therapy"], text

    def test_a_disease_named_only_as_a_vaccine_is_not_a_topic(self):
        assert names("They tested responses to vaccines against measles and rubeola.") == []
        assert names("Measles cases rose this winter.") == ["Measles"]


class TestPatientStories:
    def test_one_patient_gives_their_facts(self):
        text = (
            "Mr. Lark, a 72-year-old retired engineer, was diagnosed in 2015. In 2022 he received CAR-T "
            "cells at the hospital. Eighteen months later he remains in remission, and his family is delighted."
        )
        facts = patient_story(text)
        assert (facts.age, facts.age_band, facts.sex, facts.treatment_year) == (72, "70-79", "male", 2022)
        assert "remission" in facts.outcome

    def test_an_exact_age_over_89_becomes_the_top_band(self):
        facts = patient_story(
            "Grandma Fen, a 93-year-old woman, had CAR-T in 2020. She is in remission and she walks daily."
        )
        assert facts.age_band == "90+"

    def test_a_cohort_is_not_a_story(self):
        text = (
            "Five patients aged between 18 and 24 received CAR-T. All five are in remission, the team said."
        )
        assert patient_story(text) is None

    def test_an_explainer_is_not_a_story(self):
        assert patient_story("CAR-T therapy engineers T cells. It is given as one infusion.") is None

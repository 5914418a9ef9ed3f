"""References as data (#26, item 5): an article carries the works it rests on; the desk pastes a DOI,
PMID, RIS record or BibTeX entry to fill them in, or a configured lookup service does; readers get a
numbered list in a standard style, the page's structured data a `citation`, the feed the list; trial
registry numbers are linked wherever they appear."""

import json
import re
from pathlib import Path

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import references
from articles.models import Reference, ReferenceKind, Status
from articles.references import link_registry_numbers, look_up, read_pasted
from articles.tests.test_admin import form_data

RECORDED = Path(__file__).parent / "recorded"

RIS = """TY  - JOUR
AU  - Halvorsen, Ingrid
AU  - Qiao, Lan
TI  - CD19-directed CAR T cells in refractory systemic lupus erythematosus
T2  - Journal of Example Immunology
PY  - 2024
VL  - 31
IS  - 4
SP  - 412
EP  - 423
DO  - 10.5555/cart.2024.0117
ER  - {}
""".format("")  # RIS ends each record with "ER  - " and its trailing space

BIBTEX = """@article{halvorsen2024,
  author = {Halvorsen, Ingrid and Wierzbicki, Tomasz},
  title = {{CD19-directed CAR T cells} in refractory lupus},
  journal = {Journal of Example Immunology},
  year = {2024},
  volume = {31},
  number = {4},
  pages = {412--423},
  doi = {10.5555/cart.2024.0117},
}"""


def recorded(name):
    return json.loads((RECORDED / name).read_text())


def reference_of(article, **fields):
    fields = {
        "kind": ReferenceKind.JOURNAL,
        "authors": "Halvorsen, Ingrid\nQiao, Lan",
        "title": "CD19-directed CAR T cells in refractory systemic lupus erythematosus",
        "venue": "Journal of Example Immunology",
        "year": 2024,
        "volume": "31",
        "issue": "4",
        "pages": "412-423",
        "doi": "10.5555/cart.2024.0117",
    } | fields
    return Reference.objects.create(article=article, **fields)


class TestWhatAPasteGives:
    @pytest.mark.parametrize(
        "paste",
        ["10.5555/cart.2024.0117", "doi: 10.5555/cart.2024.0117", "https://doi.org/10.5555/cart.2024.0117."],
    )
    def test_a_doi_however_it_is_copied(self, paste):
        assert read_pasted(paste).values == {"doi": "10.5555/cart.2024.0117", "kind": "journal"}

    def test_a_pmid(self):
        assert read_pasted("PMID: 99000123").values["pmid"] == "99000123"

    def test_a_ris_record_fills_every_field_it_has(self):
        values = read_pasted(RIS).values
        assert values["authors"] == "Halvorsen, Ingrid\nQiao, Lan"
        assert values["venue"] == "Journal of Example Immunology"
        assert (values["year"], values["volume"], values["issue"], values["pages"]) == (
            2024,
            "31",
            "4",
            "412-423",
        )
        assert values["doi"] == "10.5555/cart.2024.0117"

    def test_a_bibtex_entry_loses_its_braces_and_double_dashes(self):
        values = read_pasted(BIBTEX).values
        assert values["title"] == "CD19-directed CAR T cells in refractory lupus"
        assert values["authors"] == "Halvorsen, Ingrid\nWierzbicki, Tomasz"
        assert values["pages"] == "412-423"

    def test_a_trial_number_becomes_a_trial_registration(self):
        values = read_pasted("nct05930314").values
        assert values["kind"] == "trial" and values["registry_id"] == "NCT05930314"
        assert values["venue"] == "ClinicalTrials.gov"

    @pytest.mark.parametrize("paste", ["see the paper", "@article{broken", "TY  - JOUR\nnothing"])
    def test_anything_else_is_refused_with_what_to_do(self, paste):
        pasted = read_pasted(paste)
        assert pasted.problem and not pasted.values

    @pytest.mark.parametrize(
        "paste", [RIS + "\n" + RIS, BIBTEX + "\n" + BIBTEX.replace("halvorsen2024", "other")]
    )
    def test_several_records_in_one_paste_are_refused_rather_than_cut_to_the_first(self, paste):
        assert "holds 2 references" in read_pasted(paste).problem

    def test_a_huge_paste_is_refused_before_it_is_read(self):
        pasted = read_pasted("@article{x, title={" + "a" * 50_000 + "}}")
        assert "one reference at a time" in pasted.problem


class TestTheLookupService:
    LOOKUP = {
        "doi": "https://api.crossref.org/works/{doi}",
        "pmid": "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esummary.fcgi?db=pubmed&retmode=json&id={pmid}",
        "timeout": 2,
    }

    def test_without_a_service_nothing_is_asked(self, monkeypatch):
        monkeypatch.setattr(references, "fetch", lambda *a, **k: pytest.fail("asked the network"))
        assert look_up(read_pasted("10.5555/cart.2024.0117")) == ({}, "")

    def test_a_doi_is_looked_up_once_then_read_from_the_cache(self, settings, monkeypatch):
        settings.NEWSDESK_REFERENCE_LOOKUP = self.LOOKUP
        asked = []

        def fetch(address, *, timeout):
            asked.append((address, timeout))
            return recorded("crossref_work.json")

        monkeypatch.setattr(references, "fetch", fetch)
        for _ in range(2):
            found, problem = look_up(read_pasted("10.5555/cart.2024.0117"))
        assert asked == [("https://api.crossref.org/works/10.5555/cart.2024.0117", 2)] and not problem
        assert found["title"].startswith("CD19-directed CAR T cells")
        assert found["authors"].splitlines() == ["Halvorsen, Ingrid", "Wierzbicki, Tomasz", "Qiao, Lan"]
        assert (found["year"], found["pages"]) == (2024, "412-423")

    def test_a_pmid_is_read_from_pubmed_s_summary(self, settings, monkeypatch):
        settings.NEWSDESK_REFERENCE_LOOKUP = self.LOOKUP
        monkeypatch.setattr(references, "fetch", lambda address, *, timeout: recorded("pubmed_esummary.json"))
        found, _problem = look_up(read_pasted("99000123"))
        assert found["venue"] == "Example Haematologica"
        assert found["authors"].splitlines() == ["Okonkwo, C", "Brandt-Lise, K"]
        assert found["doi"] == "10.5555/exh.2023.2901" and found["year"] == 2023
        assert not found["title"].endswith(".")

    def test_a_service_that_times_out_is_a_note_to_the_desk_not_an_error(self, settings, monkeypatch):
        settings.NEWSDESK_REFERENCE_LOOKUP = self.LOOKUP

        def times_out(address, *, timeout):
            raise TimeoutError("timed out")

        monkeypatch.setattr(references, "fetch", times_out)
        found, problem = look_up(read_pasted("10.5555/cart.2024.0117"))
        assert found == {} and "Fill in the fields" in problem


def reference_rows(**rows):
    """The inline's POST data for the given forms: {"0": {...fields}}."""
    data = {"references-TOTAL_FORMS": str(len(rows)), "references-INITIAL_FORMS": "0"}
    for index, fields in rows.items():
        data |= {f"references-{index}-{key}": value for key, value in fields.items()}
    return data


@pytest.mark.django_db
class TestInTheDesk:
    def change(self, client, article, rows):
        return client.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            form_data(article, _continue="1") | reference_rows(**rows),
        )

    def test_a_pasted_ris_record_fills_the_reference(self, client, users, make_article):
        article = make_article(author=users["writer"])
        client.force_login(users["writer"])
        response = self.change(client, article, {"0": {"pasted": RIS, "kind": "journal", "position": "0"}})
        assert response.status_code == 302
        saved = article.references.get()
        assert saved.title.startswith("CD19-directed") and saved.venue == "Journal of Example Immunology"
        assert saved.author_names == ["Halvorsen, Ingrid", "Qiao, Lan"]

    def test_a_new_reference_left_without_an_order_goes_after_those_already_there(
        self, client, users, make_article
    ):
        article = make_article(author=users["writer"])
        reference_of(article, position=0)
        reference_of(article, position=1, title="The second")
        client.force_login(users["writer"])
        data = form_data(article, _continue="1") | {
            "references-TOTAL_FORMS": "3", "references-INITIAL_FORMS": "2",
        }  # fmt: skip
        for n, ref in enumerate(article.references.all()):
            data |= {f"references-{n}-id": ref.pk, f"references-{n}-article": article.pk, f"references-{n}-kind": ref.kind,
                     f"references-{n}-title": ref.title, f"references-{n}-position": ref.position,
                     f"references-{n}-venue": ref.venue, f"references-{n}-year": ref.year}  # fmt: skip
        added = (
            client.get(reverse("admin:articles_article_change", args=[article.pk]))
            .context["inline_admin_formsets"][1]
            .formset.empty_form
        )
        assert added["position"].value() is None  # the new row's box starts empty
        data |= {
            "references-2-kind": "journal",
            "references-2-title": "Added last",
            "references-2-position": "",
        }
        response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
        assert response.status_code == 302
        assert [r.title for r in article.references.all()][-1] == "Added last"

    def test_what_the_editor_typed_wins_over_the_paste(self, client, users, make_article):
        article = make_article(author=users["writer"])
        client.force_login(users["writer"])
        self.change(client, article, {"0": {"pasted": BIBTEX, "kind": "journal", "title": "My own title"}})
        assert article.references.get().title == "My own title"

    def test_a_doi_alone_is_looked_up_where_a_service_is_configured(
        self, client, users, make_article, settings, monkeypatch
    ):
        settings.NEWSDESK_REFERENCE_LOOKUP = TestTheLookupService.LOOKUP
        monkeypatch.setattr(references, "fetch", lambda address, *, timeout: recorded("crossref_work.json"))
        article = make_article(author=users["writer"])
        client.force_login(users["writer"])
        self.change(
            client, article, {"0": {"pasted": "https://doi.org/10.5555/cart.2024.0117", "kind": "journal"}}
        )
        saved = article.references.get()
        assert saved.venue == "Journal of Example Immunology" and saved.volume == "31"

    def test_without_a_service_a_doi_alone_asks_for_the_title(self, client, users, make_article):
        article = make_article(author=users["writer"])
        client.force_login(users["writer"])
        response = self.change(
            client, article, {"0": {"pasted": "10.5555/cart.2024.0117", "kind": "journal"}}
        )
        assert response.status_code == 200 and not article.references.exists()
        errors = response.context["inline_admin_formsets"][1].formset.errors[0]
        assert "type it in, or paste the RIS or BibTeX record" in errors["title"][0]

    def test_a_trial_registration_needs_its_number(self, client, users, make_article):
        article = make_article(author=users["writer"])
        client.force_login(users["writer"])
        response = self.change(
            client,
            article,
            {"0": {"kind": "trial", "title": "CAR-T for lupus", "venue": "ClinicalTrials.gov"}},
        )
        assert response.status_code == 200
        assert "registry number" in str(response.context["inline_admin_formsets"][1].formset.errors[0])

    def test_a_published_article_s_references_are_locked_with_its_text(self, client, users, make_article):
        article = make_article(author=users["writer"], status=Status.PUBLISHED)
        reference_of(article)
        client.force_login(users["editor"])
        formsets = client.get(reverse("admin:articles_article_change", args=[article.pk])).context[
            "inline_admin_formsets"
        ]
        refs = next(f for f in formsets if f.formset.prefix == "references")
        assert not refs.has_add_permission and not refs.has_change_permission


@pytest.mark.django_db
class TestTheSignedText:
    def test_adding_editing_or_removing_a_reference_changes_the_signed_text(self, make_article):
        article = make_article()
        before = article.text_hash()
        ref = reference_of(article)
        article.refresh_from_db()
        with_one = article.text_hash()
        assert with_one != before and article.text_fingerprint == with_one
        ref.title = "Another title"
        ref.save()
        article.refresh_from_db()
        assert article.text_hash() not in (before, with_one)
        ref.delete()
        article.refresh_from_db()
        assert article.text_hash() == before and article.reference_digest == ""


@pytest.mark.django_db
class TestWhatReadersGet:
    def test_a_numbered_list_in_ama_style(self, client, make_article):
        article = make_article(status=Status.PUBLISHED)
        reference_of(article)
        reference_of(
            article,
            kind=ReferenceKind.TRIAL,
            authors="",
            title="CAR-T cells for refractory lupus nephritis",
            venue="ClinicalTrials.gov",
            registry_id="NCT05930314",
            doi="",
            volume="",
            issue="",
            pages="",
            year=2023,
        )
        page = client.get(article.get_absolute_url()).content.decode()
        listed = re.search(r'<section class="references".*?<ol>(.*?)</ol>', page, re.S).group(1)
        items = re.findall(r'<li id="ref-(\d)">(.*?)</li>', listed, re.S)
        assert [n for n, _ in items] == ["1", "2"]
        assert items[0][1].startswith("Halvorsen I, Qiao L. CD19-directed CAR T cells")
        assert (
            "<i>Journal of Example Immunology</i>. 2024;31(4):412-423. doi:10.5555/cart.2024.0117"
            in items[0][1]
        )
        assert "ClinicalTrials.gov identifier:" in items[1][1]
        assert (
            'href="https://clinicaltrials.gov/study/NCT05930314"' in page
        )  # in the list and the evidence box

    def test_structured_data_cites_each_reference(self, client, make_article):
        article = make_article(status=Status.PUBLISHED)
        reference_of(article, pmid="99000123")
        page = client.get(article.get_absolute_url()).content.decode()
        data = json.loads(
            re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
        )
        (cited,) = data["mainEntity"]["citation"]
        assert (
            cited["@type"] == "ScholarlyArticle"
            and cited["sameAs"] == "https://doi.org/10.5555/cart.2024.0117"
        )
        assert {"@type": "PropertyValue", "propertyID": "PMID", "value": "99000123"} in cited["identifier"]
        assert [a["name"] for a in cited["author"]] == ["Ingrid Halvorsen", "Lan Qiao"]

    def test_the_feed_carries_the_list(self, client, make_article):
        article = make_article(status=Status.PUBLISHED)
        reference_of(article)
        feed = feedparser.parse(client.get(reverse("articles:rss")).content)
        assert "References:\n1. Halvorsen I, Qiao L." in feed.entries[0].summary

    def test_a_page_without_references_never_asks_for_them(self, client, make_article):
        article = make_article(status=Status.PUBLISHED)
        with CaptureQueriesContext(connection) as queries:
            client.get(article.get_absolute_url())
        assert not [q for q in queries.captured_queries if "articles_reference" in q["sql"]]


class TestRegistryNumbersInTheText:
    def test_each_registry_s_numbers_are_linked(self):
        html = link_registry_numbers(
            "<p>The trials NCT05930314, ChiCTR2300070001, ChiCTR-IOR-17013219 and ISRCTN12345678.</p>"
        )
        assert 'href="https://clinicaltrials.gov/study/NCT05930314"' in html
        assert 'regno=ChiCTR2300070001"' in html and 'regno=ChiCTR-IOR-17013219"' in html
        assert 'href="https://www.isrctn.com/ISRCTN12345678"' in html

    def test_a_number_already_in_a_link_or_inside_a_word_is_left_alone(self):
        linked = '<p><a href="https://example.org/x">NCT05930314</a> and XNCT05930314 and NCT059303145</p>'
        assert link_registry_numbers(linked) == linked

    def test_a_number_in_a_published_body_is_a_link(self, client, make_article, db):
        article = make_article(status=Status.PUBLISHED, body="<p>Registered as NCT05930314.</p>")
        page = client.get(article.get_absolute_url()).content.decode()
        assert '<a class="registry" href="https://clinicaltrials.gov/study/NCT05930314"' in page


class TestHostilePastes:
    @pytest.mark.parametrize(
        "paste",
        [
            "@article{x, title=" + "{" * 9000 + "}" * 9000 + "}",
            "@" * 19_999,
            "TY  - JOUR\n" + "AU  - x\n" * 2000 + "ER  - \n",
            "10.1234/" + "a" * 19_000,
            "@string{a=" + "a#" * 9000 + "a}",
            "\x00\x01 PMID 1 \u202e",
        ],
        ids=["deep-braces", "at-signs", "many-authors", "long-doi", "string-macros", "control-characters"],
    )
    def test_every_paste_gives_fields_or_a_problem_and_never_an_error(self, paste):
        pasted = read_pasted(paste)
        assert pasted.values or pasted.problem
        assert all(len(str(v)) <= 20_000 for v in pasted.values.values())

    def test_markup_in_a_reference_is_shown_as_text_never_run(self):
        from articles.references import formatted

        (entry,) = formatted(
            [
                {
                    "id": "x",
                    "type": "article-journal",
                    "title": "<script>alert(1)</script>",
                    "container-title": "J<i>",
                }
            ]
        )
        assert "<script>" not in entry and "&lt;script&gt;alert(1)&lt;/script&gt;" in entry
        assert "<i>J&lt;i&gt;</i>" in entry  # the style's own italics, around the escaped name

"""The shipped vocabularies and demo content: complete, idempotent, free of the source patients' details."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.serializers import serialize

from articles.models import Article, DiseaseTag, Status, TherapyTag
from cases.models import Case

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
EXPECTED = SEEDS / "expected.json"
needs_seeds = pytest.mark.skipif(not EXPECTED.exists(), reason="the client's source documents are not here")


def load_demo():
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def snapshot():
    return {
        model.__name__: serialize("json", model.objects.order_by("pk"))
        for model in (Article, Case, DiseaseTag, TherapyTag)
    }


def expected_docs():
    return json.loads(EXPECTED.read_text(encoding="utf-8"))["docs"]


@pytest.mark.django_db
class TestVocabulary:
    def test_ships_at_least_30_diseases_and_20_therapies(self):
        load_demo()
        assert DiseaseTag.objects.count() >= 30
        assert TherapyTag.objects.count() >= 20

    def test_every_term_has_another_name(self):
        load_demo()
        for model in (DiseaseTag, TherapyTag):
            for term in model.objects.all():
                assert term.synonyms or term.abbreviations, f"{term.name} has no synonym or abbreviation"

    def test_finds_terms_by_synonym_and_abbreviation(self):
        load_demo()
        sle = DiseaseTag.objects.get(name="Systemic lupus erythematosus")
        assert DiseaseTag.objects.find("lupus") == sle
        assert DiseaseTag.objects.find("SLE") == sle
        car_t = TherapyTag.objects.get(name="CAR-T cell therapy")
        assert TherapyTag.objects.find("chimeric antigen receptor T-cell therapy") == car_t
        assert TherapyTag.objects.find("CAR-T") == car_t
        assert DiseaseTag.objects.find("all") is None  # the word, not the abbreviation

    @needs_seeds
    def test_holds_every_canonical_name_the_client_expects(self):
        load_demo()
        wanted = {"disease": set(), "therapy": set()}
        for doc in expected_docs().values():
            for kind in wanted:
                wanted[kind].update(doc[f"{kind}_tags"], doc[f"{kind}_tags_optional"])
                wanted[kind].update(doc[f"{kind}_tags_forbidden"])
                for substitutes in doc[f"{kind}_tags_also_accept"].values():
                    wanted[kind].update(substitutes)
        assert wanted["disease"] <= set(DiseaseTag.objects.values_list("name", flat=True))
        assert wanted["therapy"] <= set(TherapyTag.objects.values_list("name", flat=True))

    def test_broader_terms_link_the_hierarchy(self):
        load_demo()
        b_all = DiseaseTag.objects.get(slug="b-cell-acute-lymphoblastic-leukemia")
        assert b_all.parent.slug == "acute-lymphoblastic-leukemia"
        assert b_all.parent.parent.slug == "leukemia"


@pytest.mark.django_db
class TestDemoContent:
    def test_loading_twice_changes_nothing(self):
        load_demo()
        first = snapshot()
        load_demo()
        assert snapshot() == first

    def test_each_load_leaves_the_terms_counting_their_public_articles_and_the_articles_their_review(self):
        for _ in range(2):  # loaddata writes the terms' rows whole, counts included
            load_demo()
            sle = DiseaseTag.objects.get(slug="systemic-lupus-erythematosus")
            assert sle.public_articles == Article.objects.public().filter(disease_links__tag=sle).count() > 0
        for article in Article.objects.public():
            assert article.published_review == article.current_sign_off() is not None, article.title

    def test_one_published_article_per_source_document_with_attribution(self):
        load_demo()
        articles = Article.objects.public()
        assert articles.count() == 5
        for article in articles:
            assert article.status == Status.PUBLISHED
            assert article.source_publisher, article.title
            assert article.diseases.exists() or article.therapies.exists(), article.title

    def test_the_two_patient_stories_are_public_cases_linked_to_their_articles(self):
        load_demo()
        cases = Case.objects.public()
        assert cases.count() == 2
        for case in cases:
            assert case.articles.public().exists()
            assert case.current_consent() is not None
            assert case.fingerprint() == case.cleared_fingerprint

    @needs_seeds
    def test_carries_no_identifier_from_the_source_documents(self):
        text = "\n".join(p.read_text(encoding="utf-8") for p in FIXTURES.glob("*.json"))
        for name, doc in expected_docs().items():
            for flag in doc["privacy_flags"]:
                if flag["type"] in {"age"}:
                    continue  # "80-year-old" is a fact we keep as a band; the band is checked below
                assert not re.search(rf"\b{re.escape(flag['text'])}\b", text), f"{flag['text']!r} from {name}"

    @needs_seeds
    def test_is_written_in_our_own_words(self):
        """No run of eight words from a source document appears in the fixtures."""

        def runs(text, n=8):
            words = re.findall(r"[a-z0-9']+", text.casefold())
            return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}

        rows = json.loads((FIXTURES / "demo.json").read_text(encoding="utf-8"))
        ours = set().union(*(runs(v) for row in rows for v in row["fields"].values() if isinstance(v, str)))
        for source in sorted(SEEDS.glob("*.txt")):
            copied = ours & runs(source.read_bytes().decode("utf-8-sig", errors="replace"))
            assert not copied, f"{source.name}: {sorted(copied)[:3]}"

    def test_cases_store_age_bands_never_exact_ages(self):
        load_demo()
        for case in Case.objects.all():
            assert re.fullmatch(r"\d0-\d9|90\+", case.age_band)


@pytest.mark.django_db
class TestDemoPicturesAndPages:
    def test_every_public_demo_article_has_a_drawn_picture_with_alt_text_a_credit_and_no_metadata(self):
        from articles.tests.test_images import assert_metadata_free

        load_demo()
        for article in Article.objects.public():
            assert article.hero_image.name.startswith("articles/demo/"), article.title
            assert (
                article.hero_alt and article.hero_credit == "Illustration: Hospital Newsroom, drawn by code"
            )
            assert_metadata_free((FIXTURES / "files" / "default" / article.hero_image.name).read_bytes())

    def test_the_drawing_gives_the_same_pictures_again(self, tmp_path, monkeypatch):
        from articles.management.commands import draw_demo_pictures

        monkeypatch.setattr(draw_demo_pictures, "OUT", tmp_path)
        call_command("draw_demo_pictures", stdout=open("/dev/null", "w"))  # noqa: SIM115
        shipped = FIXTURES / "files" / "default" / "articles" / "demo"
        from PIL import Image, ImageChops, ImageStat

        for drawn in tmp_path.glob("*.jpg"):
            difference = ImageChops.difference(Image.open(drawn), Image.open(shipped / drawn.name))
            assert max(ImageStat.Stat(difference).mean) < 2, drawn.name  # the same picture, whatever Pillow

    def test_the_newsroom_s_pages_are_live_through_the_gate_and_in_the_footer(self, client):
        from articles.models import Page

        load_demo()
        pages = Page.objects.all()
        assert {p.slug for p in pages} == {
            "about", "contact", "privacy", "accessibility", "editorial-policy", "corrections",
        }  # fmt: skip
        assert all(p.is_public for p in pages)
        footer = client.get("/").content.decode().split("<footer", 1)[1]
        assert all(f'href="/{p.slug}/"' in footer for p in pages)

    def test_demo_references_are_listed_with_the_articles_they_belong_to(self, client):
        load_demo()
        draft = Article.objects.get(slug="bispecific-antibodies-widen-options-for-relapsed-myeloma")
        assert draft.reference_digest and [r.registry_id for r in draft.reference_list] == ["", "NCT09990001"]

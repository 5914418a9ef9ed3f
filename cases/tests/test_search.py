"""Search a reader trusts (#26, item 3): spellings and synonyms reach the text, an abbreviation is a term
only when typed as one, stories appear beside articles, and a search that finds nothing offers topics."""

import pytest

from articles.models import Status
from articles.public.search import search, spellings
from cases.search import stories_found

pytestmark = pytest.mark.django_db


def titles(query):
    return sorted(a.title for a in search(query).articles)


def test_british_and_american_spellings_find_the_same_articles(make_article, vocabulary):
    make_article(title="A new blood test for leukaemia", status=Status.PUBLISHED)
    make_article(title="Leukemia care closer to home", status=Status.PUBLISHED)
    make_article(title="Oesophageal tumour surgery by robot", status=Status.PUBLISHED)
    assert (
        titles("leukaemia")
        == titles("leukemia")
        == ["A new blood test for leukaemia", "Leukemia care closer to home"]
    )
    assert titles("esophageal tumor") == ["Oesophageal tumour surgery by robot"]
    assert {"anemia", "anaemia"} <= spellings("anaemia") and {"pediatric", "paediatric"} <= spellings(
        "pediatric"
    )


def test_an_abbreviation_is_a_term_only_when_typed_as_one(make_article, vocabulary):
    make_article(title="Relapsed ALL in teenagers: a second remission", status=Status.PUBLISHED)
    make_article(title="All you need to know about lupus", status=Status.PUBLISHED)
    assert titles("ALL") == ["Relapsed ALL in teenagers: a second remission"]
    assert titles("all about lupus") == ["All you need to know about lupus"]


def test_a_query_no_text_holds_whole_finds_what_holds_enough_of_it(make_article):
    make_article(title="Heart transplant: the long wait", status=Status.PUBLISHED)
    assert titles("man waiting for heart transplant") == ["Heart transplant: the long wait"]


def test_stories_appear_beside_articles(client, make_article, make_case):
    article = make_article(title="Cell therapy for lupus", status=Status.PUBLISHED)
    story = make_case(
        articles=[article], label="Young mother with lupus", narrative="<p>She went back to work.</p>"
    )
    assert stories_found(search("young mother lupus")) == [story]
    page = client.get("/search/", {"q": "young mother lupus"}).content.decode()
    assert "Young mother with lupus" in page and "1 patient story" in page


def test_a_search_that_finds_nothing_offers_topics(client, make_article, vocabulary):
    from articles.models import DiseaseTag

    lupus = DiseaseTag.objects.get(slug="systemic-lupus-erythematosus")
    make_article(title="Cell therapy for lupus", status=Status.PUBLISHED, diseases=[lupus])
    from articles.services import count_every_term

    count_every_term()
    page = client.get("/search/", {"q": "zebrafish"}).content.decode()
    assert "Nothing matched" in page and "Topics to browse instead" in page and lupus.name in page


def test_a_long_query_is_cut_to_its_first_200_characters(client):
    page = client.get("/search/", {"q": "x" * 5000}).content.decode()
    assert "x" * 200 in page and "x" * 201 not in page

"""Scores the public search on corpora written blind: articles, stories and queries with the items a reader
wants on the first page, by helpers who never read the search (articles/tests/corpora/search/*).

    pytest cases/tests/test_search_corpus.py -s   # prints each batch's figures and its misses

The items are made as the desk would leave them: articles published, stories cleared with web consent and
told by them, every disease and therapy found in the shipped vocabularies by any of its names. A query's
first page is its first ten articles and the stories the search page lists beside them.
"""

import json
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, DiseaseTag, Status, TherapyTag
from articles.public.search import search
from cases.models import Case, Consent, PrivacyStatus

# Kept beside the content checks' corpora: the queries are the public site's, the stories come along.
CORPORA = Path(__file__).resolve().parents[2] / "articles" / "tests" / "corpora" / "search"
FIRST_PAGE = 10


def load(batch: str) -> dict:
    return json.loads((CORPORA / batch / "corpus.json").read_text(encoding="utf-8"))


def _terms(vocabulary, names):
    return [term for term in vocabulary.objects.find_each(list(names)) if term is not None]


def build(corpus: dict) -> dict[str, object]:
    """The corpus's articles and stories in the database, by their corpus ids."""
    made, now = {}, timezone.now()
    officer, _ = get_user_model().objects.get_or_create(username="corpus_privacy_officer")
    for n, item in enumerate(corpus["articles"]):
        article = Article.objects.create(
            title=item["title"][:200],
            slug=f"corpus-{item['id']}".lower(),
            standfirst=item.get("standfirst", "")[:400],
            body="".join(f"<p>{para}</p>" for para in item.get("body", "").split("\n") if para.strip()),
            status=Status.PUBLISHED,
            published_at=now - timedelta(days=n + 1),
        )
        article.diseases.add(*_terms(DiseaseTag, item.get("diseases", [])))
        article.therapies.add(*_terms(TherapyTag, item.get("therapies", [])))
        made[item["id"]] = article
    for item in corpus.get("stories", []):
        case = Case.objects.create(
            label=item["label"][:200],
            narrative=f"<p>{item.get('narrative', '')}</p>",
            outcome=item.get("outcome", ""),
        )
        case.articles.set([made[a] for a in item.get("told_in", []) if a in made])
        case.diseases.add(*_terms(DiseaseTag, item.get("diseases", [])))
        case.therapies.add(*_terms(TherapyTag, item.get("therapies", [])))
        Consent.objects.create(
            case=case,
            signed_on=timezone.localdate() - timedelta(days=30),
            scope_web=True,
            form="consent/c.pdf",
        )
        Case.objects.filter(pk=case.pk).update(
            privacy_status=PrivacyStatus.CLEARED,
            cleared_by=officer,
            cleared_at=now,
            cleared_fingerprint=case.fingerprint(),
        )
        made[item["id"]] = Case.objects.get(pk=case.pk)
    return made


def first_page(query: str) -> list:
    """The articles and stories a reader sees first for `query`."""
    from cases.search import stories_found

    results = search(query)
    return list(results.articles[:FIRST_PAGE]) + stories_found(results)


def score(batch: str) -> dict:
    corpus = load(batch)
    made = build(corpus)
    ids = {(type(obj).__name__, obj.pk): key for key, obj in made.items()}
    wanted = got = right = false_finds = 0
    lines = []
    for query in corpus["queries"]:
        relevant = set(query["relevant"])
        shown = [ids.get((type(obj).__name__, obj.pk)) for obj in first_page(query["q"])]
        hits = relevant & set(shown)
        wanted, got, right = wanted + len(relevant), got + len(shown), right + len(hits)
        if not relevant:
            false_finds += bool(shown)
        if hits != relevant or (shown and len(hits) < len(shown)):
            lines.append(f"{query['q']!r}: wanted {sorted(relevant)} got {shown}")
    stories = {q["q"] for q in corpus["queries"] if any(r.startswith("s") for r in q["relevant"])}
    return {
        "recall": right / max(wanted, 1),
        "precision": right / max(got, 1),
        "empty_queries_with_results": false_finds,
        "queries": len(corpus["queries"]),
        "story_queries": len(stories),
        "lines": lines,
    }

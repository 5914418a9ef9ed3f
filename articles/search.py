"""Search over public articles: ranked, filtered, with highlighted snippets.

PostgreSQL does the work with full-text search (weighted headline > standfirst > body, stemmed English,
web-search syntax) over a GIN index. SQLite, the embedded default, gets a sound fallback: every word must
match somewhere, ranked by where it matched. On both, a query word that names a disease or therapy by any
synonym or abbreviation ("lupus", "SLE", "CAR-T") also finds the articles tagged with that term.
"""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, F, FloatField, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, DiseaseTag, TherapyTag
from articles.richtext import plain_text

MAX_QUERY_LENGTH = 200
MAX_RANKED = 1000  # a query matching more ranks its 1,000 newest matches
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "what",
        "how",
        "why",
    ]
)


def search_vector():
    """The weighted document an article is searched by. PostgreSQL stores it in `Article.search_vector`
    (migration 0006 writes the same expression as a trigger); this form serves older migrations."""
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("title", weight="A", config="english")
        + SearchVector("standfirst", weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )


@dataclass
class SearchResults:
    query: str
    articles: QuerySet
    terms: list[str] = field(default_factory=list)
    matched_tags: list = field(default_factory=list)


def words(query: str) -> list[str]:
    return [w for w in re.findall(r"[\w][\w'-]*", query[:MAX_QUERY_LENGTH]) if w.casefold() not in STOPWORDS]


def matching_tags(query: str) -> tuple[list[DiseaseTag], list[TherapyTag]]:
    """Vocabulary terms the query names, by whole phrase or by any single word."""
    candidates = [query.strip(), *words(query)]
    found = {DiseaseTag: [], TherapyTag: []}
    for vocabulary, hits in found.items():
        for candidate in candidates:
            term = vocabulary.objects.find(candidate) if candidate else None
            if term and term not in hits:
                hits.append(term)
    return found[DiseaseTag], found[TherapyTag]


def search(
    query: str, *, disease=None, therapy=None, year=None, base: QuerySet | None = None
) -> SearchResults:
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    articles = base if base is not None else Article.objects.public()
    if disease is not None:
        articles = articles.filter(diseases=disease)
    if therapy is not None:
        articles = articles.filter(therapies=therapy)
    if year:
        articles = articles.filter(published_at__year=year)
    terms = words(query)
    if not terms:
        return SearchResults(
            query, articles.order_by("-published_at") if (disease or therapy or year) else articles.none()
        )
    diseases, therapies = matching_tags(query)
    tagged = Q(diseases__in=diseases) | Q(therapies__in=therapies)
    tagged_ids = set(articles.filter(tagged).values_list("pk", flat=True)) if diseases or therapies else set()
    if connection.vendor == "postgresql":
        ranked = _postgres(articles, query, tagged_ids)
    else:
        ranked = _fallback(articles, terms, tagged_ids)
    return SearchResults(query, ranked, terms, [*diseases, *therapies])


def _postgres(articles, query, tagged_ids):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    text_query = SearchQuery(query, search_type="websearch", config="english")
    # The stored document (a trigger keeps it current), so neither matching nor ranking re-parses bodies.
    matched = articles.filter(Q(search_vector=text_query) | Q(pk__in=tagged_ids))
    # Rank the newest matches only, so a word found in most of the archive costs the same on a desk of
    # 10,000 articles as on one of 100,000 (ranking reads every matching document; the fallback below
    # caps its candidates the same way).
    newest = list(matched.order_by("-published_at").values_list("pk", flat=True)[:MAX_RANKED])
    boost = Value(0.0, output_field=FloatField())
    if tagged_ids:
        boost = Case(When(pk__in=tagged_ids, then=Value(0.5)), default=Value(0.0), output_field=FloatField())
    rank = Coalesce(SearchRank(F("search_vector"), text_query), Value(0.0), output_field=FloatField())
    return articles.filter(pk__in=newest).annotate(rank=rank + boost).order_by("-rank", "-published_at")


def _fallback(articles, terms, tagged_ids):
    condition = Q()
    for term in terms:
        in_text = Q(title__icontains=term) | Q(standfirst__icontains=term) | Q(body__icontains=term)
        condition &= in_text
    candidates = list(
        articles.filter(condition | Q(pk__in=tagged_ids)).values(
            "pk", "title", "standfirst", "body", "published_at"
        )[:MAX_RANKED]
    )

    def score(row):
        s = 4.0 if row["pk"] in tagged_ids else 0.0
        for term in terms:
            pattern = re.compile(rf"\b{re.escape(term)}", re.IGNORECASE)
            s += 5 * len(pattern.findall(row["title"]))
            s += 3 * len(pattern.findall(row["standfirst"]))
            s += min(len(pattern.findall(plain_text(row["body"]))), 10)
        return s

    order = sorted(candidates, key=lambda row: (score(row), row["published_at"]), reverse=True)
    pks = [row["pk"] for row in order]
    position = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(pks)], output_field=IntegerField())
    return (
        articles.filter(pk__in=pks).annotate(position=position).order_by("position")
        if pks
        else articles.none()
    )


def snippet(article: Article, terms: list[str], width: int = 220) -> SafeString:
    """A passage of the article around the first matching word, with the query's words marked."""
    text = " ".join(filter(None, [article.standfirst, plain_text(article.body)]))
    if not terms:
        return escape(text[:width])
    stems = sorted({t.casefold()[: max(4, len(t) - 2)] for t in terms}, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(s) for s in stems) + r")[\w'-]*", re.IGNORECASE)
    match = pattern.search(text)
    start = 0 if match is None else max(0, match.start() - width // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    passage = text[start : start + width]
    cut = passage.rfind(" ") if len(text) > start + width else len(passage)
    passage = passage[: cut if cut > 0 else len(passage)]
    out, last = [], 0
    for m in pattern.finditer(passage):
        out += [escape(passage[last : m.start()]), "<mark>", escape(m.group(0)), "</mark>"]
        last = m.end()
    out.append(escape(passage[last:]))
    prefix = "… " if start else ""
    suffix = " …" if start + len(passage) < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 - every piece is escaped

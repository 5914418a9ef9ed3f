"""Search over public articles: ranked, filtered, with highlighted snippets.

PostgreSQL does the work with full-text search (weighted headline > standfirst > body, stemmed English,
web-search syntax) over a GIN index. SQLite, the embedded default, uses its FTS5 index the same way
(Porter stems, BM25 weighted headline > standfirst > body), kept by triggers; where FTS5 is missing, a
plain fallback matches every word somewhere. On all, a query word that names a disease or therapy by any
synonym or abbreviation ("lupus", "SLE", "CAR-T") also finds the articles tagged with that term.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Case, F, FloatField, Q, QuerySet, Value, When
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


class RankedArticles(Sequence):
    """Public articles in an order decided in Python; only the slice a page shows is read.

    Ordering 1,000 ranked ids in SQL takes a CASE with 1,000 branches, which Django builds and SQLite
    evaluates for every row: 270 ms for one page of results at 10,000 articles.
    """

    def __init__(self, articles: QuerySet, pks: list[int]):
        self.articles, self.pks = articles, pks

    def __len__(self) -> int:
        return len(self.pks)

    def count(self) -> int:
        return len(self.pks)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 if index != -1 else None][0]
        wanted = self.pks[index]
        found = {article.pk: article for article in self.articles.filter(pk__in=wanted)}
        return [found[pk] for pk in wanted if pk in found]

    def __iter__(self):
        return iter(self[:])

    def with_tags(self) -> "RankedArticles":
        return RankedArticles(self.articles.with_tags(), self.pks)


@dataclass
class SearchResults:
    query: str
    articles: QuerySet | RankedArticles
    terms: list[str] = field(default_factory=list)
    matched_tags: list = field(default_factory=list)


def words(query: str) -> list[str]:
    return [w for w in re.findall(r"[\w][\w'-]*", query[:MAX_QUERY_LENGTH]) if w.casefold() not in STOPWORDS]


def matching_tags(query: str) -> tuple[list[DiseaseTag], list[TherapyTag]]:
    """Vocabulary terms the query names, by whole phrase or by any single word."""
    candidates = [c for c in (query.strip(), *words(query)) if c]
    found = []
    for vocabulary in (DiseaseTag, TherapyTag):
        terms = vocabulary.objects.find_each(candidates) if candidates else []
        found.append(list(dict.fromkeys(t for t in terms if t)))  # each once, in the query's order
    return found[0], found[1]


def _with_narrower(vocabulary, terms) -> list[int]:
    return vocabulary.objects.with_narrower(*terms) if terms else []


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
    # A broader term finds its narrower ones too: "leukaemia" finds an article tagged B-ALL.
    tagged = Q(diseases__in=_with_narrower(DiseaseTag, diseases)) | Q(
        therapies__in=_with_narrower(TherapyTag, therapies)
    )
    tagged_ids = set(articles.filter(tagged).values_list("pk", flat=True)) if diseases or therapies else set()
    if connection.vendor == "postgresql":
        ranked = _postgres(articles, query, tagged_ids)
    elif connection.vendor == "sqlite" and sqlite_index_exists():
        ranked = _sqlite(articles, terms, tagged_ids)
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


# --- SQLite: an FTS5 index over the articles table, kept by triggers ------------------------------------

SQLITE_INDEX = "articles_article_fts"
SQLITE_WEIGHTS = (10.0, 5.0, 1.0)  # headline, standfirst, body
# Literal SQL, no interpolation: the index follows every write, whatever made it (admin, imports,
# bulk_create, queryset.update, loaddata).
SQLITE_TRIGGERS = {
    "articles_article_fts_insert": """
        CREATE TRIGGER IF NOT EXISTS articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
            INSERT INTO articles_article_fts(rowid, title, standfirst, body)
            VALUES (new.id, new.title, new.standfirst, new.body);
        END""",
    "articles_article_fts_delete": """
        CREATE TRIGGER IF NOT EXISTS articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
            INSERT INTO articles_article_fts(articles_article_fts, rowid, title, standfirst, body)
            VALUES ('delete', old.id, old.title, old.standfirst, old.body);
        END""",
    "articles_article_fts_update": """
        CREATE TRIGGER IF NOT EXISTS articles_article_fts_update AFTER UPDATE OF title, standfirst, body
        ON articles_article BEGIN
            INSERT INTO articles_article_fts(articles_article_fts, rowid, title, standfirst, body)
            VALUES ('delete', old.id, old.title, old.standfirst, old.body);
            INSERT INTO articles_article_fts(rowid, title, standfirst, body)
            VALUES (new.id, new.title, new.standfirst, new.body);
        END""",
}
SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_article_fts USING fts5(title, standfirst, body, "
    "content='articles_article', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
)
# The unary + keeps SQLite from reading the matches first and sorting them by date: with statistics
# (articles.database) it did, which for a word in most articles is ten times slower than walking the
# publication-date index until the newest MAX_RANKED matches are found (docs/scaling.md).
SQLITE_MATCHING = (
    '+"articles_article"."id" IN (SELECT rowid FROM articles_article_fts WHERE articles_article_fts MATCH %s)'
)
SQLITE_RANKS = (
    "SELECT rowid, bm25(articles_article_fts, %s, %s, %s) FROM articles_article_fts "
    "WHERE articles_article_fts MATCH %s AND rowid BETWEEN %s AND %s"
)


def ensure_sqlite_index(using: str = "default") -> None:
    """Create SQLite's full-text index and its triggers where missing, and rebuild it if any were.

    Run after every migrate (articles.apps): SQLite alters a table by copying it to a new one, which
    drops the old table's triggers, so they are checked each time rather than made once.
    """
    from django.db import connections

    db = connections[using]
    if db.vendor != "sqlite" or "articles_article" not in db.introspection.table_names():
        return
    with db.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
                       [f"{SQLITE_INDEX}%"])  # fmt: skip
        present = {row[0] for row in cursor.fetchall()}
        if {SQLITE_INDEX, *SQLITE_TRIGGERS} <= present:
            return
        try:
            cursor.execute(SQLITE_CREATE)
        except Exception:  # an SQLite built without FTS5: search falls back to matching words in place
            return
        for create in SQLITE_TRIGGERS.values():
            cursor.execute(create)
        cursor.execute("INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')")


_sqlite_index_seen: dict[str, bool] = {}


def sqlite_index_exists() -> bool:
    """Looked up once per database file and process: migrate makes the index before anything serves."""
    name = str(connection.settings_dict["NAME"])
    if name not in _sqlite_index_seen:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [SQLITE_INDEX])
            _sqlite_index_seen[name] = cursor.fetchone() is not None
    return _sqlite_index_seen[name]


def _fts_query(terms: list[str]) -> str:
    """Every word must match (after stemming); each is quoted, so FTS5 syntax in a query is just text."""
    return " AND ".join('"{}"'.format(term.replace('"', '""')) for term in terms)


def _sqlite(articles, terms, tagged_ids):
    from django.db.models.expressions import RawSQL

    match = _fts_query(terms)
    found = RawSQL(SQLITE_MATCHING, [match], output_field=BooleanField())  # noqa: S611 - the query is a parameter
    matched = articles.filter(Q(found) | Q(pk__in=tagged_ids))
    newest = dict(matched.order_by("-published_at").values_list("pk", "published_at")[:MAX_RANKED])
    if not newest:
        return articles.none()
    scores = dict.fromkeys(newest, 0.0)
    with connection.cursor() as cursor:
        # The range of ids the newest matches span, not `rowid IN (...)`: FTS5 re-runs the match for each
        # listed id, a hundred times the range's cost on a common word (docs/scaling.md).
        cursor.execute(SQLITE_RANKS, [*SQLITE_WEIGHTS, match, min(newest), max(newest)])
        for pk, bm25 in cursor.fetchall():
            if pk in scores:
                scores[pk] = -bm25  # BM25 in FTS5 is negative, lower is better
    for pk in tagged_ids & scores.keys():
        scores[pk] += 4.0
    return RankedArticles(articles, sorted(newest, key=lambda pk: (scores[pk], newest[pk]), reverse=True))


def _fallback(articles, terms, tagged_ids):
    condition = Q()
    for term in terms:
        in_text = Q(title__icontains=term) | Q(standfirst__icontains=term) | Q(body__icontains=term)
        condition &= in_text
    candidates = list(
        articles.filter(condition | Q(pk__in=tagged_ids))
        .order_by("-published_at")
        .values("pk", "title", "standfirst", "body", "published_at")[:MAX_RANKED]
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
    return RankedArticles(articles, [row["pk"] for row in order])


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

"""Search over public articles: ranked, filtered, with highlighted snippets.

PostgreSQL does the work with full-text search (weighted headline > standfirst > body, stemmed English,
web-search syntax) over a GIN index. SQLite, the embedded default, uses its FTS5 index the same way
(Porter stems, BM25 weighted headline > standfirst > body), kept by triggers; where FTS5 is missing, and
for Chinese, whose words run together, a plain fallback matches every word somewhere. On all, a query word
that names a disease or therapy by any synonym or abbreviation ("lupus", "SLE", "CAR-T") also finds the
articles tagged with that term, and each word is looked for in the text in both spellings and by every
name of its term (`Group`). An abbreviation that is also an everyday word counts only in capitals. Where
no article holds every word, those holding enough of them answer (`enough`).
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
from articles.standards import HAN

MAX_QUERY_LENGTH = 200
MAX_RANKED = 1000  # a query matching more ranks its 1,000 newest matches
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "my",
        "of",
        "on",
        "or",
        "should",
        "that",
        "the",
        "their",
        "there",
        "this",
        "to",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)
# Medical words British spelling changes: each query word also finds the other spelling ("leukaemia" and
# "leukemia", "tumour" and "tumor"). The American form is the British stem with the rule applied.
BRITISH_STEMS = (
    "haem", "anaem", "leukaem", "ischaem", "septicaem", "glycaem", "uraem", "oesophag", "oedem", "oestr",
    "paed", "foet", "anaesth", "diarrhoe", "gynaec", "coeliac", "tumour", "colour", "behaviour", "labour",
    "centre", "fibre", "litre", "randomis", "organis", "immunis", "minimis", "haemorrh", "dyspnoe",
)  # fmt: skip


def _american(stem: str) -> str:
    stem = stem.replace("ae", "e").replace("oe", "e").replace("our", "or").replace("tre", "ter")
    return stem[:-2] + "iz" if stem.endswith("is") else stem


SPELLINGS = [(stem, _american(stem)) for stem in BRITISH_STEMS]


def spellings(word: str) -> set[str]:
    """The word in both spellings, where it has two."""
    folded = word.casefold()
    found = {folded}
    for british, american in SPELLINGS:
        if british in folded:
            found.add(folded.replace(british, american))
        elif american in folded:
            found.add(folded.replace(american, british))
    return found


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
    groups: list = field(default_factory=list)  # each word and what finds it in a text (`Group`)
    partial: bool = False  # nothing held every word: what holds enough of them (`enough`)


def words(query: str) -> list[str]:
    """The query's words, without the little ones ("all about lupus": "lupus"), except where typed in
    capitals as an abbreviation ("ALL relapse": "ALL", "relapse")."""
    found = re.findall(r"[\w][\w'-]*", query[:MAX_QUERY_LENGTH])
    return [w for w in found if w.casefold() not in STOPWORDS or (len(w) > 1 and w.isupper())]


def named_terms(query: str, terms: list[str]) -> tuple[list, list, dict]:
    """The diseases and the therapies the query names, by whole phrase or by any single word, and the
    term each word names: one look at each vocabulary."""
    candidates = [c for c in (query.strip(), *terms) if c]
    found, by_word = [], {}
    for vocabulary in (DiseaseTag, TherapyTag):
        named = vocabulary.objects.find_each(candidates) if candidates else []
        found.append(list(dict.fromkeys(t for t in named if t)))  # each once, in the query's order
        for candidate, term in zip(candidates, named, strict=True):
            if term is not None and candidate in terms:
                by_word.setdefault(candidate, term)
    return found[0], found[1], by_word


@dataclass(frozen=True)
class Group:
    """One word of the query and what finds it in a text: its spellings, and where it names a term of the
    vocabularies, every name of that term ("leukaemia", "leukemia"; "ALL", "acute lymphoblastic
    leukaemia"). An abbreviation that is also an everyday word ("ALL", "MS") counts only where a text
    has it in capitals (`exact`) or names its term."""

    word: str
    variants: tuple[str, ...]
    exact: str = ""


def groups(terms: list[str], named: dict) -> list[Group]:
    found = []
    for word in terms:
        variants, exact = spellings(word), ""
        if (term := named.get(word)) is not None:
            variants |= {name.casefold() for name in term.all_names() if name.strip()}
            if word in term.abbreviations and _everyday(word):
                exact = word
        found.append(Group(word, tuple(sorted(variants, key=len)), exact))
    return found


def as_typed(articles, pks, wanted, tagged_ids) -> list[int]:
    """`pks` without those that hold an everyday-word abbreviation only as the everyday word ("all", not
    "ALL") and nothing else naming its term; in their order."""
    strict = [g for g in wanted if g.exact]
    if not strict:
        return pks
    checks = [[finds(v, g) for v in g.variants] for g in strict]
    texts = {
        row["pk"]: " ".join([row["title"], row["standfirst"], plain_text(row["body"])])
        for row in articles.filter(pk__in=pks).values("pk", "title", "standfirst", "body")
    }
    return [
        pk
        for pk in pks
        if pk in tagged_ids or all(any(p.search(texts.get(pk, "")) for p in group) for group in checks)
    ]


def _with_narrower(vocabulary, terms) -> list[int]:
    return vocabulary.objects.with_narrower(*terms) if terms else []


def _everyday(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word.casefold(), "en") >= 4.0


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
    diseases, therapies, named = named_terms(query, terms)
    # A broader term finds its narrower ones too: "leukaemia" finds an article tagged B-ALL.
    tagged = Q(diseases__in=_with_narrower(DiseaseTag, diseases)) | Q(
        therapies__in=_with_narrower(TherapyTag, therapies)
    )
    tagged_ids = set(articles.filter(tagged).values_list("pk", flat=True)) if diseases or therapies else set()
    wanted = groups(terms, named)
    chinese = bool(HAN.search(query))  # words run together: found inside the text, not by its index
    if chinese:
        ranked, partial = _fallback(articles, wanted, tagged_ids)
    elif connection.vendor == "postgresql":
        ranked, partial = _postgres(articles, wanted, tagged_ids)
    elif connection.vendor == "sqlite" and sqlite_index_exists():
        ranked, partial = _sqlite(articles, wanted, tagged_ids)
    else:
        ranked, partial = _fallback(articles, wanted, tagged_ids)
    return SearchResults(query, ranked, terms, [*diseases, *therapies], wanted, partial)


def enough(groups_: list[Group]) -> int:
    """How many of the query's words a text must hold when none holds them all: half, rounded up."""
    return max(1, -(-len(groups_) // 2))


def _postgres(articles, wanted, tagged_ids):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    def either(group):
        found = None
        for variant in group.variants:
            one = SearchQuery(variant, search_type="phrase", config="english")
            found = one if found is None else found | one
        return found

    def holds(group):
        """The stored document (a trigger keeps it current), so neither matching nor ranking re-parses
        bodies; an everyday-word abbreviation, which English stemming drops, in capitals in the text."""
        found = Q(search_vector=either(group))
        if group.exact:
            for name in ("title", "standfirst", "body"):
                found |= Q(**{f"{name}__regex": rf"\y{re.escape(group.exact)}\y"})
        return found

    parts = [holds(g) for g in wanted]
    every = Q()
    for part in parts:
        every &= part
    matched = articles.filter(every | Q(pk__in=tagged_ids))
    partial = len(parts) > 1 and not matched.exists()
    if partial:  # none holds every word: those that hold enough of them
        held = sum((Case(When(part, then=Value(1)), default=Value(0)) for part in parts), Value(0))
        matched = articles.annotate(held=held).filter(Q(held__gte=enough(wanted)) | Q(pk__in=tagged_ids))
    # Rank the newest matches only, so a word found in most of the archive costs the same on a desk of
    # 10,000 articles as on one of 100,000 (ranking reads every matching document; the fallback below
    # caps its candidates the same way).
    newest = list(matched.order_by("-published_at").values_list("pk", flat=True)[:MAX_RANKED])
    newest = as_typed(articles, newest, wanted, tagged_ids)
    boost = Value(0.0, output_field=FloatField())
    if tagged_ids:
        boost = Case(When(pk__in=tagged_ids, then=Value(0.5)), default=Value(0.0), output_field=FloatField())
    any_word = either(wanted[0])
    for group in wanted[1:]:
        any_word |= either(group)
    rank = Coalesce(SearchRank(F("search_vector"), any_word), Value(0.0), output_field=FloatField())
    return articles.filter(pk__in=newest).annotate(rank=rank + boost).order_by(
        "-rank", "-published_at"
    ), partial


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


def _quoted(text: str) -> str:
    return '"{}"'.format(text.replace('"', '""'))


def _fts_query(wanted: list[Group], joined: str = " AND ") -> str:
    """Every word must match (after stemming) by one of its variants; each is quoted, so FTS5 syntax in a
    query is just text."""
    return joined.join("(" + " OR ".join(_quoted(v) for v in group.variants) + ")" for group in wanted)


def _sqlite(articles, wanted, tagged_ids):
    from django.db.models.expressions import RawSQL

    def matching(match):
        found = RawSQL(SQLITE_MATCHING, [match], output_field=BooleanField())  # noqa: S611 - a parameter
        return articles.filter(Q(found) | Q(pk__in=tagged_ids))

    match = _fts_query(wanted)
    newest = dict(matching(match).order_by("-published_at").values_list("pk", "published_at")[:MAX_RANKED])
    partial = len(wanted) > 1 and not newest
    if partial:  # none holds every word: those that hold enough of them
        held = {}
        with connection.cursor() as cursor:
            for group in wanted:
                cursor.execute(f"SELECT rowid FROM {SQLITE_INDEX} WHERE {SQLITE_INDEX} MATCH %s",  # noqa: S608
                               [_fts_query([group])])  # fmt: skip
                for (pk,) in cursor.fetchall():
                    held[pk] = held.get(pk, 0) + 1
        some = [pk for pk, n in held.items() if n >= enough(wanted)]
        match = _fts_query(wanted, " OR ")
        newest = dict(
            articles.filter(Q(pk__in=some) | Q(pk__in=tagged_ids))
            .order_by("-published_at")
            .values_list("pk", "published_at")[:MAX_RANKED]
        )
    newest = {pk: newest[pk] for pk in as_typed(articles, list(newest), wanted, tagged_ids)}
    if not newest:
        return articles.none(), partial
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
    order = sorted(newest, key=lambda pk: (scores[pk], newest[pk]), reverse=True)
    return RankedArticles(articles, order), partial


def finds(variant: str, group: Group | None = None) -> re.Pattern:
    """A variant as found in a text: from the start of a word, except in Chinese, where words run on; the
    everyday-word abbreviation of `group` only in capitals."""
    if group is not None and group.exact and variant == group.exact.casefold():
        return re.compile(rf"\b{re.escape(group.exact)}\b")
    start = "" if HAN.search(variant) else r"\b"
    return re.compile(start + re.escape(variant), re.IGNORECASE)


def _fallback(articles, wanted, tagged_ids):
    def holds(group):
        found = Q()
        for variant in group.variants:
            found |= (
                Q(title__icontains=variant) | Q(standfirst__icontains=variant) | Q(body__icontains=variant)
            )
        return found

    every, some = Q(), Q()
    for group in wanted:
        every &= holds(group)
        some |= holds(group)
    fields = ("pk", "title", "standfirst", "body", "published_at")
    ordered = articles.order_by("-published_at").values(*fields)
    patterns = [[finds(v) for v in group.variants] for group in wanted]

    def held(row):
        text = " ".join([row["title"], row["standfirst"], plain_text(row["body"])])
        return sum(any(p.search(text) for p in group) for group in patterns)

    # The database finds each variant anywhere ("ms" inside "symptoms"); a word counts from its start.
    candidates = [
        row
        for row in ordered.filter(every | Q(pk__in=tagged_ids))[:MAX_RANKED]
        if row["pk"] in tagged_ids or held(row) == len(wanted)
    ]

    partial = len(wanted) > 1 and not candidates
    if partial:  # none holds every word: those that hold enough of them
        candidates = [
            row
            for row in ordered.filter(some | Q(pk__in=tagged_ids))[:MAX_RANKED]
            if row["pk"] in tagged_ids or held(row) >= enough(wanted)
        ]

    def score(row):
        s = 4.0 if row["pk"] in tagged_ids else 0.0
        for group in patterns:
            s += 5 * sum(len(p.findall(row["title"])) for p in group)
            s += 3 * sum(len(p.findall(row["standfirst"])) for p in group)
            s += min(sum(len(p.findall(plain_text(row["body"]))) for p in group), 10)
        return s

    order = sorted(candidates, key=lambda row: (score(row), row["published_at"]), reverse=True)
    return RankedArticles(
        articles, as_typed(articles, [row["pk"] for row in order], wanted, tagged_ids)
    ), partial


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

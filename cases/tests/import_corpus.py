"""Scores the document importer on corpora written blind: raw documents and what importing each must give,
by helpers who never read the importer (cases/tests/import_corpora/<batch>/, expectations in the shape of
the client's expected.json, in one or more expected*.json files).

    pytest cases/tests/test_import_corpus.py -s     # prints each batch's figures

A headline is right when it equals the expected one (or, where the text has none, is no clutter line); a
headline holds markup when it carries a tag, a script's text or a style rule. Required tags count as found
when the draft holds the tag or a substitute; precision counts the draft's tags that are required,
substitutes or optional; forbidden ones are counted apart. A story is right when the draft has a story
exactly when the document follows one patient. Clutter is every expected clutter line still a line of the
body, and every clutter fragment still in it.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from articles.models import Article
from articles.richtext import plain_text
from cases.importer import Vocabularies, import_document

CORPORA = Path(__file__).resolve().parent / "import_corpora"
MARKUP = re.compile(r"<\s*/?[a-zA-Z]|\{|\}|function\s*\(|\bvar\s|window\.|document\.|=>")


def load(batch: str) -> dict[str, dict]:
    """File name -> expectations, for every document of `batch`."""
    docs: dict[str, dict] = {}
    for path in sorted((CORPORA / batch).glob("expected*.json")):
        docs.update(json.loads(path.read_text(encoding="utf-8"))["docs"])
    return docs


def _space(text: str) -> str:
    return " ".join((text or "").split())


@dataclass
class ImportScore:
    documents: int = 0
    errors_expected: int = 0
    errors_right: int = 0
    headlines: int = 0
    headlines_right: int = 0
    markup: int = 0
    required: int = 0
    required_found: int = 0
    tags: int = 0
    tags_right: int = 0
    forbidden: int = 0
    stories: int = 0
    stories_right: int = 0
    story_docs: int = 0
    story_docs_found: int = 0
    false_stories: int = 0
    clutter_left: int = 0
    misses: list = field(default_factory=list)

    def figures(self) -> dict:
        share = lambda a, b: a / b if b else 1.0  # noqa: E731
        return {
            "headlines": share(self.headlines_right, self.headlines),
            "required_tags": share(self.required_found, self.required),
            "tag_precision": share(self.tags_right, self.tags),
            "forbidden_tags": self.forbidden,
            "stories_found": share(self.story_docs_found, self.story_docs),
            "false_stories": self.false_stories,
            "story_verdicts": share(self.stories_right, self.stories),
            "clutter_per_document": share(self.clutter_left, self.documents - self.errors_expected),
            "markup_in_headlines": self.markup,
            "errors_right": f"{self.errors_right}/{self.errors_expected}",
        }

    def report(self) -> str:
        figures = self.figures()
        return "\n".join(
            f"  {name:22} {value:.1%}" if isinstance(value, float) and name != "clutter_per_document"
            else f"  {name:22} {value:.2f}" if isinstance(value, float) else f"  {name:22} {value}"
            for name, value in figures.items()
        )  # fmt: skip


def score(batch: str, *, by=None) -> ImportScore:
    """Import every document of `batch` (into the test database) and score the drafts."""
    expected = load(batch)
    vocabularies = Vocabularies()
    result = ImportScore()
    for name, doc in expected.items():
        result.documents += 1
        raw = (CORPORA / batch / name).read_bytes()
        row = import_document(name, raw, vocabularies=vocabularies, by=by)
        if doc.get("expect_error"):
            result.errors_expected += 1
            result.errors_right += bool(row.error)
            continue
        if row.error:
            result.misses.append((name, "error", row.error))
            article = None
        else:
            article = Article.objects.get(pk=row.article_id)
        title = _space(row.title)
        result.headlines += 1
        if doc["title_in_text"]:
            right = title == _space(doc["title"])
        else:
            right = bool(title) and title not in {_space(line) for line in doc["boilerplate_lines"]}
        result.headlines_right += right
        if not right:
            result.misses.append((name, "headline", title, doc["title"]))
        if MARKUP.search(title):
            result.markup += 1
        for kind, got in (("disease", set(row.diseases)), ("therapy", set(row.therapies))):
            allowed = {*doc[f"{kind}_tags"], *doc[f"{kind}_tags_optional"]}
            also = doc[f"{kind}_tags_also_accept"] or {}
            for required in doc[f"{kind}_tags"]:
                # substitutes by required tag, or (as one helper wrote them) one list for all
                accepted = {required, *(also.get(required, []) if isinstance(also, dict) else also)}
                allowed |= accepted
                result.required += 1
                if got & accepted:
                    result.required_found += 1
                else:
                    result.misses.append((name, f"{kind} tag missing", required, sorted(got)))
            result.tags += len(got)
            result.tags_right += len(got & allowed)
            forbidden = got & set(doc[f"{kind}_tags_forbidden"])
            result.forbidden += len(forbidden)
            for tag in got - allowed:
                result.misses.append((name, f"{kind} tag not wanted", tag))
        story = row.case_id is not None
        result.stories += 1
        result.stories_right += story == bool(doc["has_patient_story"])
        if doc["has_patient_story"]:
            result.story_docs += 1
            result.story_docs_found += story
        elif story:
            result.false_stories += 1
        if story != bool(doc["has_patient_story"]):
            result.misses.append((name, "story", story, doc["has_patient_story"]))
        if article is not None:
            lines = {_space(line) for line in plain_text(article.body).splitlines()}
            left = [line for line in doc["boilerplate_lines"] if _space(line) in lines]
            left += [f for f in doc.get("boilerplate_fragments", []) if f in plain_text(article.body)]
            result.clutter_left += len(left)
            for line in left:
                result.misses.append((name, "clutter", line))
    return result

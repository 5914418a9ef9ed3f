"""Issue 22, item 1: articles knows nothing of stories. Its code and templates name no story, case or
consent, not even in a string; stories plug in through settings and registration (cases.access,
cases.sections). The intake's tables of web-page clutter match words in the documents it reads
("Top stories", "Story continues below"), which are the input's words, not ours."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
STORIES = re.compile(r"\b(?:stor(?:y|ies)|cases?|consents?)\b", re.IGNORECASE)
# Django's conditional expression (Case, When) and the word in "case-insensitive" are not stories.
NOT_OURS = re.compile(
    r"\b(?:in any case|in case|lower case|lower-case|CASE with|case-insensitive\w*)\b|\bCase\b(?=[(,])"
)
CLUTTER_TABLES = {ROOT / "articles" / "intake" / "documents.py"}


def test_articles_names_no_story_case_or_consent():
    named = []
    files = [
        *ROOT.joinpath("articles").rglob("*.py"),
        *ROOT.joinpath("templates", "articles").rglob("*.html"),
    ]
    for path in files:
        if {"tests", "migrations"} & set(path.parts) or path in CLUTTER_TABLES:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if STORIES.search(NOT_OURS.sub("", line)):
                named.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert named == []

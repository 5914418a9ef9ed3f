"""A spreadsheet import killed mid-way (SIGKILL, no chance to clean up) leaves no partial rows, and
running it again gives the same database as a clean run.

The import runs in a child process on a SQLite file shared with the test; the child kills itself when
its row counter reaches 10%, 50% or 99% of 2,000 rows.
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ROWS = 2000

CHILD = r"""
import os, signal, sys
import django
django.setup()
import tablib
from articles.intake.resources import ArticleResource

kill_at = int(sys.argv[1])
rows = int(sys.argv[2])
data = tablib.Dataset(headers=["slug", "title", "standfirst", "body", "status"])
for n in range(rows):
    data.append([f"imported-{n}", f"Imported article {n}", f"Standfirst {n}.", f"<p>Body {n}.</p>", "published"])

seen = 0
real = ArticleResource.before_import_row

def counting(self, row, **kwargs):
    global seen
    seen += 1
    if seen == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(self, row, **kwargs)

ArticleResource.before_import_row = counting
result = ArticleResource().import_data(data, dry_run=False, use_transactions=True)
assert not result.has_errors() and not result.has_validation_errors()
print("imported", result.totals)
"""


def _environment(database: Path) -> dict:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "CACHE_URL": "locmemcache://",
        "DEBUG": "true",
    }


def _import(database: Path, kill_at: int = 0) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(kill_at), str(ROWS)],
        cwd=ROOT, env=_environment(database), capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _content(database: Path) -> list:
    """What the import writes, without the clock: every article and its revisions."""
    with sqlite3.connect(database) as db:
        articles = db.execute(
            "SELECT slug, title, standfirst, body, status, published_at, version FROM articles_article "
            "ORDER BY slug"
        ).fetchall()
        revisions = db.execute(
            "SELECT a.slug, r.number, r.title FROM articles_articlerevision r "
            "JOIN articles_article a ON a.id = r.article_id ORDER BY a.slug, r.number"
        ).fetchall()
    return [articles, revisions]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    database = tmp_path_factory.mktemp("import-kill") / "pristine.sqlite3"
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT, env=_environment(database), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    return database


@pytest.fixture(scope="module")
def clean_run(pristine, tmp_path_factory):
    database = tmp_path_factory.mktemp("import-clean") / "clean.sqlite3"
    shutil.copy(pristine, database)
    done = _import(database)
    assert done.returncode == 0, done.stderr
    content = _content(database)
    assert len(content[0]) == ROWS and {row[4] for row in content[0]} == {"draft"}
    return content


@pytest.mark.parametrize("percent", [10, 50, 99])
def test_an_import_killed_mid_way_leaves_nothing_and_a_rerun_matches_a_clean_run(
    pristine, clean_run, tmp_path, percent
):
    database = tmp_path / "killed.sqlite3"
    shutil.copy(pristine, database)
    killed = _import(database, kill_at=ROWS * percent // 100)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert _content(database) == _content(pristine), "rows of a killed import survived"

    again = _import(database)
    assert again.returncode == 0, again.stderr
    assert _content(database) == clean_run

"""Past one machine: two app servers sharing PostgreSQL and Redis serve the same truth.

Each server keeps whole pages in the shared cache. An edit saved anywhere retires, in the shared cache, the
keys of what it changed, so the other server stops serving its cached copy at once. Runs only where the tests themselves
run on PostgreSQL with a Redis cache (the servers must share both with this process).
"""

import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from articles.models import Status

ROOT = Path(settings.BASE_DIR)
SHARED = connection.vendor == "postgresql" and "redis" in settings.CACHES["default"]["BACKEND"].lower()

pytestmark = [
    pytest.mark.skipif(not SHARED, reason="needs the tests on PostgreSQL with a Redis cache"),
    pytest.mark.django_db(transaction=True),
]


def fetch(server, path) -> str:
    with urllib.request.urlopen(server.url(path), timeout=10) as response:  # noqa: S310 - loopback
        return response.read().decode()


def test_an_edit_reaches_readers_of_the_other_app_server_within_5_seconds(make_article):
    sys.path.insert(0, str(ROOT / "bench"))
    from run import Server, bench_env

    article = make_article(title="Before the edit", status=Status.PUBLISHED)
    database = connection.settings_dict
    env = bench_env(
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        cache=settings.CACHES["default"]["LOCATION"],
    )
    env["DEBUG"] = "true"  # no collected static files needed; the page cache works the same
    first, second = Server(env, 1), Server(env, 1)
    try:
        path = article.get_absolute_url()
        assert "Before the edit" in fetch(first, path) and "Before the edit" in fetch(second, path)

        article.title = "After the edit"
        article.save()  # through a third process, as an editor's save on either server would
        saved = time.monotonic()
        while "After the edit" not in fetch(second, path):
            assert time.monotonic() - saved < 5, "the second server still serves its cached page"
            time.sleep(0.05)
        assert "After the edit" in fetch(first, path)
    finally:
        first.stop()
        second.stop()

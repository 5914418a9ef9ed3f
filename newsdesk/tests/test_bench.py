"""make bench is never part of make test, but a short smoke run of it is part of make test-full (CI runs it),
so that it cannot rot; make test keeps the bench's own checks that need no servers."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def smoke_run(script, out) -> subprocess.CompletedProcess:
    """The bench script's --smoke run, in a process of its own with the project's own settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, script, "--smoke", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


@pytest.mark.slow
@pytest.mark.skipif(
    not shutil.which("gunicorn", path=str(Path(sys.executable).parent)), reason="needs gunicorn"
)
def test_a_smoke_run_of_the_bench_measures_every_target(tmp_path):
    run = smoke_run("bench/run.py", tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads((tmp_path / "smoke.json").read_text())
    for page in ("home", "article", "story", "disease", "search", "rss", "sitemap"):
        for mode in ("cold", "cached"):
            figures = results["pages"][f"{page} {mode}"]
            assert figures["rps"] > 0 and figures["errors"] == 0, (page, mode, figures)
    for bound in ("floor", "static", "bare article"):
        assert results["pages"][bound]["rps"] > 0 and results["pages"][bound]["errors"] == 0, bound
    assert {"admin", "documents", "spreadsheet", "rss", "budgets"} <= set(results)
    report = (tmp_path / "smoke.md").read_text()
    assert "| budget | figure | met |" in report
    assert "## The uncached article against a bare Django page" in report


@pytest.mark.django_db
def test_the_bench_s_own_pages_do_not_exist_outside_the_bench(client):
    assert client.get("/__bench/floor/100/").status_code == 404
    assert client.get("/__bench/bare/any-article/").status_code == 404


CHATTY_SERVER = """
import http.server, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        sys.stderr.write("a warning the bench never reads\\n" * 5000)  # about 160 KB each time
        sys.stderr.flush()
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


def test_a_server_that_writes_a_lot_to_its_log_keeps_serving_the_bench(monkeypatch):
    sys.path.insert(0, str(ROOT / "bench"))
    import run

    monkeypatch.setitem(
        run.SERVERS, "chatty", lambda port, workers: [sys.executable, "-c", CHATTY_SERVER, str(port)]
    )
    server = run.Server(dict(os.environ), 1, kind="chatty")
    try:
        for _ in range(3):  # a pipe left unread would be full after the first answer, and the server stuck
            assert run.urllib.request.urlopen(server.url("/"), timeout=5).read() == b"ok"  # noqa: S310
    finally:
        server.stop()


def redis_answers() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(
    not shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or not redis_answers(),
    reason="needs gunicorn and Redis on 127.0.0.1:6379 (the servers and the editor share its cache)",
)
def test_a_smoke_run_of_the_publishing_load_sees_every_move_on_every_surface(tmp_path):
    run = smoke_run("bench/publishing_load.py", tmp_path)
    assert (tmp_path / "publishing.json").exists(), run.stderr[-3000:]
    result = json.loads((tmp_path / "publishing.json").read_text())
    assert result["moves"] >= 2 and result["published"] and result["unpublished"], result
    assert result["checks"]["no_errors"], result
    assert result["checks"]["changes_visible_within_5s"], result["late_or_missed_moves"]
    # p99 is a figure of the full run only: five seconds of load say nothing about it


def test_the_publishing_load_writes_its_section_beside_its_json_in_place_of_the_last_one(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    import publishing_load

    ours = (ROOT / "bench" / "results.md").read_text()
    (tmp_path / "results.md").write_text("# Newsdesk bench\n\nthe pages\n")
    load = {"rps": 1000, "p50": 6.0, "p99": 10.0, "errors": 0, "socket_errors": 0, "generator": "wrk"}
    for p99_ratio in (1.7, 1.4):
        publishing_load.add_to_results_md(tmp_path, {
            "workers": 2, "urls": ["/"] * 5, "seconds": 60, "published": 6, "unpublished": 6,
            "capacity": load, "rate": 500, "idle": load, "publishing": load, "publishing_flat_out": load,
            "p99_ratio": p99_ratio, "p99_ratio_flat_out": 2.0, "checks": {"ok": p99_ratio <= 1.5},
            "served_p99_ms": {"idle": 0.3, "publishing": 0.33},
            "worst_seconds_to_every_surface": {"article": 0.06},
        })  # fmt: skip

    written = (tmp_path / "results.md").read_text()
    assert written.startswith("# Newsdesk bench\n\nthe pages\n")
    assert written.count("## Load while publishing") == 1 and "steady rate: 1.4 (limit 1.2)" in written
    assert (ROOT / "bench" / "results.md").read_text() == ours

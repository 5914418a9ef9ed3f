"""make bench is never part of make test, but a short smoke run of it is, so that it cannot rot."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


@pytest.mark.skipif(
    not shutil.which("gunicorn", path=str(Path(sys.executable).parent)), reason="needs gunicorn"
)
def test_a_smoke_run_of_the_bench_measures_every_target(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    run = subprocess.run(
        [sys.executable, "bench/run.py", "--smoke", "--out", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads((tmp_path / "smoke.json").read_text())
    for page in ("home", "article", "story", "disease", "search", "rss", "sitemap"):
        for mode in ("cold", "cached"):
            figures = results["pages"][f"{page} {mode}"]
            assert figures["rps"] > 0 and figures["errors"] == 0, (page, mode, figures)
    assert results["pages"]["floor"]["rps"] > 0 and results["pages"]["static"]["rps"] > 0
    assert {"admin", "documents", "spreadsheet", "rss", "budgets"} <= set(results)
    assert "| budget | figure | met |" in (tmp_path / "smoke.md").read_text()

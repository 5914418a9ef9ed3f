"""Every public page type is valid HTML according to the Nu HTML Checker (vnu.jar, run with Java)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from newsdesk.tests.test_browser_public import site  # noqa: F401  (the same pages the browser checks)

VNU = Path(settings.BASE_DIR) / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not VNU.exists() or shutil.which("java") is None,
        reason="the Nu HTML Checker is not installed (make tools installs it; needs Java)",
    ),
]


def test_every_page_type_has_no_html_errors(client, site, tmp_path):  # noqa: F811
    cache.clear()
    for name, path in site.items():
        response = client.get(path)
        (tmp_path / f"{name}.html").write_bytes(response.content)
    run = subprocess.run(
        [
            shutil.which("java"),
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert not errors, "\n".join(errors)

"""Monitoring: /healthz checks the database and the cache; logs are JSON lines that never name a patient."""

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.utils import OperationalError
from django.urls import reverse

from articles.models import Status
from cases.importer import Vocabularies, import_document
from newsdesk.logs import JsonFormatter

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_log():
    """Every log line written during the test, as LOG_FORMAT=json writes it (parsed back)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root, requests = logging.getLogger(), logging.getLogger("newsdesk.request")
    levels = root.level, requests.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    requests.setLevel(logging.INFO)  # as settings.LOGGING sets it in JSON mode
    lines = []

    def read():
        lines[:] = [json.loads(line) for line in stream.getvalue().splitlines()]
        return lines

    yield read
    root.removeHandler(handler)
    root.setLevel(levels[0])
    requests.setLevel(levels[1])


# --- /healthz -------------------------------------------------------------------------------------


def test_healthz_answers_ok_for_the_database_and_the_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie


def test_healthz_names_a_database_that_does_not_answer(client, json_log):
    broken = mock.Mock(**{"cursor.side_effect": OperationalError("connection refused")})
    with mock.patch("newsdesk.views.connection", broken):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "error", "cache": "ok"}
    errors = [line for line in json_log() if line["logger"] == "newsdesk.health"]
    assert [e["message"] for e in errors] == [
        "health check: database failed (OperationalError: connection refused)"
    ]


@pytest.mark.parametrize(
    "failure",
    [
        {"set.side_effect": ConnectionError("Redis is not running")},
        {"get.return_value": None},  # stores nothing, e.g. full or evicting everything
    ],
    ids=["unreachable", "forgetful"],
)
def test_healthz_names_a_cache_that_fails(client, failure):
    with mock.patch("newsdesk.views.cache", mock.Mock(**failure)):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "error"}


def test_healthz_is_not_redirected_to_https_so_monitors_can_probe_the_app_server(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_healthz_only_reads(client):
    assert client.post("/healthz").status_code == 405


# --- JSON logs ------------------------------------------------------------------------------------


def test_a_request_writes_one_json_line_with_its_id_path_status_and_duration(client, json_log):
    response = client.get("/healthz?secret=query", HTTP_X_REQUEST_ID="abc123")
    assert response["X-Request-ID"] == "abc123"
    (line,) = [line for line in json_log() if line["logger"] == "newsdesk.request"]
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")
    assert line | {"time": "", "duration_ms": 0} == {
        "time": "", "level": "INFO", "logger": "newsdesk.request", "message": "GET /healthz 200",
        "request_id": "abc123", "method": "GET", "path": "/healthz", "status": 200, "duration_ms": 0,
    }  # fmt: skip


def test_a_request_without_a_usable_id_gets_a_new_one(client):
    assert re.fullmatch(r"[0-9a-f]{32}", client.get("/healthz", HTTP_X_REQUEST_ID="a b\n")["X-Request-ID"])


def test_log_format_json_turns_every_log_line_into_json():
    """The setting itself, in a fresh process: LOG_FORMAT=json gives JSON, the default readable text."""
    code = "import logging; logging.getLogger('newsdesk.check').warning('CASE-0001 cleared')"

    def stderr(**env):
        run = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=ROOT, env={**os.environ, "DEBUG": "true", **env}, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return run.stderr.strip().splitlines()[-1]

    assert json.loads(stderr(LOG_FORMAT="json")) | {"time": ""} == {
        "time": "", "level": "WARNING", "logger": "newsdesk.check", "message": "CASE-0001 cleared",
    }  # fmt: skip
    assert stderr(LOG_FORMAT="text").endswith("WARNING newsdesk.check CASE-0001 cleared")


# --- No patient details in logs -------------------------------------------------------------------

# A synthetic story; every phrase here is something only the story itself could have put in a log.
STORY_TEXT = [
    "Zebulon Quarrie",
    "Quarrie",
    "retired lighthouse keeper",
    "Harbourview Infirmary",
    "back on the cliff path",
]
DOCUMENT = (
    b"Second remission for a retired lighthouse keeper with myeloma\n\n"
    b"Mr. Zebulon Quarrie, 71, was treated for multiple myeloma at Harbourview Infirmary in 2023. "
    b"After a bispecific antibody he was back on the cliff path within a month.\n"
)


def test_clearing_withdrawing_and_importing_a_story_logs_no_patient_details(
    client, users, make_case, make_article, vocabulary, json_log
):
    article = make_article(status=Status.PUBLISHED, title="A second remission")
    case = make_case(
        cleared=False, label="Retired lighthouse keeper with myeloma",
        narrative="<p>Zebulon Quarrie was treated at Harbourview Infirmary and was back on the cliff path.</p>",
    )  # fmt: skip
    client.force_login(users["privacy_officer"])
    client.get(reverse("admin:cases_case_change", args=[case.pk]))
    # An unexpected failure while clearing: the error line and its traceback name no patient.
    client.raise_request_exception = False
    with mock.patch("cases.services.case_clear", side_effect=RuntimeError("lost the database connection")):
        failed = client.post(
            reverse("admin:cases_case_clear", args=[case.pk]),
            {"consent_on_file": "on", "findings_reviewed": "on", "justification": "Again."},
        )
    assert failed.status_code == 500
    review = reverse("admin:cases_privacy_review", args=["case", case.pk])
    for key in re.findall(r'name="finding" value="(\w+)"', client.get(review).content.decode()):
        client.post(review, {"finding": key, "choice": "replaced", "replacement": "[removed]"})
    cleared = client.post(
        reverse("admin:cases_case_clear", args=[case.pk]),
        {"consent_on_file": "on", "findings_reviewed": "on", "justification": "Consent covers the web."},
    )
    assert cleared.status_code == 302
    case.articles.add(article)
    client.get(reverse("cases:detail", args=[case.reference]))
    client.get(reverse("articles:search") + "?q=Zebulon+Quarrie")  # what a reader typed stays out too
    withdrawn = client.post(
        reverse("admin:cases_case_withdraw", args=[case.pk]), {"reason": "Phone call", "confirm": "on"}
    )
    assert withdrawn.status_code == 302

    client.force_login(users["editor"])
    preview = client.post(
        reverse("admin:import_documents"), {"files": [SimpleUploadedFile("zebulon-quarrie.txt", DOCUMENT)]}
    )
    client.post(preview["Location"])  # confirm: the import job runs, and logs what it does
    with mock.patch("cases.importer._save", side_effect=RuntimeError("disk full")):
        assert import_document("zebulon-quarrie.txt", DOCUMENT, vocabularies=Vocabularies()).error

    lines = json_log()
    written = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    assert {line["status"] for line in lines if line["logger"] == "newsdesk.request"} >= {200, 302, 500}
    assert any(line["level"] == "ERROR" and "Traceback" in line.get("exception", "") for line in lines)
    assert case.reference in written  # cases are named by their reference
    for phrase in STORY_TEXT:
        assert phrase.lower() not in written.lower(), phrase

"""Shared test fixtures: one user per editorial role, and factories for articles and cases."""

import itertools
import os
import re
import time
from datetime import timedelta

import pytest
from asgiref.local import Local
from django.conf import settings
from django.core.management import call_command
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.tasks import task_backends
from django.test import override_settings
from django.utils import timezone

from articles.models import Article, Status
from articles.roles import EDITOR, MEDICAL_REVIEWER, PRIVACY_OFFICER, WRITER

ROLE_USERS = {
    "writer": WRITER,
    "other_writer": WRITER,
    "medical_reviewer": MEDICAL_REVIEWER,
    "editor": EDITOR,
    "privacy_officer": PRIVACY_OFFICER,
}


def _cache_per_worker(caches: dict) -> dict:
    """Under pytest-xdist each worker gets its own Redis database (15, 14, ...), so one worker's
    cache.clear() never empties another's cache mid-test."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    default = caches["default"]
    if not worker.startswith("gw") or "redis" not in default["BACKEND"].lower():
        return caches
    location = re.sub(r"/\d+$", "", default["LOCATION"].rstrip("/"))
    return caches | {"default": default | {"LOCATION": f"{location}/{15 - int(worker[2:]) % 16}"}}


@receiver(setting_changed)
def _fresh_task_backends(setting, **kwargs):
    """Django forgets cached task backends on no setting change; the tests run tasks at once."""
    if setting == "TASKS":
        task_backends.__dict__.pop("settings", None)
        task_backends._connections = Local(task_backends.thread_critical)


@pytest.fixture(autouse=True, scope="session")
def _test_environment():
    """The same test run whatever DEBUG the shell has: plain HTTP (production redirects to HTTPS, which
    test_settings checks), unhashed static names (tests do not run collectstatic), and the test client's
    host as the public base address."""
    storages = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # test users only
    with override_settings(
        CACHES=_cache_per_worker(settings.CACHES),
        TASKS={"default": {"BACKEND": "articles.tests.task_backend.ImmediateUnlessDeferred"}},
        STORAGES=storages,
        SECURE_SSL_REDIRECT=False,
        PASSWORD_HASHERS=fast_hashing,
        NEWSDESK_BASE_URL="http://testserver",
        NEWSDESK_SECOND_FACTOR=False,  # newsdesk/tests/test_second_factor.py turns it on
    ):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no cached pages, and no addresses from an earlier test's readers for a
    committed change to render again (articles.cache.refresh_after_change)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _empty_task_queue():
    """Each test starts with no task waiting for its time (articles.tests.task_backend)."""
    getattr(task_backends["default"], "deferred", []).clear()


@pytest.fixture(autouse=True)
def _browser_pages_go_quiet(request):
    """A desk page sends a last autosave or presence request as it closes; let the live server answer it
    before the test database is emptied, or the flush meets a locked table."""
    yield
    if request.node.get_closest_marker("browser"):
        time.sleep(0.3)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = settings.STORAGES | {
        "private": {
            "BACKEND": "cases.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture
def roles(db):
    call_command("setup_roles", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def users(roles, django_user_model):
    """A staff user per role, keyed "writer", "other_writer", "medical_reviewer", "editor", "privacy_officer",
    plus "no_role" (staff, no group)."""
    from django.contrib.auth.models import Group

    made = {}
    for key, role in ROLE_USERS.items():
        user = django_user_model.objects.create_user(
            key, f"{key}@example.test", "pw-for-tests", is_staff=True
        )
        user.groups.add(Group.objects.get(name=role))
        made[key] = user
    made["no_role"] = django_user_model.objects.create_user("no_role", "no_role@example.test", "pw-for-tests")
    return made


_counter = itertools.count(1)


@pytest.fixture
def make_article(db):
    """Make an article. `status=published` without `published_at` means published a day ago.

    Status is written directly here to set up a scene; application code moves status only through
    articles.workflow.transition().
    """

    def make(*, title=None, status=Status.DRAFT, published_at=None, diseases=(), therapies=(), **fields):
        n = next(_counter)
        if status == Status.PUBLISHED and published_at is None:
            published_at = timezone.now() - timedelta(days=1)
        article = Article.objects.create(
            title=title or f"Article number {n}",
            standfirst=fields.pop("standfirst", f"Standfirst {n}."),
            body=fields.pop("body", f"<p>Body of article {n}.</p>"),
            plain_summary=fields.pop("plain_summary", f"What article {n} means for patients."),
            status=status,
            published_at=published_at,
            **fields,
        )
        if diseases:
            article.diseases.add(*diseases)
        if therapies:
            article.therapies.add(*therapies)
        return article

    return make


@pytest.fixture
def make_case(db, django_user_model):
    """Make a case linked to `articles`. By default it has web consent on file and is cleared for its
    current text, as if the privacy officer had reviewed it. `consent` may be a dict of the consent's
    terms (`{"expires_on": ...}`): a consent on file is never changed afterwards, as on a live desk."""
    from cases.models import Case, Consent, PrivacyStatus

    def make(*, articles=(), cleared=True, consent=True, photos=False, **fields):
        fields.setdefault("label", "Adult with a blood cancer")
        case = Case.objects.create(**fields)
        case.articles.set(articles)
        if consent:
            signed_on = timezone.localdate() - timedelta(days=30)
            terms = {
                "signed_on": signed_on,
                "scope_web": True,
                "photos": photos,
                "form": "consent/test/signed.pdf",
            }
            Consent.objects.create(case=case, **terms | (consent if isinstance(consent, dict) else {}))
        if cleared:
            officer, _ = django_user_model.objects.get_or_create(username="fixture_privacy_officer")
            Case.objects.filter(pk=case.pk).update(
                privacy_status=PrivacyStatus.CLEARED, cleared_by=officer, cleared_at=timezone.now(),
                cleared_fingerprint=case.fingerprint(),
            )  # fmt: skip
            case.refresh_from_db()
        return case

    return make


@pytest.fixture
def vocabulary(db):
    call_command("loaddata", "vocabulary", verbosity=0)


# --- Browser tests --------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium through Playwright (never `playwright install`)."""
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the Django calls the tests make are sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):  # closed before the live server's database is emptied
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()

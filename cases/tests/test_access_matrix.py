"""The access matrix: who may do what, to which item, in which state, through which door.

`EXPECTED` below is the desk's rule book written out by hand, by role: it is the specification.
Every (principal, content type, state, action, channel) in it becomes one test, which does the action
through that channel and checks the answer:

* allowed: the request succeeds (2xx, or 3xx back to the page) and the expected change is in the database;
* denied: the answer is the login page (anonymous), 403/404 (anyone else) or, for the workflow's own
  action URLs and bulk actions, a redirect back with the reason as an error message (the desk's buttons
  can be stale, so a refused move says why); and the database is exactly as it was, row for row.
* offered: the admin page offers the button or form for an action exactly when the action is allowed.

`test_the_policy_table_agrees_with_the_rule_book` checks `articles.access` (the code's table) against
the same rule book, state by state, so that the code and the specification cannot drift apart.

Setup is shared by the whole module: the users, one article per state and one story per privacy state
are made once, and each test runs inside a savepoint that is rolled back.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import access, services, workflow
from articles.access import ARTICLE
from articles.models import Article, ArticleEvent, Status
from articles.roles import EDITOR, MEDICAL_REVIEWER, PRIVACY_OFFICER, WRITER
from articles.tests.test_admin import ANSWERED
from cases.access import CASE, CASE_STATES, CONSENT

# --- The rule book ------------------------------------------------------------------------------

PRINCIPALS = [
    "anonymous",
    "no_role",
    "writer",
    "other_writer",
    "medical_reviewer",
    "editor",
    "privacy_officer",
]
DESK = {"writer", "other_writer", "medical_reviewer", "editor", "privacy_officer"}
WRITERS = {"writer", "other_writer"}
OWNER_OR_EDITOR = {"writer", "editor"}  # "writer" owns every article in this module
# The privacy officer may fix any article in the desk's hands (after a take-down) and resubmit it.
FIXERS = OWNER_OR_EDITOR | {"privacy_officer"}
NOBODY: set[str] = set()
ARTICLE_STATES = access.ARTICLE_STATES
NO_STATE = None  # actions on the content type, not on one item (create, import, export)


def each(states, who):
    return {state: set(who) for state in states}


EXPECTED: dict[tuple[str, str], dict[str | None, set[str]]] = {
    # Articles. Everyone on the desk reads everything; nobody edits what readers see (or will see).
    (ARTICLE, "view"): each(ARTICLE_STATES, DESK),
    (ARTICLE, "create"): {NO_STATE: {"writer", "other_writer", "editor"}},
    (ARTICLE, "edit"): {**each(ARTICLE_STATES, NOBODY), "draft": FIXERS, "in_review": FIXERS},
    (ARTICLE, "revert"): {**each(ARTICLE_STATES, NOBODY), "draft": FIXERS, "in_review": FIXERS},
    (ARTICLE, "submit"): {**each(ARTICLE_STATES, NOBODY), "draft": FIXERS},
    (ARTICLE, "request_changes"): {**each(ARTICLE_STATES, NOBODY), "in_review": {"medical_reviewer", "editor"}},
    (ARTICLE, "sign_off"): {**each(ARTICLE_STATES, NOBODY), "in_review": {"medical_reviewer"}},
    (ARTICLE, "publish"): {**each(ARTICLE_STATES, NOBODY), "in_review": {"editor"}},
    (ARTICLE, "schedule"): {**each(ARTICLE_STATES, NOBODY), "in_review": {"editor"}},
    (ARTICLE, "unpublish"): {**each(ARTICLE_STATES, NOBODY), "scheduled": {"editor", "privacy_officer"},
                             "published": {"editor", "privacy_officer"}},
    (ARTICLE, "retract"): {**each(ARTICLE_STATES, NOBODY), "published": {"editor", "privacy_officer"}},
    (ARTICLE, "take_down"): {**each(ARTICLE_STATES, NOBODY), "scheduled": {"privacy_officer"},
                             "published": {"privacy_officer"}},
    (ARTICLE, "delete"): each(ARTICLE_STATES, NOBODY),  # history is append-only: retract instead
    (ARTICLE, "import"): {NO_STATE: {"editor"}},
    (ARTICLE, "export"): {NO_STATE: {"editor"}},
    # Patient stories. Only the privacy officer clears, withdraws, exports or reads a consent form.
    (CASE, "view"): each(CASE_STATES, DESK),
    (CASE, "create"): {NO_STATE: WRITERS},
    (CASE, "edit"): each(CASE_STATES, {"writer", "other_writer", "privacy_officer"}),
    (CASE, "clear"): {"pending": {"privacy_officer"}, "cleared": {"privacy_officer"}, "withdrawn": NOBODY},
    (CASE, "withdraw"): {"pending": {"privacy_officer"}, "cleared": {"privacy_officer"}, "withdrawn": NOBODY},
    (CASE, "delete"): each(CASE_STATES, NOBODY),
    (CASE, "import"): {NO_STATE: {"editor"}},
    (CASE, "export"): {NO_STATE: {"privacy_officer"}},
    (CONSENT, "download"): each(CASE_STATES, {"privacy_officer"}),
}  # fmt: skip


def expected(principal, content, action, state) -> bool:
    return principal in EXPECTED[(content, action)][state]


# --- The shared scene ---------------------------------------------------------------------------


@dataclass
class Scene:
    users: dict
    articles: dict  # state -> pk
    cases: dict  # state -> pk
    consents: dict  # case state -> pk
    baseline: dict  # snapshot() of the scene, which every test starts from
    pages: dict  # (principal, url) -> response of a GET, which changes nothing (each test checks)


FIRST_TITLE = "First draft of the matrix article"


def _build_scene() -> Scene:
    call_command("setup_roles", verbosity=0, stdout=io.StringIO())
    User = get_user_model()
    groups = {"writer": WRITER, "other_writer": WRITER, "medical_reviewer": MEDICAL_REVIEWER,
              "editor": EDITOR, "privacy_officer": PRIVACY_OFFICER}  # fmt: skip
    users = {"anonymous": None}
    for key in PRINCIPALS[1:]:
        user = User.objects.create_user(f"matrix_{key}", f"{key}@example.test", "pw", is_staff=True)
        if key in groups:
            user.groups.add(Group.objects.get(name=groups[key]))
        users[key] = user
    writer = users["writer"]
    # The scene's sign-offs are another reviewer's, so the matrix's own reviewer may still sign off (#25:
    # a reviewer is offered Sign off until she has signed the text herself).
    reviewer = User.objects.create_user("matrix_scene_reviewer", "scene@example.test", "pw", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=MEDICAL_REVIEWER))

    articles = {}
    for state in ARTICLE_STATES:
        article = Article.objects.create(
            title=FIRST_TITLE,
            standfirst="A standfirst.",
            body="<p>A body.</p>",
            plain_summary="What it means for patients.",
            author=writer,
        )
        services.record_revision(article, writer)
        article.title = f"Matrix article, {state.replace('_', ' ')}"
        article.save()
        services.record_revision(article, writer)
        if state != "draft":
            Article.objects.filter(pk=article.pk).update(status=Status.IN_REVIEW)
            workflow.sign_off(article, by=reviewer)
        if state in ("scheduled", "published", "retracted"):
            when = timezone.now() + (timedelta(days=3) if state == "scheduled" else -timedelta(days=1))
            status = Status.RETRACTED if state == "retracted" else Status.PUBLISHED
            Article.objects.filter(pk=article.pk).update(status=status, published_at=when)
        articles[state] = article.pk

    from cases.models import Case, Consent, PrivacyStatus

    cases, consents = {}, {}
    for state in CASE_STATES:
        case = Case.objects.create(label=f"Adult with a blood cancer ({state})", outcome="In remission.")
        consent = Consent.objects.create(
            case=case, signed_on=timezone.localdate() - timedelta(days=30), scope_web=True,
            form=f"consent/matrix/{state}.pdf",
        )  # fmt: skip
        if state == "cleared":
            Case.objects.filter(pk=case.pk).update(
                privacy_status=PrivacyStatus.CLEARED, cleared_by=users["privacy_officer"],
                cleared_at=timezone.now(), cleared_fingerprint=case.fingerprint(),
            )  # fmt: skip
        if state == "withdrawn":
            Consent.objects.filter(pk=consent.pk).update(
                withdrawn_at=timezone.now(), withdrawal_reason="Asked"
            )
            Case.objects.filter(pk=case.pk).update(privacy_status=PrivacyStatus.WITHDRAWN)
        cases[state], consents[state] = case.pk, consent.pk
    return Scene(users, articles, cases, consents, snapshot(), {})


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at the end; each test runs in
    a savepoint inside it, so nothing one test does is seen by the next."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_scene()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def snapshot() -> dict:
    """Every row of every table of the articles and cases apps (join tables included)."""
    tables = {}
    with connection.cursor() as cursor:
        for label in ("articles", "cases"):
            for model in apps.get_app_config(label).get_models(include_auto_created=True):
                table = model._meta.db_table
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")  # noqa: S608
                tables[table] = cursor.fetchall()
    return tables


# --- Channels -----------------------------------------------------------------------------------


def article_url(name, pk, *more):
    return reverse(f"admin:articles_article_{name}", args=[pk, *more])


def article_form(article, **changes):
    data = {
        "title": article.title, "slug": article.slug, "language": article.language, "standfirst": article.standfirst, "body": article.body,
        "byline": article.byline, "diseases": [], "therapies": [], "hero_alt": "", "hero_caption": "",
        "hero_credit": "", "source_publisher": "", "source_url": "", "source_date": "",
        "base_version": article.version, "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0", "references-TOTAL_FORMS": "0", "references-INITIAL_FORMS": "0", "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0", "events-MAX_NUM_FORMS": "0",
    }  # fmt: skip
    return data | changes


def case_form(case, **changes):
    data = {
        "label": case.label, "articles": [], "age_band": case.age_band, "sex": case.sex, "diseases": [],
        "therapies": [], "treatment_year": "", "follow_up": case.follow_up, "outcome": case.outcome,
        "narrative": case.narrative,
    }  # fmt: skip
    for prefix in ("consents", "consents-2", "events"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                 f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}  # fmt: skip
    return data | changes


def csv_upload(rows, name="matrix.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def spreadsheet_import(client, model, rows):
    """Step one (upload and preview) and, when the preview offers it, step two (confirm)."""
    preview = client.post(
        reverse(f"admin:{model}_import"), {"import_file": csv_upload(rows), "format": "0", "resource": "0"}
    )
    if preview.status_code != 302 or not preview["Location"].startswith(reverse(f"admin:{model}_import")):
        return preview  # refused (a login page, a 403) or a form error
    job_page = client.get(preview["Location"])
    if "Confirm import" not in job_page.content.decode():
        return job_page  # the rows' problems
    return client.post(preview["Location"])  # confirm: the import job runs


def document_import(client):
    text = b"Matrix press text about a new treatment\n\nDoctors at the hospital report good results.\n"
    preview = client.post(
        reverse("admin:import_documents"), {"files": [SimpleUploadedFile("matrix.txt", text)]}
    )
    if preview.status_code != 302 or not preview["Location"].startswith(reverse("admin:import_documents")):
        return preview  # refused (a login page, a 403) or a form error
    return client.post(preview["Location"])  # confirm: the import job runs


def export(client, model):
    return client.post(reverse(f"admin:{model}_export"), {"format": "0", "resource": "0"})


def bulk(client, model, action, pk):
    return client.post(reverse(f"admin:{model}_changelist"), {"action": action, "_selected_action": [pk],
                                                               "post": "yes", "index": "0"})  # fmt: skip


def move(name):
    def run(client, scene, pk):
        data = {"comment": "Matrix comment.", "confirmed": "yes"}  # a permanent move asks first
        if name == "schedule":
            data["published_at"] = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
        return client.post(article_url("move", pk, name), data)

    return run


def offers(marker: Callable[[int], str]):
    """An "offer" channel's check: the page contains the marker (a button's form action, an input)."""
    return marker


@dataclass(frozen=True)
class Channel:
    name: str
    kind: str  # "write", "bulk", "read" or "offer"
    run: Callable  # (client, scene, pk) -> response
    marker: Callable | None = None  # for "offer": what on the page offers the action, from the pk
    says_why: bool = False  # a refusal may be a redirect back with the reason as a message
    closed: bool = False  # this door is shut to everyone, whatever the rule book allows through others


def _get(url_of):
    """A GET, fetched once per principal and page: the first fetch is checked to change nothing."""

    def run(client, scene, pk):
        key = (client.principal, url_of(pk))
        if key not in scene.pages:
            scene.pages[key] = client.get(key[1])
        return scene.pages[key]

    return run


CHANNELS: dict[tuple[str, str], list[Channel]] = {
    (ARTICLE, "view"): [
        Channel("change page", "read", _get(lambda pk: article_url("change", pk))),
        Channel("preview", "read", _get(lambda pk: reverse("articles:preview", args=[pk]))),
        Channel("revision list", "read", _get(lambda pk: article_url("revisions", pk))),
        Channel("revision compare", "read", _get(lambda pk: article_url("compare", pk) + "?from=1&to=2")),
        Channel("history", "read", _get(lambda pk: article_url("history", pk))),
    ],
    (ARTICLE, "create"): [
        Channel("form page", "offer", _get(lambda pk: reverse("admin:articles_article_add")),
                marker=lambda pk: 'name="title"'),
        Channel("form post", "write", lambda client, scene, pk: client.post(
            reverse("admin:articles_article_add"),
            article_form(Article(title="Made by the matrix", slug="made-by-the-matrix"), base_version=""))),
    ],
    (ARTICLE, "edit"): [
        Channel("form page", "offer", _get(lambda pk: article_url("change", pk)), marker=lambda pk: 'name="title"'),
        Channel("form post", "write", lambda client, scene, pk: client.post(
            article_url("change", pk), article_form(Article.objects.get(pk=pk), title="Edited by the matrix"))),
    ],
    (ARTICLE, "revert"): [
        Channel("revision list", "offer", _get(lambda pk: article_url("revisions", pk)),
                marker=lambda pk: article_url("restore", pk, 1)),
        Channel("action URL", "write", lambda client, scene, pk: client.post(article_url("restore", pk, 1)),
                says_why=True),
    ],
    **{
        (ARTICLE, name): [
            Channel("form page", "offer", _get(lambda pk: article_url("change", pk)),
                    marker=lambda pk, name=name: f'value="{name}"'),
            Channel("action URL", "write", move(name), says_why=True),
            # No bulk moves: each article moves on its own page, through transition() and its gates.
            Channel("bulk action", "bulk", lambda client, scene, pk, name=name: bulk(client, "articles_article",
                                                                                     name, pk), closed=True),
        ]
        for name in workflow.MOVES
    },
    (ARTICLE, "sign_off"): [
        Channel("form page", "offer", _get(lambda pk: article_url("change", pk)),
                marker=lambda pk: article_url("sign_off", pk)),
        Channel("action URL", "write", lambda client, scene, pk: client.post(article_url("sign_off", pk), ANSWERED),
                says_why=True),
    ],
    (ARTICLE, "delete"): [
        Channel("confirmation page", "offer", _get(lambda pk: article_url("delete", pk)),
                marker=lambda pk: 'name="post"'),
        Channel("form post", "write", lambda client, scene, pk: client.post(article_url("delete", pk),
                                                                            {"post": "yes"})),
        Channel("bulk action", "bulk", lambda client, scene, pk: bulk(client, "articles_article",
                                                                      "delete_selected", pk)),
    ],
    (ARTICLE, "import"): [
        Channel("spreadsheet page", "offer", _get(lambda pk: reverse("admin:articles_article_import")),
                marker=lambda pk: 'name="import_file"'),
        Channel("spreadsheet file", "write", lambda client, scene, pk: spreadsheet_import(
            client, "articles_article", [["slug", "title", "status"], ["matrix-import", "Imported by the matrix",
                                                                       "published"]])),
        Channel("documents upload", "write", lambda client, scene, pk: document_import(client)),
    ],
    (ARTICLE, "export"): [
        Channel("export page", "offer", _get(lambda pk: reverse("admin:articles_article_export")),
                marker=lambda pk: 'name="format"'),
        Channel("export file", "read", lambda client, scene, pk: export(client, "articles_article")),
    ],
    (CASE, "view"): [
        Channel("change page", "read", _get(lambda pk: reverse("admin:cases_case_change", args=[pk]))),
        Channel("history", "read", _get(lambda pk: reverse("admin:cases_case_history", args=[pk]))),
    ],
    (CASE, "create"): [
        Channel("form page", "offer", _get(lambda pk: reverse("admin:cases_case_add")),
                marker=lambda pk: 'name="label"'),
        Channel("form post", "write", lambda client, scene, pk: client.post(
            reverse("admin:cases_case_add"), case_form(_new_case(), label="Story made by the matrix"))),
    ],
    (CASE, "edit"): [
        Channel("form page", "offer", _get(lambda pk: reverse("admin:cases_case_change", args=[pk])),
                marker=lambda pk: 'name="outcome"'),
        Channel("form post", "write", lambda client, scene, pk: client.post(
            reverse("admin:cases_case_change", args=[pk]), case_form(_case(pk), outcome="Edited by the matrix"))),
    ],
    (CASE, "clear"): [
        Channel("checklist page", "offer", _get(lambda pk: reverse("admin:cases_case_clear", args=[pk])),
                marker=lambda pk: 'name="consent_on_file"'),
        Channel("checklist post", "write", lambda client, scene, pk: client.post(
            reverse("admin:cases_case_clear", args=[pk]),
            {"consent_on_file": "on", "findings_reviewed": "on", "justification": "Reviewed by the matrix."})),
    ],
    (CASE, "withdraw"): [
        Channel("withdrawal page", "offer", _get(lambda pk: reverse("admin:cases_case_withdraw", args=[pk])),
                marker=lambda pk: 'name="reason"'),
        Channel("withdrawal post", "write", lambda client, scene, pk: client.post(
            reverse("admin:cases_case_withdraw", args=[pk]), {"reason": "Phoned the desk.", "confirm": "on"})),
    ],
    (CASE, "delete"): [
        Channel("confirmation page", "offer", _get(lambda pk: reverse("admin:cases_case_delete", args=[pk])),
                marker=lambda pk: 'name="post"'),
        Channel("form post", "write", lambda client, scene, pk: client.post(
            reverse("admin:cases_case_delete", args=[pk]), {"post": "yes"})),
        Channel("bulk action", "bulk", lambda client, scene, pk: bulk(client, "cases_case", "delete_selected", pk)),
    ],
    (CASE, "import"): [
        Channel("spreadsheet page", "offer", _get(lambda pk: reverse("admin:cases_case_import")),
                marker=lambda pk: 'name="import_file"'),
        Channel("spreadsheet file", "write", lambda client, scene, pk: spreadsheet_import(
            client, "cases_case", [["reference", "label", "privacy_status"],
                                   ["CASE-9001", "Story imported by the matrix", "cleared"]])),
    ],
    (CASE, "export"): [
        Channel("export page", "offer", _get(lambda pk: reverse("admin:cases_case_export")),
                marker=lambda pk: 'name="format"'),
        Channel("export file", "read", lambda client, scene, pk: export(client, "cases_case")),
    ],
    (CONSENT, "download"): [
        Channel("private file", "read", lambda client, scene, pk: _download(client, pk)),
    ],
}  # fmt: skip


def _case(pk):
    from cases.models import Case

    return Case.objects.get(pk=pk)


def _new_case():
    from cases.models import Case

    return Case(label="")


def _download(client, pk):
    from cases.models import Consent

    consent = Consent.objects.get(pk=pk)
    if not storages["private"].exists(consent.form.name):
        storages["private"].save(consent.form.name, ContentFile(b"%PDF-1.4 matrix consent"))
    return client.get(reverse("admin:cases_consent_form", args=[pk]))


# --- What success looks like --------------------------------------------------------------------


def _events(pk, action):
    return ArticleEvent.objects.filter(article_id=pk, action=action).count()


def succeeded(content, action, pk, before) -> bool:
    """The expected change is in the database (`before` is the snapshot taken before the request)."""
    from cases.models import Case, CaseEvent, PrivacyStatus

    article = Article.objects.filter(pk=pk).first() if content == ARTICLE else None
    Action = ArticleEvent.Action
    checks = {
        (ARTICLE, "create"): lambda: Article.objects.filter(title="Made by the matrix").exists(),
        (ARTICLE, "edit"): lambda: article.title == "Edited by the matrix",
        (ARTICLE, "revert"): lambda: article.title == FIRST_TITLE and _events(pk, Action.RESTORED) == 1,
        (ARTICLE, "submit"): lambda: article.status == Status.IN_REVIEW and _events(pk, Action.SUBMITTED),
        (ARTICLE, "request_changes"): lambda: (
            article.status == Status.DRAFT and _events(pk, Action.CHANGES_REQUESTED)
        ),
        (ARTICLE, "sign_off"): lambda: _events(pk, Action.SIGNED_OFF) == 2,
        (ARTICLE, "publish"): lambda: (
            article.status == Status.PUBLISHED and not article.is_scheduled and _events(pk, Action.PUBLISHED)
        ),
        (ARTICLE, "schedule"): lambda: article.is_scheduled and _events(pk, Action.SCHEDULED),
        (ARTICLE, "unpublish"): lambda: article.status == Status.DRAFT and _events(pk, Action.UNPUBLISHED),
        (ARTICLE, "retract"): lambda: article.status == Status.RETRACTED and _events(pk, Action.RETRACTED),
        (ARTICLE, "take_down"): lambda: article.status == Status.DRAFT and _events(pk, Action.TAKEN_DOWN),
        (ARTICLE, "delete"): lambda: article is None,
        (ARTICLE, "import"): lambda: (
            Article.objects.count() == len(before["articles_article"]) + 1
            and Article.objects.exclude(pk__in=[row[0] for row in before["articles_article"]])
            .filter(status=Status.DRAFT)
            .exists()
        ),
        (CASE, "create"): lambda: Case.objects.filter(label="Story made by the matrix").exists(),
        (CASE, "edit"): lambda: _case(pk).outcome == "Edited by the matrix",
        (CASE, "clear"): lambda: (
            _case(pk).privacy_status == PrivacyStatus.CLEARED
            and CaseEvent.objects.filter(case_id=pk, action="cases.cleared").exists()
        ),
        (CASE, "withdraw"): lambda: _case(pk).privacy_status == PrivacyStatus.WITHDRAWN,
        (CASE, "delete"): lambda: not Case.objects.filter(pk=pk).exists(),
        (CASE, "import"): lambda: Case.objects.filter(
            reference="CASE-9001", privacy_status="pending"
        ).exists(),
    }
    return checks[(content, action)]()


def said_why(response, level=messages.WARNING) -> bool:
    """A redirect back to the desk carrying an error (or warning) that says why nothing happened."""
    stored = list(messages.get_messages(response.wsgi_request))
    return response.status_code == 302 and any(m.level >= level for m in stored)


def is_denial(response, principal, channel) -> bool:
    if principal == "anonymous":
        return response.status_code == 302 and "/login/" in response["Location"]
    if response.status_code in (403, 404):
        return True
    if channel.kind == "bulk" and response.status_code == 200:
        return True  # no such action is offered to this user: the changelist again, nothing done
    return (channel.says_why or channel.kind == "bulk") and said_why(response)


# --- The cases ----------------------------------------------------------------------------------


def _cases():
    """Every case; `make test` runs every twelfth of them (each action, state and door in turn), `make
    test-full` all of them."""
    n = 0
    for (content, action), by_state in EXPECTED.items():
        for state in by_state:
            for channel in CHANNELS[(content, action)]:
                for principal in PRINCIPALS:
                    yield pytest.param(
                        content, action, state, channel, principal,
                        id=f"{content}-{action}-{state or 'any'}-{channel.name.replace(' ', '_')}-{principal}",
                        marks=() if n % 12 == 0 else pytest.mark.slow,
                    )  # fmt: skip
                    n += 1


def _item_pk(scene, content, state):
    if state is None:
        return None
    if content == ARTICLE:
        return scene.articles[state]
    if content == CASE:
        return scene.cases[state]
    return scene.consents[state]


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "action", "state", "channel", "principal"), list(_cases()))
def test_the_desk_allows_exactly_what_the_rule_book_says(scene, content, action, state, channel, principal):
    client = Client()
    client.principal = principal
    if scene.users[principal] is not None:
        client.force_login(scene.users[principal])
    pk = _item_pk(scene, content, state)
    allowed = expected(principal, content, action, state) and not channel.closed
    before = scene.baseline
    response = channel.run(client, scene, pk)
    after = snapshot()
    answer = f"{response.status_code} {response.get('Location', '')} {_form_errors(response)}"

    if channel.kind == "offer":
        page = response.content.decode() if response.status_code == 200 else ""
        assert (channel.marker(pk) in page) == allowed, answer
        assert after == before
    elif channel.kind == "read":
        if allowed:
            assert response.status_code == 200, answer
        else:
            assert is_denial(response, principal, channel), answer
        assert after == before
    elif allowed:
        assert response.status_code in (200, 302) and not said_why(response, messages.ERROR), answer
        assert succeeded(content, action, pk, before), answer
    else:
        assert is_denial(response, principal, channel), answer
        assert after == before, _changed_tables(before, after)


def _form_errors(response):
    context = getattr(response, "context", None) or {}
    found = []
    for key in ("adminform", "form"):
        form = context.get(key) if hasattr(context, "get") else None
        form = getattr(form, "form", form)
        if form is not None and hasattr(form, "errors"):
            found.append(dict(form.errors))
    for formset in (context.get("inline_admin_formsets") or []) if hasattr(context, "get") else []:
        found.append([formset.formset.non_form_errors(), formset.formset.errors])
    return found


def _changed_tables(before, after):
    return [table for table in before if before[table] != after[table]]


# --- The code's table against the rule book -----------------------------------------------------


def _policy_cases():
    for (content, action), by_state in EXPECTED.items():
        for state in by_state:
            for principal in PRINCIPALS:
                yield pytest.param(content, action, state, principal,
                                   id=f"{content}-{action}-{state or 'any'}-{principal}")  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "action", "state", "principal"), list(_policy_cases()))
def test_the_policy_table_agrees_with_the_rule_book(scene, content, action, state, principal):
    from cases.models import Case, Consent

    model = {ARTICLE: Article, CASE: Case, CONSENT: Consent}[content]
    pk = _item_pk(scene, content, state)
    item = model.objects.get(pk=pk) if pk else None
    user = scene.users[principal]
    if user is not None:
        user = get_user_model().objects.get(pk=user.pk)  # fresh permission cache
    assert access.may(user, action, content, item) == expected(principal, content, action, state)


def test_every_row_of_the_policy_table_is_in_the_rule_book():
    assert set(access.RULES) - {(ARTICLE, "share_preview")} == set(EXPECTED)


# --- Four eyes on the people, not the owner field (issue 23) ------------------------------------

# An article in review whose current text `wrote` wrote (its only revision), then given
# to `owner`: who may publish, schedule or sign it off. Whoever wrote the text never may, whoever owns it.
FOUR_EYES = {
    ("editor", "writer"): {"publish": {"other_editor"}, "schedule": {"other_editor"}, "sign_off": {"medical_reviewer"}},
    ("writer", "editor"): {"publish": {"editor", "other_editor"}, "schedule": {"editor", "other_editor"},
                           "sign_off": {"medical_reviewer"}},
    ("medical_reviewer", "writer"): {"publish": {"editor", "other_editor"}, "schedule": {"editor", "other_editor"},
                                     "sign_off": NOBODY},
}  # fmt: skip
FOUR_EYES_PRINCIPALS = ["writer", "editor", "other_editor", "medical_reviewer"]


@pytest.mark.django_db
@pytest.mark.parametrize(("wrote", "owner"), list(FOUR_EYES))
def test_four_eyes_asks_who_wrote_the_text_not_who_owns_it(
    users, make_article, django_user_model, wrote, owner
):
    from articles.services import record_owner_change, record_revision

    other_editor = django_user_model.objects.create_user("matrix_other_editor", is_staff=True)
    other_editor.groups.add(Group.objects.get(name=EDITOR))
    people = users | {"other_editor": other_editor}
    article = make_article(author=people[wrote], status=Status.IN_REVIEW, body="<p>The text.</p>")
    record_revision(article, by=people[wrote])
    previous, article.author = article.author_id, people[owner]
    article.save()
    record_owner_change(article, previous=previous, by=people["editor"])
    for action, allowed in FOUR_EYES[(wrote, owner)].items():
        may = {who for who in FOUR_EYES_PRINCIPALS if access.may(people[who], action, ARTICLE, article)}
        assert may == allowed, action

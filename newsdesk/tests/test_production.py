"""Production configuration: the deploy check is clean with the variables production sets, every public
page type carries the strict policy with a fresh nonce on each of its scripts, and user media is sent with
`nosniff` so a browser never runs an upload as a page or a script."""

import importlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, get_resolver

import newsdesk.urls
from articles.models import DiseaseTag, Status
from articles.tests.test_images import jpeg_with_everything
from newsdesk.tests.test_settings import PRODUCTION, manage


@pytest.mark.parametrize(
    "extra",
    [
        # the minimal set is test_settings.test_production_settings_pass_the_deploy_check_with_no_warnings
        pytest.param(
            {
                "DATABASE_URL": "postgres://news:pw@db.internal:5432/newsdesk",
                "CACHE_URL": "redis://cache:6379/1",
            },
            id="postgres-and-redis",
        ),
        pytest.param(
            {"CSRF_TRUSTED_ORIGINS": "https://news.hospital.example", "MEDIA_URL": "/media/"},
            id="behind-a-proxy",
        ),
    ],
)
@pytest.mark.slow
def test_the_deploy_check_is_clean_with_production_variables(extra):
    result = manage(PRODUCTION | extra, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for part in policy.split(";") if part.strip() for name, *values in [part.split()]}


@pytest.fixture
def pages(make_article, make_case, vocabulary):
    lupus = DiseaseTag.objects.get(slug="systemic-lupus-erythematosus")
    article = make_article(
        status=Status.PUBLISHED,
        diseases=[lupus],
        hero_image=SimpleUploadedFile("clinic.jpg", jpeg_with_everything()),
        hero_alt="A nurse preparing an infusion",
    )
    case = make_case(articles=[article])
    return {
        "home": "/",
        "news": "/news/",
        "article": article.get_absolute_url(),
        "diseases": "/diseases/",
        "disease": lupus.get_absolute_url(),
        "story": case.get_absolute_url(),
        "search": "/search/?q=article",
        "not found": "/news/no-such-page/",
        "media": article.hero_image.url,
    }


@pytest.mark.django_db
def test_every_public_page_type_is_under_the_strict_policy_with_nonced_scripts(client, pages):
    nonces = []
    for name, path in pages.items():
        if name == "media":
            continue
        response = client.get(path)
        policy = directives(response.headers["Content-Security-Policy"])
        script_src = policy["script-src"]
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, name
        assert policy["object-src"] == ["'none'"], name
        assert policy["base-uri"] == ["'none'"], name
        assert policy["frame-ancestors"] == ["'none'"], name
        nonce = next((v[len("'nonce-") : -1] for v in script_src if v.startswith("'nonce-")), None)
        if nonce:
            nonces.append(nonce)
        for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
            if 'type="application/ld+json"' in tag:
                continue  # data, never run
            assert nonce and f'nonce="{nonce}"' in tag, (name, tag)
    # Public pages run no script of their own today (JSON-LD is data); any that is added needs the nonce.
    assert len(set(nonces)) == len(nonces), "each response has its own nonce"


@pytest.fixture
def development_urls(settings):
    """The URLconf as `make run` builds it (DEBUG on), where Django itself serves /media/."""
    settings.DEBUG = True
    importlib.reload(newsdesk.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(newsdesk.urls)
    clear_url_caches()


@pytest.mark.django_db
def test_user_media_is_sent_with_nosniff(client, pages, development_urls):
    """In development Django serves media through SecurityMiddleware; in production the web server in
    front must add the same header (deploy/ configures nginx with `add_header X-Content-Type-Options`)."""
    assert any(str(p.pattern).startswith("media/") for p in get_resolver().url_patterns)
    response = client.get(pages["media"])
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "image/jpeg"

"""Configuration comes from the environment, and production settings pass Django's deploy checks."""

import os
import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.checks import Tags, run_checks

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "news.hospital.example",
    "CACHE_URL": "redis://cache.internal:6379/1",
}


SHELL_SETTINGS = {"DEBUG", "DATABASE_URL", "CACHE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def settings_from(env: dict[str, str]) -> SimpleNamespace:
    """The settings module read afresh with exactly `env` for an environment, as a new process would read
    it: the module reads nothing but the environment, so reading it again here is the same."""
    with mock.patch.dict(os.environ, env, clear=True):
        return SimpleNamespace(**runpy.run_path(str(ROOT / "newsdesk" / "settings.py")))


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean_env = {k: v for k, v in os.environ.items() if k not in SHELL_SETTINGS}
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=clean_env | env, cwd=ROOT, capture_output=True, text=True
    )


def test_debug_is_off_unless_the_environment_turns_it_on():
    assert settings_from({}).DEBUG is False
    assert settings_from({"DEBUG": "true"}).DEBUG is True


def test_the_default_database_is_a_sqlite_file_in_the_project():
    assert settings_from({}).DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_database_url_selects_postgresql():
    env = {"DATABASE_URL": "postgres://news:pw@db.internal:5432/newsdesk"}
    database = settings_from(env).DATABASES["default"]
    assert (database["ENGINE"], database["HOST"]) == ("django.db.backends.postgresql", "db.internal")


def test_cache_defaults_to_local_memory_and_cache_url_selects_redis():
    assert "LocMemCache" in settings_from({}).CACHES["default"]["BACKEND"]
    redis = settings_from({"CACHE_URL": "redis://127.0.0.1:6379/2"}).CACHES["default"]["BACKEND"]
    assert redis == "django.core.cache.backends.redis.RedisCache"


def test_media_location_comes_from_the_environment(tmp_path):
    assert str(settings_from({"MEDIA_ROOT": str(tmp_path)}).MEDIA_ROOT) == str(tmp_path)


def test_production_settings_pass_the_deploy_check_with_no_warnings():
    result = manage(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_redirects_to_https_and_sends_hsts():
    production = settings_from(PRODUCTION)
    assert (production.SECURE_SSL_REDIRECT, production.SECURE_HSTS_SECONDS) == (True, 31_536_000)


def test_the_deploy_check_refuses_the_development_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage(env, "check", "--deploy")
    assert result.returncode != 0
    assert "newsdesk.E001" in result.stderr


@pytest.mark.django_db
def test_public_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert (
        "object-src 'none'" in policy and "base-uri 'none'" in policy and "frame-ancestors 'none'" in policy
    )
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_only_the_admin_allows_inline_styles_for_its_editor(admin_client):
    policy = admin_client.get("/admin/").headers["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self'" in policy and "script-src 'self' 'unsafe-inline'" not in policy


@pytest.mark.slow
def test_production_static_files_are_fingerprinted_and_compressed(tmp_path):
    """WhiteNoise serves what collectstatic wrote: hashed names (cacheable forever) and gzip/brotli copies."""
    run = manage(PRODUCTION | {"STATIC_ROOT": str(tmp_path)}, "collectstatic", "--noinput", "-v0")
    assert run.returncode == 0, run.stderr
    css = sorted(p.name for p in (tmp_path / "css").iterdir() if p.name.startswith("site."))
    hashed = [name for name in css if name.count(".") == 2 and name.endswith(".css")]
    assert hashed, css
    assert f"{hashed[0]}.gz" in css
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings_from(PRODUCTION).MIDDLEWARE


@pytest.mark.parametrize(
    "backend",
    ["django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"],
)
def test_the_deploy_check_refuses_a_cache_that_lives_inside_one_process(settings, backend):
    """Issue 23, item 6: two gunicorn workers with local-memory caches served an unpublished article for
    10-20 s on about half the requests. With DEBUG off, `check --deploy` stops that configuration."""
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": backend}}
    errors = [
        e for e in run_checks(tags=[Tags.caches], include_deployment_checks=True) if e.id == "newsdesk.E002"
    ]
    assert len(errors) == 1 and "CACHE_URL" in errors[0].hint
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}
    }
    assert not [
        e for e in run_checks(tags=[Tags.caches], include_deployment_checks=True) if e.id == "newsdesk.E002"
    ]


def test_a_development_server_may_keep_its_cache_in_its_one_process(settings):
    settings.DEBUG = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert not [
        e for e in run_checks(tags=[Tags.caches], include_deployment_checks=True) if e.id == "newsdesk.E002"
    ]

"""Settings of the Wagtail peer: `wagtail start`'s project template in production mode, on SQLite.

A benchmark peer only, never imported by Newsdesk. Every request renders: no page cache, no cache
settings beyond Django's and Wagtail's defaults, no static files served (the benchmark fetches HTML).

Environment: DATABASE_PATH (SQLite file, default bench/data/peers/wagtail.sqlite3 under the repo root),
DEBUG (off unless 1/true/yes/on), SECRET_KEY (a fixed fallback: this site holds nothing secret).
"""

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent  # bench/peers/wagtail/peer
BASE_DIR = PROJECT_DIR.parent  # bench/peers/wagtail
REPO_ROOT = BASE_DIR.parent.parent.parent  # the Newsdesk checkout

DEBUG = os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
SECRET_KEY = (
    os.environ.get("SECRET_KEY") or "wagtail-peer-insecure-fallback-key-for-benchmarks-only-0123456789"
)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "news",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

# As `wagtail start` ships it.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "peer.urls"
WSGI_APPLICATION = "peer.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": Path(
            os.environ.get("DATABASE_PATH") or REPO_ROOT / "bench" / "data" / "peers" / "wagtail.sqlite3"
        ),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = REPO_ROOT / "bench" / "data" / "peers" / "wagtail-static"
MEDIA_URL = "/media/"
MEDIA_ROOT = REPO_ROOT / "bench" / "data" / "peers" / "wagtail-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Wagtail peer news"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

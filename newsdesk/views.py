"""Views that belong to the installation rather than to the desk: the health check."""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger("newsdesk.health")


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    probe = uuid.uuid4().hex
    cache.set("healthz", probe, timeout=30)
    if cache.get("healthz") != probe:
        raise RuntimeError("the cache did not return the value just stored")


CHECKS = {"database": _database, "cache": _cache}


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers and the cache keeps a value, 503 naming what failed. For load
    balancers and monitoring: no session, no cookies, no content."""
    report, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            healthy = False
            report[name] = "error"
            log.error("health check: %s failed (%s: %s)", name, type(error).__name__, error)
        else:
            report[name] = "ok"
    return JsonResponse(report, status=200 if healthy else 503)

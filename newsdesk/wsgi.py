"""WSGI entry point, as used by gunicorn: `gunicorn newsdesk.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")

application = get_wsgi_application()

# The scanner's word lists (wordfreq, names, jieba's dictionary) load here, once per worker, not in the
# first request that scans a text.
from cases.scanner import load_all  # noqa: E402

load_all()

"""WSGI entry point, as used by gunicorn: `gunicorn newsdesk.wsgi`.

The scanner's word lists (wordfreq, names, jieba's dictionary) load in the first request that scans a
text, not here: a worker serving readers never needs them, and they are most of a worker's memory
(docs/scaling.md, "Worker memory").
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")

application = get_wsgi_application()

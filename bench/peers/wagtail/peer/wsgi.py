"""WSGI entry point of the Wagtail peer: gunicorn peer.wsgi (cwd bench/peers/wagtail)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer.settings")

application = get_wsgi_application()

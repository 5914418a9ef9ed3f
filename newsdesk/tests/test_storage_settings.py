"""Public media go to object storage when MEDIA_BUCKET is set, so every app server sees the same files.

Settings are read once per process, so each case starts a fresh Python with its own environment. No real
bucket is needed: building the storage and its public URLs makes no network call.
"""

import importlib.util
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

PROBE = """
import json, django
django.setup()
from django.core.files.storage import storages
default_storage = storages["default"]
print(json.dumps({
    "default": type(default_storage).__module__ + "." + type(default_storage).__name__,
    "private": type(storages["private"]).__name__,
    "bucket": getattr(default_storage, "bucket_name", None),
    "url": default_storage.url("articles/2026/hero.jpg"),
}))
"""


def storage_with(**variables) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_")}
    env.update(DJANGO_SETTINGS_MODULE="newsdesk.settings", DEBUG="true", **variables)
    run = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_media_stay_on_local_disk_without_a_bucket():
    probe = storage_with()
    assert probe["default"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert probe["url"] == "/media/articles/2026/hero.jpg"


@pytest.mark.skipif(importlib.util.find_spec("storages") is None, reason="needs the `s3` extra")
def test_media_go_to_the_bucket_when_one_is_configured_and_consent_forms_never_do():
    probe = storage_with(
        MEDIA_BUCKET="newsdesk-media",
        MEDIA_ENDPOINT_URL="https://objects.example.org",
        MEDIA_CUSTOM_DOMAIN="media.example.org",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",  # noqa: S106 - a dummy; nothing is sent anywhere
    )
    assert probe["default"] == "storages.backends.s3.S3Storage"
    assert probe["bucket"] == "newsdesk-media"
    assert probe["url"] == "https://media.example.org/articles/2026/hero.jpg"  # public, unsigned URLs
    assert probe["private"] == "PrivateFileSystemStorage"  # signed consent forms stay off the public bucket

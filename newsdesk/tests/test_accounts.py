"""Staff accounts (issue 30, item 5): sessions end after 30 minutes idle and 12 hours at most, with a
warning before the idle end where a form is open; the admin has a password reset whose links come from
NEWSDESK_BASE_URL, limited in rate, with the same answer for known and unknown addresses."""

import re
import time

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from newsdesk.accounts import SIGNED_IN_AT

pytestmark = pytest.mark.django_db


def test_a_staff_session_ends_after_30_minutes_without_a_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST, "each request renews the idle limit"


def test_a_staff_session_ends_12_hours_after_signing_in_however_active(client, users):
    client.force_login(users["editor"])
    assert client.get(reverse("admin:index")).status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert client.get(reverse("admin:index")).status_code == 302, "signed out for good"


def test_signed_in_pages_carry_the_idle_warning_and_keep_alive_answers(client, users):
    client.force_login(users["writer"])
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'src="/static/newsdesk/idle-warning.js"' in html and 'data-idle-seconds="1800"' in html
    assert client.get(reverse("admin_keep_alive")).status_code == 204


def test_the_login_page_offers_a_password_reset(client):
    assert reverse("admin_password_reset") in client.get(reverse("admin:login")).content.decode()


def test_the_reset_link_comes_from_the_base_url_whatever_the_host(client, users, settings):
    settings.NEWSDESK_BASE_URL = "https://news.hospital.example"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    response = client.post(reverse("admin_password_reset"), {"email": users["writer"].email},
                           HTTP_HOST="evil.example")  # fmt: skip
    assert response.status_code == 302
    [message] = mail.outbox
    links = re.findall(r"https?://\S+", message.body)
    assert links and all(link.startswith("https://news.hospital.example/admin/reset/") for link in links)


def test_known_and_unknown_addresses_get_the_same_answer(client, users):
    known = client.post(reverse("admin_password_reset"), {"email": users["writer"].email})
    unknown = client.post(reverse("admin_password_reset"), {"email": "nobody@example.test"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1


def test_resets_are_limited_per_address(client, users):
    for _ in range(6):
        response = client.post(reverse("admin_password_reset"), {"email": users["writer"].email})
        assert response.status_code == 302
    assert len(mail.outbox) == 3

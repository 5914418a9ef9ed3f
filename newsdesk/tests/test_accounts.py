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


# --- Guessing passwords (issue 23, item 7): django-axes ---------------------------------------------


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_lock_the_account_from_that_address_even_for_the_right_one(
    client, users, caplog
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "editor", "guess-Winter2026").status_code == 200  # the form again
    with caplog.at_level("WARNING"):
        locked = sign_in(client, "editor", "guess-Spring2026")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many wrong passwords" in page and "Try again in 15 minutes" in page
    assert reverse("admin_password_reset") in page
    assert sign_in(client, "editor", "pw-for-tests").status_code == 429  # the right password waits too
    assert "guess-Spring2026" not in caplog.text and "pw-for-tests" not in caplog.text  # never logged
    assert sign_in(client, "editor", "pw-for-tests", address="198.51.100.4").status_code == 302  # elsewhere


def test_a_successful_sign_in_clears_the_count(client, users):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "editor", "guess")
    assert sign_in(client, "editor", "pw-for-tests").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "editor", "guess")
    assert sign_in(client, "editor", "pw-for-tests").status_code == 302


def test_the_administrator_unlocks_an_account_with_one_command(client, users):
    from django.core.management import call_command

    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "guess")
    assert sign_in(client, "editor", "pw-for-tests").status_code == 429
    call_command("axes_reset_username", "editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sign_in(client, "editor", "pw-for-tests").status_code == 302


def test_behind_the_proxy_the_address_is_the_hop_it_added_and_a_forged_one_changes_nothing(rf):
    from newsdesk.accounts import client_ip

    via_nginx = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(via_nginx) == "203.0.113.7"  # the client wrote 6.6.6.6; nginx appended the real one
    direct = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(direct) == "203.0.113.9"


def test_passwords_are_at_least_12_characters_and_not_common(users):
    """ASVS 5.0, V6.2: a minimum length, no common or all-digit passwords, none like the user's name, no
    rules on character kinds, and long passphrases (64 characters and more) welcome."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("short-pw1", "password1234", "123456789012", "editor@example.test"):
        with pytest.raises(ValidationError):
            validate_password(weak, users["editor"])
    validate_password("a long passphrase of ours", users["editor"])
    validate_password(
        "the heron stood in the cold river all morning and did not catch a single fish", users["editor"]
    )


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_sign_in_page_and_the_lockout_page_pass_axe(browser, live_server, users):
    from articles.tests.browser import check

    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(live_server.url + reverse("admin:login"))
    failures = check(page, "sign-in", "phone")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.fill("#id_username", "editor")
        page.fill("#id_password", "a wrong guess")
        page.click("input[type=submit]")
    assert "Too many wrong passwords" in page.inner_text("main, #content")
    failures += check(page, "locked-out", "phone")
    assert not failures, "\n".join(failures)

"""Issue 23, item 7: staff who can publish or clear patient stories sign in with a password and a code
from an authenticator app, with single-use recovery codes. Tried as someone who has stolen a password."""

import logging
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsdesk.second_factor import new_recovery_codes
from newsdesk.tests.test_settings import settings_from

pytestmark = pytest.mark.django_db

DESK_PAGES = [
    "/admin/",
    "/admin/articles/article/",
    "/admin/articles/article/add/",
    "/admin/cases/case/",
    "/admin/guide/",
    "/admin/second-factor/recovery-codes/",
    "/news/preview/1/",
]


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.NEWSDESK_SECOND_FACTOR = True


def paired(user):
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_now(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in_with_password(client, user):
    response = client.post(reverse("admin:login"), {"username": user.username, "password": "pw-for-tests",
                                                    "next": "/admin/"})  # fmt: skip
    assert response.status_code == 302, "the password is right"
    return response


@pytest.mark.parametrize("role", ["editor", "privacy_officer"])
def test_a_stolen_password_alone_opens_no_desk_page(client, users, role):
    paired(users[role])
    sign_in_with_password(client, users[role])
    for path in DESK_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("second_factor") + "?next="), path


def test_nor_does_it_change_anything(client, users, make_article):
    article = make_article()
    paired(users["editor"])
    sign_in_with_password(client, users["editor"])
    response = client.post(f"/admin/articles/article/{article.pk}/change/", {"title": "Rewritten"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("second_factor"))
    article.refresh_from_db()
    assert article.title != "Rewritten"


def test_every_superuser_is_asked_for_a_code(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.test", "pw-for-tests")
    sign_in_with_password(client, boss)
    assert client.get("/admin/")["Location"].startswith(reverse("second_factor_set_up"))


def test_roles_that_cannot_publish_or_clear_sign_in_with_a_password(client, users):
    for role in ("writer", "medical_reviewer"):
        client.logout()
        sign_in_with_password(client, users[role])
        assert client.get("/admin/").status_code == 200, role
        for page in ("second_factor", "second_factor_set_up", "second_factor_recovery_codes"):
            assert client.get(reverse(page))["Location"] == "/admin/", "no loop, no device to pair"
    assert not TOTPDevice.objects.exists()


def test_the_powers_that_need_it_are_a_setting(client, users, settings):
    """By default: whoever can publish, take down or clear a story, which are the editor's, the privacy
    officer's and every superuser's powers."""
    assert settings_from({"DEBUG": "false"}).NEWSDESK_SECOND_FACTOR_FOR == [
        "articles.publish_article", "articles.take_down_article", "cases.clear_case"
    ]  # fmt: skip
    settings.NEWSDESK_SECOND_FACTOR_FOR = ["articles.add_article"]
    sign_in_with_password(client, users["writer"])
    assert client.get("/admin/").status_code == 302


def test_it_is_on_in_production_and_off_for_the_demo_unless_set():
    assert settings_from({"DEBUG": "false"}).NEWSDESK_SECOND_FACTOR is True
    assert settings_from({"DEBUG": "true"}).NEWSDESK_SECOND_FACTOR is False
    assert settings_from({"DEBUG": "true", "SECOND_FACTOR": "true"}).NEWSDESK_SECOND_FACTOR is True


def test_setting_up_pairs_the_app_by_its_code_and_shows_recovery_codes_once(client, users):
    editor = users["editor"]
    sign_in_with_password(client, editor)
    page = client.get(reverse("second_factor_set_up") + "?next=/admin/articles/article/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html, "a QR code to scan"
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    key = re.search(r'<code class="key">([A-Z2-7 ]+)</code>', html).group(1)
    assert key.replace(" ", "") in device.config_url, "the key to type is the one in the QR code"

    wrong = client.post(reverse("second_factor_set_up"), {"code": "000000"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302, "still not paired"

    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=3), tick=False):
        done = client.post(reverse("second_factor_set_up"), {"code": code_now(device),
                                                             "next": "/admin/articles/article/"})  # fmt: skip
        codes = re.findall(r"<li><code>([a-z2-7-]+)</code></li>", done.content.decode())
        assert len(codes) == 10 and len(set(codes)) == 10
        assert 'href="/admin/articles/article/"' in done.content.decode()
        assert client.get("/admin/").status_code == 200
    stored = set(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & ({c.replace("-", "") for c in codes} | set(codes)), (
        "the database holds fingerprints, never a usable code"
    )


def test_a_stolen_password_cannot_pair_a_second_phone(client, users):
    paired(users["editor"])
    sign_in_with_password(client, users["editor"])
    response = client.get(reverse("second_factor_set_up"))
    assert response["Location"].startswith(reverse("second_factor"))
    assert not TOTPDevice.objects.filter(user=users["editor"], confirmed=False).exists()


def test_the_right_code_opens_the_desk_for_this_session_only(client, users):
    device = paired(users["editor"])
    sign_in_with_password(client, users["editor"])
    response = client.post(reverse("second_factor"), {"code": code_now(device), "next": "/admin/cases/case/"})
    assert response.status_code == 302 and response["Location"] == "/admin/cases/case/"
    assert client.get("/admin/cases/case/").status_code == 200
    client.logout()
    sign_in_with_password(client, users["editor"])
    assert client.get("/admin/").status_code == 302, "a new sign-in asks again"


def test_a_code_seen_over_a_shoulder_cannot_be_used_again(client, users):
    device = paired(users["editor"])
    code = code_now(device)
    sign_in_with_password(client, users["editor"])
    client.post(reverse("second_factor"), {"code": code})
    client.logout()
    sign_in_with_password(client, users["editor"])
    again = client.post(reverse("second_factor"), {"code": code})
    assert again.status_code == 200 and client.get("/admin/").status_code == 302


def test_wrong_codes_slow_down_and_are_logged_without_the_code(client, users, caplog):
    device = paired(users["editor"])
    sign_in_with_password(client, users["editor"])
    with caplog.at_level(logging.WARNING, logger="newsdesk.audit"):
        client.post(reverse("second_factor"), {"code": "123456"})
    right_at_once = client.post(reverse("second_factor"), {"code": code_now(device)})
    assert "Too many wrong codes" in right_at_once.content.decode(), "guessing is throttled"
    assert client.get("/admin/").status_code == 302
    assert "wrong code" in caplog.text and "123456" not in caplog.text


def test_a_recovery_code_works_once(client, users):
    paired(users["privacy_officer"])
    codes = new_recovery_codes(users["privacy_officer"])
    sign_in_with_password(client, users["privacy_officer"])
    used = client.post(reverse("second_factor"), {"code": codes[3].upper().replace("-", " ")})
    assert used.status_code == 302, "typed in capitals with spaces, it still reads"
    assert client.get("/admin/").status_code == 200
    client.logout()
    sign_in_with_password(client, users["privacy_officer"])
    assert client.post(reverse("second_factor"), {"code": codes[3]}).status_code == 200
    assert client.get("/admin/").status_code == 302


def test_another_person_s_codes_do_not_open_this_account(client, users):
    other = paired(users["privacy_officer"])
    other_codes = new_recovery_codes(users["privacy_officer"])
    paired(users["editor"])
    sign_in_with_password(client, users["editor"])
    client.post(reverse("second_factor"), {"code": code_now(other)})
    client.post(reverse("second_factor"), {"code": other_codes[0]})
    assert client.get("/admin/").status_code == 302


def test_new_recovery_codes_void_the_old_ones(client, users):
    device = paired(users["editor"])
    old = new_recovery_codes(users["editor"])
    sign_in_with_password(client, users["editor"])
    client.post(reverse("second_factor"), {"code": code_now(device)})
    assert "10 unused recovery codes" in client.get(reverse("second_factor_recovery_codes")).content.decode()
    fresh = re.findall(r"<li><code>([a-z2-7-]+)</code></li>",
                       client.post(reverse("second_factor_recovery_codes")).content.decode())  # fmt: skip
    assert len(fresh) == 10 and not set(fresh) & set(old)
    client.logout()
    sign_in_with_password(client, users["editor"])
    assert client.post(reverse("second_factor"), {"code": old[0]}).status_code == 200
    with time_machine.travel(
        timezone.now() + timezone.timedelta(seconds=2)
    ):  # after the wait a wrong code set
        assert client.post(reverse("second_factor"), {"code": fresh[0]}).status_code == 302


def test_the_code_page_sends_nobody_to_another_site(client, users):
    device = paired(users["editor"])
    sign_in_with_password(client, users["editor"])
    response = client.post(
        reverse("second_factor"), {"code": code_now(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("admin:index")


def test_the_way_out_stays_open(client, users):
    paired(users["editor"])
    sign_in_with_password(client, users["editor"])
    assert client.post(reverse("admin:logout")).status_code == 200
    assert client.get(reverse("admin_password_reset")).status_code == 200


def test_without_the_setting_nobody_is_asked(client, users, settings):
    settings.NEWSDESK_SECOND_FACTOR = False
    sign_in_with_password(client, users["editor"])
    assert client.get("/admin/").status_code == 200


def test_an_administrator_removing_a_lost_phone_sends_its_owner_to_set_up(client, users):
    paired(users["editor"]).delete()
    sign_in_with_password(client, users["editor"])
    assert client.get("/admin/")["Location"].startswith(reverse("second_factor_set_up"))

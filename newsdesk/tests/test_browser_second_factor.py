"""Issue 23, item 7, in Chromium: an editor signs in with a password and a code from their app; the
set-up, code and recovery-code pages pass axe at phone and desktop widths."""

import re

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.tests.browser import WIDTHS, check
from newsdesk.tests.test_second_factor import code_now, paired

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.NEWSDESK_SECOND_FACTOR = True


def password(page, live_server, username, then="/admin/articles/article/"):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")


def test_an_editor_signs_in_with_a_code_from_their_app(page, live_server, users):
    device = paired(users["editor"])
    password(page, live_server, "editor")
    assert "/admin/second-factor/" in page.url
    assert page.locator("#id_code").evaluate("e => e === document.activeElement"), "the cursor is in the box"
    page.fill("#id_code", code_now(device))
    page.click("input[type=submit]")
    page.wait_for_selector("#changelist")
    assert page.url.endswith("/admin/articles/article/")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_second_factor_pages_pass_axe(browser, live_server, users, width):
    page = browser.new_page(viewport=WIDTHS[width])
    failures = []
    password(page, live_server, "privacy_officer")
    assert "/admin/second-factor/set-up/" in page.url
    failures += check(page, "second-factor-set-up", width)
    device = TOTPDevice.objects.get(user=users["privacy_officer"])
    key = re.sub(r"\s", "", page.locator("code.key").inner_text())
    assert key and key in device.config_url
    page.fill("#id_code", code_now(device))
    page.click("input[type=submit]")
    page.wait_for_selector("ul.codes")
    failures += check(page, "second-factor-recovery-codes", width)
    page.click("text=I have kept them: continue")
    page.wait_for_selector("#changelist")

    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=31), tick=False):
        password(page, live_server, "privacy_officer")
        page.fill("#id_code", "000000")
        page.click("input[type=submit]")
        page.wait_for_selector(".errorlist")
        failures += check(page, "second-factor-wrong-code", width)
    page.close()
    assert not failures, "\n".join(failures)

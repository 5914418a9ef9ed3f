"""Who else is editing (#25, item 2): each open tab beats, and hears who else has the item open and since
when; the same person's second tab is named as theirs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Presence
from articles.tests.browser import check, log_in, open_article

ADDRESS = "/admin/articles/article/7/change/"


def beat(client, tab, address=ADDRESS):
    return client.post(reverse("admin_presence") + f"?address={address}&tab={tab}")


@pytest.mark.django_db
class TestPresence:
    def test_each_person_hears_who_else_has_the_item_open_and_since_when(self, client, users):
        users["editor"].first_name, users["editor"].last_name = "Mira", "Castellanos"
        users["editor"].save()
        client.force_login(users["editor"])
        assert beat(client, "tab-of-the-editor").json() == {"others": []}

        client.force_login(users["writer"])
        others = beat(client, "tab-of-the-writer").json()["others"]
        assert [(o["name"], o["yours"]) for o in others] == [("Mira Castellanos", False)]
        assert others[0]["since"]

    def test_the_same_person_in_a_second_tab_is_told_it_is_their_other_tab(self, client, users):
        client.force_login(users["writer"])
        beat(client, "first-tab-0001")
        (other,) = beat(client, "second-tab-0002").json()["others"]
        assert other["yours"] is True

    def test_a_tab_that_stops_beating_or_closes_is_no_longer_listed(self, client, users):
        client.force_login(users["editor"])
        beat(client, "closed-tab-01")
        beat(client, "silent-tab-01")
        client.delete(reverse("admin_presence") + f"?address={ADDRESS}&tab=closed-tab-01")
        Presence.objects.filter(tab="silent-tab-01").update(seen_at=timezone.now() - timedelta(minutes=1))
        client.force_login(users["writer"])
        assert beat(client, "writer-tab-01").json() == {"others": []}

    @pytest.mark.parametrize(
        "address, tab", [("/news/x/", "good-tab-01"), (ADDRESS, "x"), (ADDRESS, "<b>x</b>!!")]
    )
    def test_other_addresses_and_odd_tabs_are_refused(self, client, users, address, tab):
        client.force_login(users["writer"])
        assert beat(client, tab, address).status_code == 400

    def test_nobody_outside_the_desk_is_heard(self, client):
        assert beat(client, "anonymous-01").status_code == 302
        assert not Presence.objects.exists()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_people_and_a_second_tab_in_chromium(browser, live_server, users, make_article):
    article = make_article(author=users["writer"])
    users["writer"].first_name, users["writer"].last_name = "Tomas", "Ferreira"
    users["writer"].save()
    size = {"viewport": {"width": 1280, "height": 900}}
    writer_context, editor_context = browser.new_context(**size), browser.new_context(**size)
    writer = writer_context.new_page()
    log_in(writer, live_server, "writer")
    open_article(writer, live_server, article)

    editor = editor_context.new_page()
    log_in(editor, live_server, "editor")
    open_article(editor, live_server, article)
    editor.locator(".presence", has_text="Tomas Ferreira also has this open").wait_for(timeout=10_000)

    second = writer_context.new_page()
    open_article(second, live_server, article)
    second.locator(".presence", has_text="You also have this open in another tab").wait_for(timeout=10_000)
    failures = check(second, "presence", "desktop", part=".presence")
    assert not failures, "\n".join(failures)
    writer_context.close()
    editor_context.close()

"""The newsroom's own pages (#26, item 2): about, contact, the privacy notice, the accessibility
statement, the editorial and medical-review policy and the corrections policy. Editors keep them in the
admin, the footer links the live ones, and their text passes the privacy gate before readers get it."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from articles.models import Page
from articles.services import save_page

pytestmark = pytest.mark.django_db

ABOUT = {
    "title": "About the newsroom",
    "slug": "about",
    "summary": "Who writes the hospital's news and who checks it.",
    "body": "<p>The communications team writes the news; clinicians check it before it goes out.</p>",
    "footer_position": 1,
}


def page_of(**fields):
    return save_page(Page(**({"is_live": True} | ABOUT | fields)))


def form_of(page=None, **changes):
    data = ABOUT | {"is_live": "on"} | changes
    return {k: v for k, v in data.items() if v is not None}


class TestReadersGetThem:
    def test_a_live_page_at_its_own_address_linked_from_every_footer(self, client):
        page_of()
        home = client.get("/").content.decode()
        assert '<a href="/about/">About the newsroom</a>' in home
        response = client.get("/about/")
        assert response.status_code == 200 and b"clinicians check it" in response.content
        assert b"Last updated" in response.content

    def test_the_footer_is_in_the_order_editors_set(self, client):
        page_of()
        page_of(title="Corrections policy", slug="corrections", footer_position=0)  # not in the footer
        page_of(title="Contact and media enquiries", slug="contact-us", footer_position=2)
        footer = client.get("/").content.decode().split('aria-label="About the newsroom"')[1]
        assert footer.index("About the newsroom") < footer.index("Contact and media enquiries")
        assert "Corrections policy" not in footer

    def test_a_page_not_yet_live_is_404_and_one_taken_offline_410(self, client):
        page_of(is_live=False)
        assert client.get("/about/").status_code == 404
        page = Page.objects.get()
        page.is_live = True
        save_page(page)
        assert client.get("/about/").status_code == 200
        page.is_live = False
        save_page(page)
        assert client.get("/about/").status_code == 410
        assert client.get("/never-a-page/").status_code == 404

    def test_taking_a_page_out_of_the_footer_changes_every_cached_page(self, client):
        page = page_of()
        assert b'href="/about/"' in client.get("/news/").content  # now cached
        page.footer_position = 0
        save_page(page)
        assert b'href="/about/"' not in client.get("/news/").content

    def test_a_page_written_around_the_gates_is_not_served(self, client):
        page = page_of()
        Page.objects.filter(pk=page.pk).update(body="<p>Changed in the database by hand.</p>")
        cache.clear()
        assert client.get("/about/").status_code == 410
        assert b'href="/about/"' not in client.get("/").content

    def test_a_page_that_moved_sends_readers_to_its_new_address(self, client):
        page = page_of()
        page.slug = "about-us"
        save_page(page)
        response = client.get("/about/")
        assert response.status_code == 301 and response["Location"] == "/about-us/"

    def test_a_page_readers_have_seen_is_never_deleted(self, client, users):
        from django.db import transaction
        from django.db.models import ProtectedError

        page = page_of()
        with pytest.raises(ProtectedError), transaction.atomic():
            page.delete()
        draft = page_of(slug="draft", is_live=False)
        draft.delete()  # never live: it may go
        client.force_login(users["editor"])
        assert client.get(reverse("admin:articles_page_delete", args=[page.pk])).status_code == 403

    def test_live_pages_are_in_the_sitemap(self, client):
        page_of()
        assert b"/about/" in client.get("/sitemap-about.xml").content


class TestThePrivacyGate:
    def test_a_patient_s_details_keep_a_page_from_going_live_and_say_what_to_do(self, client, users):
        client.force_login(users["editor"])
        response = client.post(
            reverse("admin:articles_page_add"),
            form_of(body="<p>Thanks to Margarethe Oyelaran-Kimura, treated on 14 March 2023, bed 12.</p>"),
        )
        assert response.status_code == 200 and not Page.objects.exists()
        errors = " ".join(response.context["adminform"].form.errors["is_live"])
        assert "Text:" in errors and "date more precise than a year" in errors
        assert "public names" in errors and "Oyelaran" not in errors  # names the kind, never the finding

    def test_a_draft_page_is_kept_whatever_the_gate_says_but_never_served(self, client, users):
        client.force_login(users["editor"])
        client.post(
            reverse("admin:articles_page_add"),
            form_of(is_live=None, body="<p>Call Margarethe Oyelaran-Kimura on +1 555 0199.</p>"),
        )
        assert Page.objects.get().cleared_text == ""
        assert client.get("/about/").status_code == 404

    def test_the_newsroom_s_own_details_pass_once_the_privacy_officer_lists_them(self, client, users):
        from django.core.exceptions import ValidationError

        contact = {"body": "<p>Press line: +1 555 0142. Email: press@newsroom.example</p>", "slug": "contact"}
        with pytest.raises(ValidationError):
            page_of(**contact)
        from django.apps import apps

        PublicName = apps.get_model(
            "cases", "PublicName"
        )  # the privacy officer's list (articles can't import cases)
        for name in ("+1 555 0142", "press@newsroom.example"):
            PublicName.objects.create(name=name, kind="institution", note="The press office's own contact.")
        assert page_of(**contact).is_public


class TestInTheDesk:
    def test_editors_edit_pages_and_writers_do_not(self, client, users):
        client.force_login(users["editor"])
        response = client.post(reverse("admin:articles_page_add"), form_of())
        assert response.status_code == 302 and Page.objects.get().is_public
        client.force_login(users["writer"])
        assert client.get(reverse("admin:articles_page_changelist")).status_code == 403

    @pytest.mark.parametrize("slug", ["news", "search", "stories", "admin", "diseases", "therapies"])
    def test_an_address_the_site_already_uses_is_refused(self, client, users, slug):
        client.force_login(users["editor"])
        response = client.post(reverse("admin:articles_page_add"), form_of(slug=slug))
        assert response.status_code == 200
        assert "already an address of the site" in str(response.context["adminform"].form.errors["slug"])

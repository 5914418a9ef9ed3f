"""Nothing is lost (#25, item 1): the desk forms' autosave drafts on the server, and a chosen upload that
survives a form coming back with errors. The browser half (type, close, reopen, restore) is in
test_browser_autosave.py."""

import json
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles.desk import autosave, kept_uploads
from articles.models import Article, FormDraft
from articles.tests.test_admin import change_url, form_data
from articles.tests.test_images import MARKER, jpeg_with_everything

pytestmark = pytest.mark.django_db

DRAFTS = reverse("admin_form_draft")


def keep(client, address, fields):
    return client.post(
        f"{DRAFTS}?address={address}", json.dumps({"fields": fields}), content_type="application/json"
    )


class TestDrafts:
    def test_a_draft_is_kept_and_given_back_to_its_writer_only(self, client, users, make_article):
        address = change_url(make_article())
        client.force_login(users["writer"])
        assert (
            keep(client, address, {"title": "Half-written headline", "diseases": ["3", "7"]}).status_code
            == 200
        )

        back = client.get(DRAFTS, {"address": address}).json()
        assert back["fields"] == {"title": "Half-written headline", "diseases": ["3", "7"]}
        assert back["saved_at_display"]

        client.force_login(users["editor"])
        assert client.get(DRAFTS, {"address": address}).status_code == 204  # none of theirs

    def test_saving_again_replaces_the_draft_and_discarding_drops_it(self, client, users):
        client.force_login(users["writer"])
        keep(client, "/admin/articles/article/add/", {"title": "First"})
        keep(client, "/admin/articles/article/add/", {"title": "Second"})
        assert list(FormDraft.objects.values_list("fields", flat=True)) == [{"title": "Second"}]

        client.delete(f"{DRAFTS}?address=/admin/articles/article/add/")
        assert not FormDraft.objects.exists()

    @pytest.mark.parametrize(
        "address, fields",
        [
            ("/news/some-article/", {"title": "x"}),  # not a desk form
            ("/admin/articles/article/add/", {"title": {"nested": "object"}}),
            ("/admin/articles/article/add/", {"body": "x" * (autosave.MAX_CHARACTERS + 1)}),
            ("/admin/articles/article/add/", {f"f{n}": "x" for n in range(autosave.MAX_FIELDS + 1)}),
        ],
    )
    def test_what_is_not_a_desk_form_s_draft_is_refused_with_a_reason(self, client, users, address, fields):
        client.force_login(users["writer"])
        refused = keep(client, address, fields)
        assert refused.status_code == 400 and refused.json()["error"]
        assert not FormDraft.objects.exists()

    def test_people_outside_the_desk_reach_nothing(self, client):
        assert keep(client, "/admin/articles/article/add/", {"title": "x"}).status_code == 302
        assert not FormDraft.objects.exists()

    def test_a_successful_save_drops_the_draft_and_a_failed_one_keeps_it(self, client, users, make_article):
        article = make_article(author=users["writer"])
        client.force_login(users["writer"])
        keep(client, change_url(article), {"title": "Typed, not saved"})

        client.post(change_url(article), form_data(article, title=""))  # refused: no headline
        assert FormDraft.objects.exists()
        client.post(change_url(article), form_data(article, title="Saved at last"))
        assert not FormDraft.objects.exists()

    def test_drafts_nobody_came_back_to_are_forgotten_after_a_week(self, users):
        old = FormDraft.objects.create(user=users["writer"], address="/admin/a/", fields={})
        FormDraft.objects.filter(pk=old.pk).update(saved_at=timezone.now() - timedelta(days=8))
        FormDraft.objects.create(user=users["writer"], address="/admin/b/", fields={})
        assert autosave.forget_old_drafts() == 1
        assert list(FormDraft.objects.values_list("address", flat=True)) == ["/admin/b/"]


class TestAChosenUploadSurvivesErrors:
    def post_with_error(self, client, article):
        photo = SimpleUploadedFile("ward-7-bed-3.jpg", jpeg_with_everything((900, 600)), "image/jpeg")
        data = form_data(article, title="", hero_alt="A nurse at an infusion pump")
        return client.post(change_url(article), {**data, "hero_image": photo}).content.decode()

    def test_the_form_that_comes_back_keeps_the_file_and_the_next_save_stores_it(
        self, client, users, make_article
    ):
        article = make_article(author=users["writer"])
        client.force_login(users["writer"])
        page = self.post_with_error(client, article)
        assert "This field is required." in page
        assert "Your file ward-7-bed-3.jpg is kept" in page
        ticket = page.split('name="hero_image_kept" value="')[1].split('"')[0]

        data = form_data(article, title="Now with a headline", hero_alt="A nurse at an infusion pump")
        saved = client.post(change_url(article), {**data, "hero_image_kept": ticket})
        assert saved.status_code == 302
        article = Article.objects.get(pk=article.pk)
        assert article.hero_image and "ward" not in article.hero_image.name

    def test_the_kept_copy_has_no_metadata_and_no_uploaded_name(self, client, users, make_article):
        client.force_login(users["writer"])
        self.post_with_error(client, make_article(author=users["writer"]))
        storage = storages["private"]
        (name,) = storage.listdir(kept_uploads.FOLDER)[1]
        assert "ward" not in name
        with storage.open(f"{kept_uploads.FOLDER}/{name}") as kept:
            assert MARKER.encode() not in kept.read()

    def test_a_forged_or_expired_ticket_brings_nothing(self, client, users, make_article):
        article = make_article(author=users["writer"])
        client.force_login(users["writer"])
        data = form_data(article, title="A headline")
        client.post(change_url(article), {**data, "hero_image_kept": "private/consents/form.pdf"})
        assert not Article.objects.get(pk=article.pk).hero_image
        assert kept_uploads.take(
            kept_uploads.keep(SimpleUploadedFile("a.jpg", jpeg_with_everything()))["ticket"]
        )

    def test_kept_files_older_than_a_day_are_deleted(self, client, users, make_article):
        kept_uploads.keep(SimpleUploadedFile("a.jpg", jpeg_with_everything()))
        assert kept_uploads.forget_kept_uploads(now=timezone.now()) == 0
        assert kept_uploads.forget_kept_uploads(now=timezone.now() + timedelta(days=2)) == 1

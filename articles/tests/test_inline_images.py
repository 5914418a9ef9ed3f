"""Pictures inside the text (#25, item 3): uploaded beside the article with required alt text, a caption
and a credit; stored as the hero image is, without their metadata and under a random name; placed by a
code on a line of its own; served to readers as responsive <picture> elements."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import ArticleImage, Status
from articles.standards import check_article
from articles.tests.test_admin import form_data
from articles.tests.test_images import assert_metadata_free, jpeg_with_everything, served_bytes

pytestmark = pytest.mark.django_db


def picture_of(article, **fields):
    fields = {"alt": "A nurse checks the infusion pump", "credit": "Hospital photo unit"} | fields
    return ArticleImage.objects.create(
        article=article, image=SimpleUploadedFile("IMG_2041.jpg", jpeg_with_everything()), **fields
    )


class TestInTheDesk:
    def test_a_writer_adds_a_picture_beside_the_text_and_gets_its_code(self, client, users, make_article):
        article = make_article(author=users["writer"])
        client.force_login(users["writer"])
        upload = SimpleUploadedFile("IMG_2041.jpg", jpeg_with_everything(), content_type="image/jpeg")
        data = form_data(article, _continue="1") | {
            "images-TOTAL_FORMS": "1",
            "images-0-image": upload,
            "images-0-alt": "A nurse checks the infusion pump",
            "images-0-caption": "The day unit gives most infusions.",
            "images-0-credit": "Hospital photo unit",
        }
        response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
        assert response.status_code == 302
        image = article.images.get()
        assert image.code == "[image 1]"
        assert "IMG_2041" not in image.image.name  # a random name, as the hero image gets
        assert_metadata_free(served_bytes(image.image.name))
        page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
        assert "<code>[image 1]</code>" in page and "Place in the text" in page

    def test_a_picture_without_alt_text_is_refused_and_says_why(self, client, users, make_article):
        article = make_article(author=users["writer"])
        client.force_login(users["writer"])
        data = form_data(article) | {
            "images-TOTAL_FORMS": "1",
            "images-0-image": SimpleUploadedFile("a.jpg", jpeg_with_everything(), content_type="image/jpeg"),
            "images-0-alt": "",
            "images-0-credit": "Hospital photo unit",
        }
        response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
        assert response.status_code == 200 and not article.images.exists()
        assert response.context["inline_admin_formsets"][0].formset.errors[0]["alt"]

    def test_a_published_article_s_pictures_are_locked_with_its_text(self, client, users, make_article):
        article = make_article(author=users["writer"], status=Status.PUBLISHED)
        picture_of(article)
        client.force_login(users["editor"])
        formset = client.get(reverse("admin:articles_article_change", args=[article.pk])).context[
            "inline_admin_formsets"
        ][0]
        assert not formset.has_add_permission and not formset.has_change_permission

    def test_a_file_name_for_alt_text_blocks_submission(self, users, make_article):
        article = make_article(author=users["writer"])
        picture_of(article, alt="IMG_2041.jpg")
        report = check_article(article)
        assert [f.field for f in report.blocking] == ["images"]


class TestOnThePublicPage:
    def test_the_code_becomes_a_responsive_picture_with_caption_and_credit(self, client, make_article):
        article = make_article(status=Status.PUBLISHED, body="<p>Before.</p><p>[image 1]</p><p>After.</p>")
        picture_of(article, caption="The day unit gives most infusions.")
        page = client.get(article.get_absolute_url()).content.decode()
        figure = re.search(r'<figure class="inline-image">.*?</figure>', page, re.S).group()
        assert '<source type="image/webp"' in figure and 'alt="A nurse checks the infusion pump"' in figure
        assert "The day unit gives most infusions." in figure and "Hospital photo unit" in figure
        assert "[image 1]" not in page
        assert page.index("Before.") < page.index("inline-image") < page.index("After.")

    def test_a_code_naming_no_picture_shows_readers_nothing(self, client, make_article):
        article = make_article(status=Status.PUBLISHED, body="<p>Text.</p><p>[image 7]</p>")
        page = client.get(article.get_absolute_url()).content.decode()
        assert "[image 7]" not in page and "inline-image" not in page

    def test_a_text_without_pictures_asks_for_none(self, client, make_article):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        article = make_article(status=Status.PUBLISHED)
        with CaptureQueriesContext(connection) as queries:
            client.get(article.get_absolute_url())
        assert queries.captured_queries and not [q for q in queries if "articles_articleimage" in q["sql"]]

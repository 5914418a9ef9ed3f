"""Author and medical-reviewer pages (#26, item 2): name, role, credentials and their articles, for staff
who chose to show one, on their own "My public page"; a page taken down answers 410."""

import pytest
from django.urls import reverse

from articles import workflow
from articles.models import StaffProfile, Status
from articles.tests.test_admin import ANSWERED

pytestmark = pytest.mark.django_db


def choose(client, user, **fields):
    client.force_login(user)
    data = {"public_name": "", "credentials": ""} | fields
    return client.post(reverse("admin_my_page"), data)


def test_staff_choose_their_page_and_readers_find_what_they_reviewed_and_wrote(client, users, make_article):
    reviewer, writer = users["medical_reviewer"], users["writer"]
    article = make_article(author=writer, title="Cell therapy for lupus")
    workflow.transition(article, to=Status.IN_REVIEW, by=writer)
    workflow.sign_off(article, by=reviewer, answers=ANSWERED)
    workflow.transition(article, to=Status.PUBLISHED, by=users["editor"])
    assert choose(client, reviewer, public_name="Dr Amina Clarke", credentials="MD, haematologist",
                  shows_page="on").status_code == 302  # fmt: skip
    client.logout()
    profile = StaffProfile.objects.get(user=reviewer)
    page = client.get(profile.get_absolute_url()).content.decode()
    assert "Dr Amina Clarke" in page and "MD, haematologist" in page and "Medical reviewer" in page
    assert "Articles medically reviewed" in page and "Cell therapy for lupus" in page
    article_page = client.get(article.get_absolute_url()).content.decode()
    assert f'<a href="{profile.get_absolute_url()}">Dr Amina Clarke</a>' in article_page


def test_without_the_choice_there_is_no_page_and_taking_it_down_answers_410(client, users):
    writer = users["writer"]
    choose(client, writer, public_name="Wren Writer", shows_page="on")
    url = StaffProfile.objects.get(user=writer).get_absolute_url()
    assert client.get(url).status_code == 200
    choose(client, writer, public_name="Wren Writer")  # unticked
    client.logout()
    assert client.get(url).status_code == 410
    assert client.get("/people/nobody-here/").status_code == 404


def test_an_editor_cannot_choose_for_someone_else(client, users):
    profile = StaffProfile.objects.create(user=users["writer"], public_name="Wren Writer")
    client.force_login(users["editor"])
    client.post(
        reverse("admin:articles_staffprofile_change", args=[profile.pk]),
        {"user": users["writer"].pk, "public_name": "Wren Writer", "credentials": "", "shows_page": "on"},
    )
    profile.refresh_from_db()
    assert profile.shows_page is False

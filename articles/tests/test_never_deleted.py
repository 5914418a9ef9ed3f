"""What was public is never deleted, by anyone, through any path (issue 23, item 2). Tried as an insider
would: the model, a bulk delete in the shell, the admin as a superuser, and cascades from users and
terms. A draft that was never public may go, and its going is logged."""

import logging

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from articles import workflow
from articles.models import Article, ArticleEvent, DiseaseTag, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def once_public(users, make_article):
    """Published, then unpublished again: readers may have its address and the desk has its history."""
    article = make_article(title="Once public", status=Status.PUBLISHED, author=users["writer"])
    ArticleEvent.record(article, by=users["editor"], action=ArticleEvent.Action.PUBLISHED)
    workflow.transition(article, to=Status.DRAFT, by=users["editor"], comment="Taken down for now.")
    article.refresh_from_db()
    return article


def test_the_model_refuses_to_delete_an_article_that_was_public(once_public):
    with pytest.raises(ProtectedError, match="Retract it instead"), transaction.atomic():
        once_public.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        Article.objects.filter(pk=once_public.pk).delete()
    assert Article.objects.filter(pk=once_public.pk).exists()
    assert once_public.events.count() == 2


def test_a_superuser_finds_no_bulk_delete_and_no_delete_page(admin_client, once_public):
    changelist = admin_client.get(reverse("admin:articles_article_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    delete = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [once_public.pk], "post": "yes"},
    )
    assert delete.status_code in (200, 302)
    assert (
        admin_client.get(reverse("admin:articles_article_delete", args=[once_public.pk])).status_code == 403
    )
    assert Article.objects.filter(pk=once_public.pk).exists()


def test_a_person_with_history_cannot_be_deleted_only_deactivated(users, once_public):
    with pytest.raises(ProtectedError), transaction.atomic():
        users["editor"].delete()  # the actor of its moves
    with pytest.raises(ProtectedError), transaction.atomic():
        users["writer"].delete()  # its owner
    users["editor"].is_active = False
    users["editor"].save()
    assert once_public.events.filter(actor=users["editor"]).count() == 2


def test_deleting_a_term_unlinks_it_and_deletes_no_article(vocabulary, users, make_article):
    lupus = DiseaseTag.objects.get(slug="systemic-lupus-erythematosus")
    article = make_article(status=Status.PUBLISHED, diseases=[lupus])
    lupus.delete()
    assert Article.objects.filter(pk=article.pk).exists()


def test_a_draft_that_was_never_public_may_be_deleted_and_that_is_logged(make_article, caplog):
    draft = make_article(title="A first idea", status=Status.DRAFT)
    pk = draft.pk
    with caplog.at_level(logging.INFO, logger="newsdesk.audit"):
        draft.delete()
    assert not Article.objects.filter(pk=pk).exists()
    assert f"article {pk} deleted: a draft that was never public" in caplog.text
    assert "A first idea" not in caplog.text  # by number: a headline can name a patient

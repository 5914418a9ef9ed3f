"""Fixtures the patient-story tests share."""

import pytest

from articles import workflow
from articles.models import Status


@pytest.fixture
def ready(users, make_article):
    """An article in review with a current medical sign-off: only the privacy gate can stop it now."""

    def make(**fields):
        article = make_article(status=Status.IN_REVIEW, author=users["writer"], **fields)
        workflow.sign_off(article, by=users["medical_reviewer"])
        return article

    return make

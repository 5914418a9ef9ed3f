"""Roles are groups of permissions, written by one idempotent command; code checks permissions only."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles import workflow
from articles.models import Status
from articles.roles import ROLES


def group_permissions():
    return {
        group.name: sorted(f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all())
        for group in Group.objects.prefetch_related("permissions__content_type")
    }


@pytest.mark.django_db
def test_setup_roles_creates_the_four_groups_with_exactly_their_permissions():
    call_command("setup_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert group_permissions() == {role: sorted(codes) for role, codes in ROLES.items()}
    assert set(ROLES) == {"Writer", "Medical reviewer", "Editor", "Privacy officer"}


@pytest.mark.django_db
def test_setup_roles_is_idempotent_and_repairs_drift():
    call_command("setup_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    Group.objects.get(name="Writer").permissions.clear()
    call_command("setup_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("setup_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert group_permissions() == {role: sorted(codes) for role, codes in ROLES.items()}
    assert Group.objects.count() == 4


def test_every_workflow_permission_is_held_by_some_role():
    held = {code for codes in ROLES.values() for code in codes}
    for move in workflow.MOVES.values():
        assert move.permission in held, move.name
    assert workflow.SIGN_OFF_PERMISSION in held


def test_code_never_checks_group_names():
    pattern = re.compile(r"groups__name|groups\.filter\(name|\.groups\.get\(name|in_group")
    for app in ("articles", "cases", "newsdesk"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "tests" in path.parts or "management" in path.parts:
                continue
            assert not pattern.search(path.read_text()), path


@pytest.mark.django_db
class TestOnePermissionLayer:
    """Issue 22, item 3: the access table's rows are object permissions, asked as `has_perm(name, item)`."""

    def test_the_object_permissions_weigh_the_item_its_state_and_its_author(self, users, make_article):
        draft = make_article(author=users["writer"])
        in_review = make_article(author=users["writer"], status=Status.IN_REVIEW)
        assert users["writer"].has_perm("articles.edit_article", draft)
        assert not users["other_writer"].has_perm("articles.edit_article", draft)  # not hers
        assert users["editor"].has_perm("articles.edit_article", draft)
        assert users["medical_reviewer"].has_perm("articles.sign_off_article", in_review)
        assert not users["medical_reviewer"].has_perm("articles.sign_off_article", draft)  # not in review
        assert not users["writer"].has_perm("articles.publish_article", in_review)

    def test_a_superuser_is_held_to_the_four_eyes_rule(self, users, admin_user, make_article):
        from articles import access, workflow

        article = make_article(author=admin_user, status=Status.IN_REVIEW)
        workflow.sign_off(article, by=users["medical_reviewer"])
        assert not access.may(admin_user, "publish", access.ARTICLE, article)
        assert access.may(users["editor"], "publish", access.ARTICLE, article)
        with pytest.raises(workflow.TransitionNotAllowed, match="four-eyes"):
            workflow.transition(article, to=Status.PUBLISHED, by=admin_user)

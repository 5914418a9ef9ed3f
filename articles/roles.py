"""The editorial roles and what each may do: the table that maps groups to permissions.

Articles' permissions are written here; another app adds its own with `grant()` when it loads. Code
checks permissions, never these group names; `manage.py setup_roles` writes the table into the
database, and running it again changes nothing.
"""

WRITER = "Writer"
MEDICAL_REVIEWER = "Medical reviewer"
EDITOR = "Editor"
PRIVACY_OFFICER = "Privacy officer"


def grant(grants: dict[str, list[str]]) -> None:
    """Another app's permissions for the desk's roles."""
    for role, codes in grants.items():
        ROLES[role] += [code for code in codes if code not in ROLES[role]]


def holds(user, permission: str) -> bool:
    """Whether `user`'s roles grant `permission` (the model permission, for no item in particular).
    Object permissions, which also weigh the item's state and author, are `articles.access`'s."""
    return bool(user is not None and user.is_active and permission in user.get_all_permissions())


_READ_VOCABULARIES = ["articles.view_diseasetag", "articles.view_therapytag"]

ROLES: dict[str, list[str]] = {
    WRITER: [
        "articles.view_article",
        "articles.add_article",
        "articles.change_article",
        "articles.submit_article",
        "articles.view_embargo",
        "articles.add_embargo",
        "articles.change_embargo",
        *_READ_VOCABULARIES,
    ],
    MEDICAL_REVIEWER: [
        "articles.view_article",
        "articles.review_article",
        "articles.sign_off_article",
        *_READ_VOCABULARIES,
    ],
    EDITOR: [
        "articles.view_article",
        "articles.add_article",
        "articles.change_article",
        "articles.submit_article",
        "articles.review_article",
        "articles.publish_article",
        "articles.unpublish_article",
        "articles.import_article",
        "articles.export_article",
        "articles.view_diseasetag",
        "articles.add_diseasetag",
        "articles.change_diseasetag",
        "articles.import_diseasetag",
        "articles.export_diseasetag",
        "articles.view_therapytag",
        "articles.add_therapytag",
        "articles.change_therapytag",
        "articles.import_therapytag",
        "articles.export_therapytag",
        "articles.view_redirect",
        "articles.add_redirect",
        "articles.change_redirect",
        "articles.delete_redirect",
        "articles.import_redirect",
        "articles.export_redirect",
        "articles.view_staffprofile",
        "articles.add_staffprofile",
        "articles.change_staffprofile",
        "articles.view_embargo",
        "articles.add_embargo",
        "articles.change_embargo",
        "articles.view_page",
        "articles.add_page",
        "articles.change_page",
        "articles.delete_page",
    ],
    PRIVACY_OFFICER: [
        "articles.view_article",
        "articles.change_article",
        "articles.submit_article",
        "articles.unpublish_article",
        "articles.take_down_article",
        *_READ_VOCABULARIES,
    ],
}

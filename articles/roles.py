"""The editorial roles and what each may do: the one place that maps groups to permissions.

Code checks permissions, never these group names; `manage.py setup_roles` writes this table into the
database, and running it again changes nothing.
"""

WRITER = "Writer"
MEDICAL_REVIEWER = "Medical reviewer"
EDITOR = "Editor"
PRIVACY_OFFICER = "Privacy officer"


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
        "cases.view_case",
        "cases.add_case",
        "cases.change_case",
        *_READ_VOCABULARIES,
    ],
    MEDICAL_REVIEWER: [
        "articles.view_article",
        "articles.review_article",
        "articles.sign_off_article",
        "cases.view_case",
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
        "cases.view_case",
        "cases.import_case",
    ],
    PRIVACY_OFFICER: [
        "articles.view_article",
        "articles.change_article",
        "articles.submit_article",
        "articles.unpublish_article",
        "articles.take_down_article",
        "cases.view_case",
        "cases.change_case",
        "cases.clear_case",
        "cases.export_case",
        "cases.view_publicname",
        "cases.add_publicname",
        "cases.change_publicname",
        "cases.delete_publicname",
        *_READ_VOCABULARIES,
    ],
}

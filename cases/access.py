"""Who may do what with patient stories and consent forms: the stories' rows of the desk's access table
(`articles.access`), registered when the app loads. Each is an object permission: "cases.clear_case"."""

from articles.access import Rule, register
from articles.desk import comments
from articles.roles import EDITOR, MEDICAL_REVIEWER, PRIVACY_OFFICER, WRITER, grant

CASE = "cases.case"
CONSENT = "cases.consent"
CASE_STATES = ("pending", "cleared", "withdrawn")

register(
    CASE,
    {
        "view": Rule("cases.view_case"),
        "create": Rule("cases.add_case"),
        # An edit that would void the clearance of a story a published article tells is refused by the
        # case form ("unpublish first"); recording consent on such a story stays open.
        "edit": Rule("cases.change_case", frozenset(CASE_STATES)),
        # A withdrawal is final: if the patient consents again, the story starts afresh as a new case.
        "clear": Rule("cases.clear_case", frozenset({"pending", "cleared"})),
        "withdraw": Rule("cases.clear_case", frozenset({"pending", "cleared"})),
        "delete": Rule("cases.delete_case", frozenset({"pending"})),
        "import": Rule("cases.import_case"),
        "export": Rule("cases.export_case"),
    },
    desk_rows={"comment": Rule("cases.view_case")},
    state=lambda case: case.privacy_status,
)
register(CONSENT, {"download": Rule("cases.clear_case")})
# A story takes the desk's comments; mail names it by its reference only, never by patient details.
comments.takes_comments(
    CASE,
    resolve_permission="cases.clear_case",
    name=lambda case: case.reference,
    followed_by=("cleared_by_id",),  # the privacy officer who cleared it
)

# What each of the desk's roles may do with stories (`manage.py setup_roles` writes it with the rest).
grant(
    {
        WRITER: ["cases.view_case", "cases.add_case", "cases.change_case"],
        MEDICAL_REVIEWER: ["cases.view_case"],
        EDITOR: ["cases.view_case", "cases.import_case"],
        PRIVACY_OFFICER: [
            "cases.view_case",
            "cases.change_case",
            "cases.clear_case",
            "cases.export_case",
            "cases.view_publicname",
            "cases.add_publicname",
            "cases.change_publicname",
            "cases.delete_publicname",
        ],
    }
)

"""Who may do what on the desk: the one permission layer. Articles' rows are here; other apps register theirs.

`RULES` maps (content type, action) to what the action needs: a permission, the states in which it is
open, and whether only the item's author (or an editor) or only someone other than its author may do
it. The workflow moves are not repeated here: their rows are made from `articles.workflow.MOVES`, and
`refusal()` asks `workflow.move_refusal()` about them, so the buttons, `transition()` and this table
cannot disagree. `DESK_RULES` adds the decisions the rule book does not list (confirming a review,
adding a correction, commenting).

Each row is an object permission registered with `rules` as `permission(content, action)`
("articles.edit_article", "articles.sign_off_article"): the workflow, the services,
the admin and the comments ask `may()`, or `rules.has_perm(name, user, item)`, and `refusal()` says why
not. `user.has_perm(name, item)` gives the same answer, except that Django lets an active superuser past
every check that way; `may()` holds a superuser to the states and the four-eyes rule too.

Other apps add their own rows with `register()`, so this module names no other app's content. Roles
are never named here: roles are sets of permissions (`articles.roles`).
"""

from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.utils.translation import gettext_lazy as _

from articles.models import Status
from articles.roles import holds
from articles.workflow import MOVES, SIGN_OFF_PERMISSION, TAKE_DOWN_PERMISSION, move_refusal

ARTICLE = "articles.article"

SCHEDULED = "scheduled"  # published with a future publication time: not public yet, but locked
ARTICLE_STATES = (
    Status.DRAFT.value,
    Status.IN_REVIEW.value,
    SCHEDULED,
    Status.PUBLISHED.value,
    Status.RETRACTED.value,
)
EDITABLE_ARTICLE = frozenset({Status.DRAFT.value, Status.IN_REVIEW.value})
EDITOR_PERMISSION = "articles.review_article"  # may act on anyone's article, not only their own
# The privacy officer may fix any article she took down, and send it back to review.
ANYONES_ARTICLE = frozenset({EDITOR_PERMISSION, TAKE_DOWN_PERMISSION})


@dataclass(frozen=True)
class Rule:
    permission: str
    states: frozenset[str] | None = None  # None: open in every state (or the action has no item)
    owner_or: frozenset[str] = frozenset()  # only the author may, unless the user holds one of these
    not_by_author: bool = False  # the four-eyes rule
    move: str | None = None  # a workflow move: MOVES[move] decides, through move_refusal()


def _move_rule(name: str) -> Rule:
    move = MOVES[name]
    sources = {move.source.value} | ({SCHEDULED} if move.source == Status.PUBLISHED else set())
    return Rule(
        move.permission,
        frozenset(sources),
        owner_or=ANYONES_ARTICLE if move.author_or_reviewer else frozenset(),
        not_by_author=move.not_by_author,
        move=name,
    )


RULES: dict[tuple[str, str], Rule] = {
    (ARTICLE, "view"): Rule("articles.view_article"),
    (ARTICLE, "create"): Rule("articles.add_article"),
    (ARTICLE, "edit"): Rule("articles.change_article", EDITABLE_ARTICLE, owner_or=ANYONES_ARTICLE),
    (ARTICLE, "revert"): Rule("articles.change_article", EDITABLE_ARTICLE, owner_or=ANYONES_ARTICLE),
    (ARTICLE, "sign_off"): Rule(SIGN_OFF_PERMISSION, frozenset({Status.IN_REVIEW.value}), not_by_author=True),
    **{(ARTICLE, name): _move_rule(name) for name in MOVES},
    # The history is append-only, so nothing that has been on the desk is deleted: retract it instead.
    # No role holds the permission; a draft is the only state where a superuser may remove a mistake.
    (ARTICLE, "delete"): Rule("articles.delete_article", frozenset({Status.DRAFT.value})),
    (ARTICLE, "share_preview"): Rule("articles.publish_article"),
    (ARTICLE, "import"): Rule("articles.import_article"),
    (ARTICLE, "export"): Rule("articles.export_article"),
}
LIVE_ARTICLE = frozenset({Status.PUBLISHED.value, SCHEDULED})
DESK_RULES: dict[tuple[str, str], Rule] = {
    # a medical reviewer re-reads a live article at its review date (workflow.confirm_review)
    (ARTICLE, "confirm_review"): Rule(SIGN_OFF_PERMISSION, LIVE_ARTICLE, not_by_author=True),
    (ARTICLE, "correct"): Rule("articles.publish_article"),
    (ARTICLE, "comment"): Rule("articles.view_article"),
}
STATES: dict[str, Callable] = {ARTICLE: lambda article: SCHEDULED if article.is_scheduled else article.status}


def permission(content: str, action: str) -> str:
    """The object permission's name: ("articles.article", "edit") is "articles.edit_article"."""
    app_label, model = content.split(".")
    return f"{app_label}.{action}_{model}"


def register(content: str, rows: dict[str, Rule], *, desk_rows=None, state: Callable | None = None) -> None:
    """Add another app's rows (by action) for `content`, its desk rows, and how to read an item's state."""
    RULES.update({(content, action): rule for action, rule in rows.items()})
    DESK_RULES.update({(content, action): rule for action, rule in (desk_rows or {}).items()})
    if state is not None:
        STATES[content] = state
    _add_permissions((content, action) for action in [*rows, *(desk_rows or {})])


def state_of(item) -> str | None:
    """The state the table speaks of: an article's status (scheduled apart), or what the item's app says."""
    if item is None:
        return None
    state = STATES.get(item._meta.label_lower)
    return state(item) if state else None


def refusal(user, action: str, content: str, item=None) -> str | None:
    """Why `user` may not do `action` on `item` (or on `content` in general when `item` is None)."""
    rule = RULES.get((content, action)) or DESK_RULES[(content, action)]
    if user is None or not user.is_authenticated or not user.is_active:
        return str(_("Log in first."))
    if rule.move and item is not None:
        refused = move_refusal(MOVES[rule.move], item, user)
        return str(refused) if refused else None
    if not holds(user, rule.permission):
        return str(_("You do not have permission to do that."))
    if item is None:
        return None
    if rule.states is not None and state_of(item) not in rule.states:
        return str(_("That cannot be done while it is %(state)s.") % {"state": state_of(item)})
    if action == "delete" and getattr(item, "has_been_public", lambda: False)():
        return str(_("It was public, so it is never deleted. Retract it instead."))
    author_id = getattr(item, "author_id", None)
    is_author = author_id is not None and author_id == user.pk
    if (
        rule.owner_or
        and author_id is not None
        and not is_author
        and not any(holds(user, p) for p in rule.owner_or)
    ):
        return str(_("Only its author or an editor may do that."))
    writer_ids = getattr(item, "writer_ids", None)  # who wrote the text, where the item keeps revisions
    if rule.not_by_author and (user.pk in writer_ids() if writer_ids else is_author):
        return str(_("You wrote it, so someone else must do that (four-eyes rule)."))
    return None


def may(user, action: str, content: str, item=None) -> bool:
    return user is not None and rules.has_perm(permission(content, action), user, item)


def _predicate(content: str, action: str):
    @rules.predicate(name=permission(content, action))
    def allowed(user, item=None) -> bool:
        return refusal(user, action, content, item) is None

    return allowed


def _add_permissions(keys) -> None:
    for content, action in keys:
        rules.set_perm(permission(content, action), _predicate(content, action))


_add_permissions([*RULES, *DESK_RULES])

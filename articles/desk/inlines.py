"""What the article form edits with the article: who may edit the article may edit these, nobody else."""

from articles import access


class EditedWithTheArticle:
    """An inline of the article form (its pictures, its references), editable exactly where the article is:
    by its writers and editors, and by nobody once readers have seen it (articles.access)."""

    def _may_edit(self, request, obj):
        return obj is None or access.may(request.user, "edit", access.ARTICLE, obj)

    def has_add_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

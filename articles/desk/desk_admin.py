"""Admin views around the desk's items: the comment forms' endpoints and the editorial calendar.

Thin views: the rules are in `articles.desk.comments` and `articles.desk.calendar`. Comments are posted to a
hidden `CommentAdmin` (no list, no change form, not on the admin index), for every kind of item that takes
them.
"""

from datetime import date

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles import access
from articles.desk import calendar, comments
from articles.models import Article, Comment
from articles.notifications import admin_link

# --- Comments -------------------------------------------------------------------------------------


def change_page(item, anchor="comments") -> str:
    opts = item._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk]) + f"#{anchor}"


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Only the endpoints the comments panel posts to; comments are read on their item's page."""

    def get_model_perms(self, request):
        return {}  # not listed on the admin index

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("on/<int:content_type>/<int:pk>/", wrap(self.post_view), name="articles_comment_post"),
            path("<int:pk>/reply/", wrap(self.reply_view), name="articles_comment_reply"),
            path("<int:pk>/resolve/", wrap(self.resolve_view), name="articles_comment_resolve"),
            path("<int:pk>/reopen/", wrap(self.reopen_view), name="articles_comment_reopen"),
        ]

    def _item(self, request, content_type, pk):
        try:
            model = ContentType.objects.get_for_id(content_type).model_class()
        except ContentType.DoesNotExist:
            raise Http404 from None
        if model is None or model._meta.label_lower not in comments.RESOLVE_PERMISSION:
            raise Http404
        item = get_object_or_404(model._default_manager, pk=pk)
        if not comments.may_comment(request.user, item):
            raise PermissionDenied
        return item

    def _comment(self, request, pk):
        comment = get_object_or_404(Comment, pk=pk)
        return comment, self._item(request, comment.content_type_id, comment.object_id)

    def _told(self, request, done: str, notified: int):
        note = (
            ngettext("%(n)d follower was told by e-mail.", "%(n)d followers were told by e-mail.", notified)
            if notified
            else _("Nobody else follows this item yet, so nobody was e-mailed.")
        )
        self.message_user(request, f"{done} {note % {'n': notified}}", messages.SUCCESS)

    @staticmethod
    def _report(request, error):
        for message in getattr(error, "messages", None) or [str(error)]:
            messages.error(request, message)

    def post_view(self, request, content_type, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        item = self._item(request, content_type, pk)
        try:
            comment = comments.post_comment(item, by=request.user, body=request.POST.get("body", ""))
        except ValidationError as error:
            self._report(request, error)
            return HttpResponseRedirect(change_page(item, "new-comment"))
        self._told(request, _("Comment posted."), comment.notified)
        return HttpResponseRedirect(change_page(item, f"comment-{comment.pk}"))

    def reply_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        thread, item = self._comment(request, pk)
        try:
            reply = comments.post_comment(
                item, by=request.user, body=request.POST.get("body", ""), reply_to=thread
            )
        except ValidationError as error:
            self._report(request, error)
            return HttpResponseRedirect(change_page(item, f"comment-{thread.pk}"))
        self._told(request, _("Reply posted."), reply.notified)
        return HttpResponseRedirect(change_page(item, f"comment-{reply.pk}"))

    def resolve_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        thread, item = self._comment(request, pk)
        if not comments.may_resolve(request.user, thread, item):
            raise PermissionDenied
        root = comments.resolve_thread(thread, by=request.user)
        self._told(request, _("Thread resolved."), getattr(root, "notified", 0))
        return HttpResponseRedirect(change_page(item, f"comment-{root.pk}"))

    def reopen_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        thread, item = self._comment(request, pk)
        if not comments.may_resolve(request.user, thread, item):
            raise PermissionDenied
        root = comments.reopen_thread(thread, by=request.user)
        self.message_user(request, _("Thread reopened."), messages.SUCCESS)
        return HttpResponseRedirect(change_page(item, f"comment-{root.pk}"))


# --- The editorial calendar ---------------------------------------------------------------------------


def calendar_urls(model_admin):
    wrap = model_admin.admin_site.admin_view
    return [
        path(
            "calendar/",
            wrap(lambda request: calendar_view(model_admin, request)),
            name="articles_article_calendar",
        ),
        path(
            "calendar/export.<str:fmt>",
            wrap(lambda request, fmt: calendar_export(model_admin, request, fmt)),
            name="articles_article_calendar_export",
        ),
    ]


def _calendar_request(request):
    """The period, filters and entries a calendar request asks for, with what was not understood."""
    if not access.may(request.user, "view", access.ARTICLE):
        raise PermissionDenied
    problems = []
    view = request.GET.get("view", "week")
    if view not in calendar.VIEWS:
        problems.append(_("Pick the week or the month view; showing the week."))
        view = "week"
    today = timezone.localdate()
    anchor = today
    if request.GET.get("date"):
        try:
            anchor = date.fromisoformat(request.GET["date"])
        except ValueError:
            problems.append(_("Give the date as YYYY-MM-DD; showing today."))
    choices = calendar.Choices.load()
    filters, dropped = calendar.parse_filters(request.GET, choices)
    shown = calendar.period(view, anchor)
    found = calendar.entries(shown.start, shown.end, filters)
    return shown, filters, choices, found, [*problems, *dropped], today


def calendar_view(model_admin, request):
    shown, filters, choices, found, problems, today = _calendar_request(request)
    for problem in problems:
        messages.warning(request, problem)

    def link(**changes):
        params = {"view": shown.view, "date": shown.anchor.isoformat(), **filters.as_params(), **changes}
        return "?" + urlencode({key: value for key, value in params.items() if value})

    title = (
        _("Editorial calendar: week of %(day)s") % {"day": shown.start.strftime("%-d %B %Y")}
        if shown.view == "week"
        else _("Editorial calendar: %(month)s") % {"month": shown.anchor.strftime("%B %Y")}
    )
    export_query = urlencode({"view": shown.view, "date": shown.anchor.isoformat(), **filters.as_params()})
    return TemplateResponse(
        request,
        "admin/articles/article/calendar.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": Article._meta,
            "title": title,
            "period": shown,
            "days": [
                (day, day_entries, shown.in_focus(day))
                for day, day_entries in calendar.by_day(found, shown.days)
            ],
            "entry_count": len(found),
            "today": today,
            "filters": filters,
            "choices": choices,
            "previous_link": link(date=shown.previous.isoformat()),
            "next_link": link(date=shown.next.isoformat()),
            "today_link": link(date=today.isoformat()),
            "week_link": link(view="week"),
            "month_link": link(view="month"),
            "export_query": export_query,
        },
    )


def calendar_export(model_admin, request, fmt):
    if fmt not in ("csv", "ics"):
        raise Http404
    shown, _filters, _choices, found, _problems, _today = _calendar_request(request)
    name = f"editorial-calendar-{shown.start:%Y-%m-%d}-to-{shown.end:%Y-%m-%d}"
    if fmt == "csv":
        response = HttpResponse(calendar.as_csv(found, admin_link), content_type="text/csv; charset=utf-8")
    else:
        content = calendar.as_ics(found, admin_link, host=request.get_host().split(":")[0])
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store, private"
    return response

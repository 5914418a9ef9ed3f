"""The server side of the desk forms' autosave (static/newsdesk/autosave.js): one draft per person and form,
kept, read back and dropped. A draft may hold anything a desk form holds, so it is the person's alone, never
logged, dropped once the form is saved and forgotten after `KEEP_DAYS`."""

import json
from datetime import timedelta

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from articles.models import FormDraft

KEEP_DAYS = 7
MAX_FIELDS = 200
MAX_CHARACTERS = 400_000  # every value together: a long article with its tables is far less


def _refuse(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(json.dumps({"error": message}), content_type="application/json")


def _fields(body: bytes) -> dict | None:
    """The posted fields, if they are what the script sends: names to a string or a list of strings."""
    try:
        fields = json.loads(body).get("fields")
    except (ValueError, AttributeError):
        return None
    if not isinstance(fields, dict) or len(fields) > MAX_FIELDS:
        return None
    size = 0
    for name, value in fields.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in values) or len(name) > 100:
            return None
        size += len(name) + sum(len(v) for v in values)
    return fields if size <= MAX_CHARACTERS else None


@require_http_methods(["GET", "POST", "DELETE"])
def form_draft(request):
    """GET: the draft of the form at `?address=`, or 204 when there is none (not a 404: opening a form
    without a draft is no error worth a log line). POST {"fields": ...}: keep it. DELETE: drop it."""
    address = request.GET.get("address", "")
    if not address.startswith("/admin/") or len(address) > 300:
        return _refuse(_("Autosave works on the desk's own forms only."))
    mine = FormDraft.objects.filter(user=request.user, address=address)
    if request.method == "DELETE":
        mine.delete()
        return HttpResponse(status=204)
    if request.method == "GET":
        draft = mine.first()
        if draft is None:
            return HttpResponse(status=204)
        saved = timezone.localtime(draft.saved_at)
        return JsonResponse(
            {
                "fields": draft.fields,
                "saved_at": saved.isoformat(),
                "saved_at_display": formats.date_format(saved, "j M Y H:i T"),
            }
        )
    fields = _fields(request.body)
    if fields is None:
        return _refuse(_("This form is too large to keep as a draft. Save it to keep your changes."))
    FormDraft.objects.update_or_create(
        user=request.user, address=address, defaults={"fields": fields, "saved_at": timezone.now()}
    )
    return JsonResponse({"saved_at": timezone.now().isoformat()})


def drop_draft(request) -> None:
    """The form at this address was saved: its draft has done its job."""
    FormDraft.objects.filter(user=request.user, address=request.path).delete()


class DropsDraftOnSave:
    """A ModelAdmin mixin: a successful save of the add or change form drops its autosaved draft."""

    def response_add(self, request, obj, post_url_continue=None):
        drop_draft(request)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        drop_draft(request)
        return super().response_change(request, obj)


def forget_old_drafts(now=None) -> int:
    """Drafts nobody came back to within `KEEP_DAYS` (the desk's clock runs this)."""
    now = now or timezone.now()
    return FormDraft.objects.filter(saved_at__lt=now - timedelta(days=KEEP_DAYS)).delete()[0]

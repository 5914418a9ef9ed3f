"""Who else has a desk form open (static/newsdesk/presence.js): each open tab says so every few seconds,
and hears back who else, other than itself, has the same item open and since when."""

import re
from datetime import timedelta

from django.db import IntegrityError
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from articles.models import Presence

GONE_AFTER = timedelta(seconds=45)  # three missed beats of the page's 15 s
TAB = re.compile(r"[A-Za-z0-9-]{8,40}")


@require_http_methods(["POST", "DELETE"])
def presence(request):
    """POST: this tab has the form at `?address=` open; answers who else has. DELETE: it closed."""
    address, tab = request.GET.get("address", ""), request.GET.get("tab", "")
    if not address.startswith("/admin/") or len(address) > 300 or not TAB.fullmatch(tab):
        return HttpResponseBadRequest(_("Presence is kept for the desk's own forms only."))
    mine = Presence.objects.filter(address=address, tab=tab, user=request.user)
    if request.method == "DELETE":
        mine.delete()
        return HttpResponse(status=204)
    now = timezone.now()
    try:
        Presence.objects.update_or_create(
            address=address,
            tab=tab,
            user=request.user,
            defaults={"seen_at": now},
            create_defaults={"since": now},
        )
    except IntegrityError:
        return HttpResponse(status=409)  # another person's tab: nothing to say
    Presence.objects.filter(seen_at__lt=now - GONE_AFTER).delete()
    others = (
        Presence.objects.filter(address=address, seen_at__gte=now - GONE_AFTER)
        .exclude(tab=tab)
        .select_related("user")
        .order_by("since")
    )
    return JsonResponse(
        {
            "others": [
                {
                    "name": other.user.get_full_name() or other.user.get_username(),
                    "yours": other.user_id == request.user.pk,
                    "since": formats.date_format(timezone.localtime(other.since), "H:i T"),
                }
                for other in others
            ]
        }
    )

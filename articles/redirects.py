"""Old public addresses keep working: a changed slug, a merged term or an editor's redirect answers 301."""

from django.http import HttpResponsePermanentRedirect

from articles.models import Redirect


def address_moved(old: str, new: str, *, note: str = "") -> None:
    """Send readers of `old` to `new` from now on, without chains or loops.

    Redirects that pointed at `old` now point straight at `new`, and a redirect away from `new` (the
    address came back) is dropped.
    """
    if not old or old == new:
        return
    Redirect.objects.filter(old_path=new).delete()
    Redirect.objects.filter(new_path=old).update(new_path=new)
    Redirect.objects.update_or_create(old_path=old, defaults={"new_path": new, "note": note[:200]})


class RedirectFallbackMiddleware:
    """When nothing answers an address (404), look it up in the redirects table.

    Only 404s pay for the lookup, so live pages cost nothing extra.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        target = Redirect.objects.filter(old_path=request.path).values_list("new_path", flat=True).first()
        if target is None:
            return response
        if query := request.META.get("QUERY_STRING", ""):
            target = f"{target}{'&' if '?' in target else '?'}{query}"
        return HttpResponsePermanentRedirect(target)

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _


class AdminContentSecurityPolicyMiddleware:
    """Give /admin/ its own, slightly looser style policy; the public site keeps the strict one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/") and not hasattr(response, "_csp_config"):
            response._csp_config = settings.NEWSDESK_ADMIN_CSP
        return response


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is larger than anything the desk accepts, before reading it.

    Runs first, so neither CSRF checking nor the upload parser reads a byte of a 50 MB body: the answer
    is 413 at once. Uploads under this bound are then held to their own limits (images, imports).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.NEWSDESK_MAX_REQUEST_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest("Bad Content-Length.", content_type="text/plain")
        if declared > limit:
            message = _(
                "This upload is %(size).1f MB; the desk accepts at most %(limit)d MB at once. "
                "Make the file smaller (or split an import into several files) and try again."
            ) % {"size": declared / 1e6, "limit": limit // 1_000_000}
            response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
            response["Connection"] = "close"  # the unread body must not be taken for the next request
            return response
        return self.get_response(request)


class NulCharacterMiddleware:
    """Answer 400 to an address with a NUL character in its path or query.

    No page has a use for one, and PostgreSQL refuses NUL in text, so passing it on would turn a
    search or a lookup into a server error instead of a plain "bad request".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in k + "".join(vs) for k, vs in request.GET.lists()):
            return HttpResponseBadRequest("Bad request: the address contains a NUL character.")
        return self.get_response(request)

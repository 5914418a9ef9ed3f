from django.conf import settings


class AdminContentSecurityPolicyMiddleware:
    """Give /admin/ its own, slightly looser style policy; the public site keeps the strict one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/") and not hasattr(response, "_csp_config"):
            response._csp_config = settings.NEWSDESK_ADMIN_CSP
        return response

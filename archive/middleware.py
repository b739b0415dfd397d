from django.conf import settings


class SecurityHeadersMiddleware:
    """Headers Django's own middleware does not set: Content-Security-Policy and
    Permissions-Policy (the Archive uses no camera, microphone, location or payment API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

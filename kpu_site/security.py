"""Security headers on every response: the Content-Security-Policy (django-csp) and Permissions-Policy.

Public pages get ``CONTENT_SECURITY_POLICY`` (no inline script or style, no framing); the Wagtail
admin, whose own templates carry inline scripts and style attributes, gets
``CONTENT_SECURITY_POLICY_ADMIN`` (see docs/security.md). HSTS, nosniff, Referrer-Policy,
Cross-Origin-Opener-Policy and X-Frame-Options come from Django's own middleware and settings.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def is_admin_path(path: str) -> bool:
    return path.startswith(tuple(settings.CONTENT_SECURITY_POLICY_ADMIN_PREFIXES))


class SecurityHeadersMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if is_admin_path(request.path_info):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        elif getattr(request, "is_dummy", False):
            # Wagtail renders a preview through the whole middleware stack with a made-up request
            # for the page's public address; the admin frames it. The strict public policy holds,
            # except that the admin (same origin) may frame it.
            directives = {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "frame-ancestors": ["'self'"]}
            parts.config = default_config(directives)
        return parts

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        response = super().process_response(request, response)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

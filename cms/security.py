"""Content-Security-Policy, Permissions-Policy and staff-login throttling, as middleware."""

import secrets
import traceback
from urllib.parse import urlsplit

from django.conf import settings

from .ratelimit import rate_limited_response


def _origin(url: str) -> str:
    parts = urlsplit(url.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def public_policy(nonce: str) -> str:
    """Strict policy for the public site: our own files, nonce'd inline blocks, nothing else."""
    tiles = _origin(getattr(settings, "MAP_TILE_URL", ""))
    tile_hosts = tiles.replace("://a.", "://*.") if tiles else ""
    form_targets = " ".join(getattr(settings, "CSP_FORM_ACTION_EXTRA", []))
    frames = " ".join(getattr(settings, "CSP_FRAME_SRC", []))
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        f"style-src 'self' 'nonce-{nonce}'",
        f"img-src 'self' data: {tile_hosts}".strip(),
        "font-src 'self'",
        "connect-src 'self'",
        f"frame-src {frames}" if frames else "frame-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        f"form-action 'self' {form_targets}".strip(),
    ]
    return "; ".join(directives)


# The Wagtail admin relies on inline scripts and styles, so it gets a looser policy, still
# without plugins, foreign framing or a movable base URL.
ADMIN_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: https:; font-src 'self' data:; connect-src 'self'; frame-src 'self' https:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)

# Browser features no page here uses are switched off; the register's "use my location" asks for
# geolocation, so that one page allows it for itself (`allow_geolocation`).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
GEOLOCATION_POLICY = PERMISSIONS_POLICY.replace("geolocation=()", "geolocation=(self)")


def allow_geolocation(response):
    response["Permissions-Policy"] = GEOLOCATION_POLICY
    return response


def frame_ancestors(response) -> str:
    """The CSP twin of the response's X-Frame-Options (DENY everywhere but Wagtail's previews)."""
    return (
        "frame-ancestors 'self'"
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN"
        else ("frame-ancestors 'none'")
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith(("/admin/", "/documents/"))
            policy = ADMIN_POLICY if admin else public_policy(request.csp_nonce)
            response["Content-Security-Policy"] = f"{policy}; {frame_ancestors(response)}"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class StaffLoginRateLimitMiddleware:
    """Throttle password guessing on the Wagtail login form, per address and per username."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path == "/admin/login/":
            username = request.POST.get("username", "").lower()
            limited = rate_limited_response(request, group="staff-login") or rate_limited_response(
                request, group="staff-login-user", key=username
            )
            if limited:
                return limited
        return self.get_response(request)


class RejectUnreadableInputMiddleware:
    """Answer 400 to a NUL byte in the path, the query or a form, before any view sees it.

    PostgreSQL cannot hold or compare a NUL in text, so such input would reach the database as a
    500; no person types one, and the answer is the same on SQLite. Admin forms are left to their
    views (file uploads there keep their own upload handlers).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._unreadable(request):
            from .views import bad_request

            return bad_request(request)
        return self.get_response(request)

    @staticmethod
    def _unreadable(request) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if "\x00" in "".join(f"{k}{v}" for k, values in request.GET.lists() for v in values):
            return True
        forms = ("application/x-www-form-urlencoded", "multipart/form-data")
        if request.method == "POST" and request.content_type in forms and not request.path.startswith("/admin/"):
            return "\x00" in "".join(f"{k}{v}" for k, values in request.POST.lists() for v in values)
        return False


class UnreadableFormMiddleware:
    """A form post a widget cannot even read (a crafted admin POST, like `body-count=x` for a
    StreamField) answers 400 "nothing has been saved", not a 500.

    Only exceptions raised while a widget reads the posted data (`value_from_datadict`) are turned
    into a 400: any other error is still a 500 and reported, so real bugs are not hidden.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method != "POST" or not isinstance(exception, ValueError | TypeError | KeyError):
            return None
        frames = traceback.extract_tb(exception.__traceback__)
        if not any(frame.name == "value_from_datadict" for frame in frames):
            return None
        from .views import bad_request

        return bad_request(request, exception)

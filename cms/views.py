import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """Database and shared-cache check for load balancers: no session, no template. A failed
    dependency is named, so whoever is paged knows which one to look at."""
    checks = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        checks["database"] = "unavailable"
    token = secrets.token_hex(8)
    try:
        # A key per probe: concurrent probes writing one shared key would read each other's token
        # and report a healthy cache as down.
        key = f"healthz:{token}"
        cache.set(key, token, 30)
        if cache.get(key) != token:  # an unreachable Redis with errors ignored reads as a miss
            checks["cache"] = "unavailable"
        cache.delete(key)
    except Exception:  # noqa: BLE001
        checks["cache"] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


# Error pages. Each is the partner's own layout with Exit this page and the 999/101 line, so a
# person who hits an error is never left on a bare page without a way out.


def _error_page(request, template: str, status: int) -> HttpResponse:
    """Render an error page with the partner's chrome; if that needs a database or cache that is
    down (the very failure that led here, perhaps), render the same page without them."""
    try:
        return render(request, template, status=status)
    except Exception:  # noqa: BLE001 - an error page must always answer
        logger.exception("error page %s rendered without the partner's layout", status)
        html = loader.get_template(template).render({"quick_exit_url": settings.QUICK_EXIT_URL})
        return HttpResponse(html, status=status)


def bad_request(request, exception=None):
    return _error_page(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _error_page(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _error_page(request, "404.html", 404)


def server_error(request):
    return _error_page(request, "500.html", 500)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django's own renders without the request, so without the exit control."""
    return _error_page(request, "403_csrf.html", 403)

"""A shared cache of public pages for people who are not signed in.

Why not Django's `cache_page`: every public page carries a fresh CSP nonce, and course pages show
places left that must be as live as the bookings (bookings/places.py). So a page is stored with
its nonce replaced by a marker and its fresh regions emptied; a hit puts the request's nonce back
and re-renders the fresh regions (`{% page_fragments %}` output) instead of the whole page.

A view opts in with `mark_public(response, seconds)`. Nothing is stored for a response that sets a
cookie, varies on Cookie (session or CSRF token used), is not a 200, or says private/no-store;
nothing is served from the cache to a request carrying a session or messages cookie (staff,
someone who has just submitted a form). Stored pages are kept with the content version
(cms/content_version.py), so any change to content, sites, settings, venues or certificates
retires every stored page at once.
"""

import gzip
import re

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.safestring import mark_safe

from .content_version import keep_current, read_current, read_once_per_request

GZIP_MIN_BYTES = 4096
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
NONCE_MARK = "__CSP_NONCE__"
FRESH = re.compile(r"<!--fresh:(?P<hook>[\w-]+):(?P<page>\d+)-->.*?<!--/fresh-->", re.S)
SKIPPED_HEADERS = {"set-cookie", "content-security-policy", "content-length", "date", "vary"}


def mark_public(response: HttpResponse, seconds: int | None = None, *, vary_on_query: bool = False):
    """Let the page cache keep this response for `seconds` (default PUBLIC_PAGE_CACHE_SECONDS)."""
    response.public_cache_seconds = settings.PUBLIC_PAGE_CACHE_SECONDS if seconds is None else seconds
    response.public_cache_query = vary_on_query
    return response


def fresh_region(hook_name: str, page_id: int, html: str) -> str:
    """Wrap output that must never come from the cache, so a hit can re-render just this part."""
    return mark_safe(f"<!--fresh:{hook_name}:{page_id}-->{html}<!--/fresh-->")  # noqa: S308 - html is already safe


def _key(request) -> str:
    """Kept with the content version (`keep_current`), so a hit is one round trip."""
    return f"public-page:2:{request.scheme}://{request.get_host()}{request.get_full_path()}"


def _may_use_cache(request) -> bool:
    return (
        request.method == "GET"
        and settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.path.startswith(("/admin/", "/documents/"))
    )


def _may_store(request, response) -> bool:
    seconds = getattr(response, "public_cache_seconds", 0)
    if not seconds or response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.GET and not getattr(response, "public_cache_query", False):
        return False
    if response.has_header("Vary") and "cookie" in response["Vary"].lower():
        return False
    directives = {d.strip().lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
    return not directives & {"private", "no-store", "no-cache"}


def _render_fresh(request, match) -> str:
    from wagtail import hooks

    page_id = int(match["page"])
    parts = [fn(request, page_id) for fn in hooks.get_hooks(match["hook"])]
    return fresh_region(match["hook"], page_id, "".join(p for p in parts if p))


class PublicPageCacheMiddleware:
    """Sits just inside the CSP middleware (it needs `request.csp_nonce`)."""

    def __init__(self, get_response):
        from .tenancy import partner_cache_key, remember_partner  # cms.models imports this module

        self.get_response = get_response
        self.partner_cache_key, self.remember_partner = partner_cache_key, remember_partner

    def __call__(self, request):
        with read_once_per_request():
            return self._respond(request)

    def _respond(self, request):
        if not _may_use_cache(request):
            return self.get_response(request)
        key = _key(request)
        # The content version, the page and the partner for this host in one round trip: a hit's
        # fresh regions (places left on a course page) need the partner, and Redis round trips were
        # most of a hit's time.
        partner_key = self.partner_cache_key(request.get_host())
        found = read_current([key, partner_key])
        if partner_key in found:
            self.remember_partner(request, found[partner_key])
        stored = found.get(key)
        if stored is not None:
            return self._replay(request, stored)
        response = self.get_response(request)
        if _may_store(request, response):
            headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]
            body = response.content
            nonce = request.csp_nonce.encode()
            fresh = b"<!--fresh:" in body
            stored = {"body": body, "headers": headers}
            if fresh or nonce in body:  # a page to finish per request; data (GeoJSON, .ics) is kept as bytes
                text = body.decode(response.charset)
                text = FRESH.sub(lambda m: f"<!--fresh:{m['hook']}:{m['page']}--><!--/fresh-->", text)
                stored["body"] = text.replace(request.csp_nonce, NONCE_MARK)
            elif len(body) >= GZIP_MIN_BYTES:
                # Public open data holds no secrets, so compressing it is safe from BREACH-style attacks
                # (HTML pages, which carry CSRF tokens, are never compressed here). Once per storage,
                # and only the compressed body is kept: every hit reads the entry from the shared
                # cache, and a 3 MB GeoJSON read whole for each 90 KB answer cost 0.3× /healthz/.
                # The rare client without gzip gets it decompressed.
                stored["gzip"] = gzip.compress(body, compresslevel=6, mtime=0)
                del stored["body"]
                patch_vary_headers(response, ["Accept-Encoding"])
            keep_current(key, stored, response.public_cache_seconds)
            response["X-Page-Cache"] = "miss"
        return response

    def _replay(self, request, stored) -> HttpResponse:
        compressed = "gzip" in stored and ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", ""))
        if "gzip" in stored:
            body = stored["gzip"] if compressed else gzip.decompress(stored["gzip"])
        else:
            body = stored["body"]
        if isinstance(body, str):
            body = body.replace(NONCE_MARK, request.csp_nonce)
            body = FRESH.sub(lambda m: _render_fresh(request, m), body)
        response = HttpResponse(body)
        for header, value in stored["headers"]:
            response[header] = value
        if "gzip" in stored:
            patch_vary_headers(response, ["Accept-Encoding"])
            if compressed:
                response["Content-Encoding"] = "gzip"
        response["X-Page-Cache"] = "hit"
        return response

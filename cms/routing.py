"""Wagtail's page serving with the route remembered across requests.

Wagtail finds a page by walking the tree from the site's root, one query per path segment plus
one for each page's specific type (six queries for /training/safe-haven-training/), and looks the
site up by host on every request. Neither changes between content changes, so the route (page id
and type) is kept in the shared cache with the content version (cms/content_version.py: any page
edit, move, publish or site change retires it) and a repeat request fetches the page in one query.
Whether the page or an ancestor has a view restriction is kept with it (a restriction added or
removed moves the version too), so a public page skips Wagtail's two queries checking that.
Everything else is Wagtail's own `serve`: view restrictions, `before_serve_page` hooks, the page's
`serve`. Only plain routes are kept (no extra arguments from a routable page), and a page no
longer live or gone is routed afresh.
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page
from wagtail.views import serve as wagtail_serve

from .content_version import keep_current, read_current
from .tenancy import partner_cache_key, partner_for_request, remember_partner

ROUTE_SECONDS = 3600


def _key(host: str, path: str) -> str:
    # Kept with the content version (`keep_current`); the host names the site, as for the partner.
    return f"page-route:3:{host}:{path}"


def _remember_route(request, path: str) -> None:
    host = request.get_host()
    key = _key(host, path)
    if hasattr(request, "_partner"):  # the page cache read it already
        found = read_current([key]).get(key)
    else:  # the route and the partner for the host (with the page's chrome) in one round trip
        partner_key = partner_cache_key(host)
        entries = read_current([key, partner_key])
        remember_partner(request, entries.get(partner_key))
        found = entries.get(key)
    partner = partner_for_request(request)  # also gives Wagtail the site (cms/tenancy.py)
    if partner is None:
        return
    if found is not None:
        page_id, content_type_id, restricted = found
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = model.objects.filter(pk=page_id, live=True).first() if model else None
        if page is not None:  # the key names the site, and a move would have changed the version
            if not restricted:
                page.view_restrictions_known_empty = True  # read by BasePage.get_view_restrictions
            request._wagtail_route_for_request = (page, [], {})
            return
    route = Page.route_for_request(request, path)
    if route is not None and not route[1] and not route[2]:
        restricted = route[0].get_view_restrictions().exists()
        keep_current(key, (route[0].pk, route[0].content_type_id, restricted), ROUTE_SECONDS)


def serve(request, path):
    _remember_route(request, path)
    return wagtail_serve(request, path)

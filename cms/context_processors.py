from django.conf import settings
from django.core.cache import cache
from wagtail.models import Page

from .content_version import content_version
from .tenancy import partner_for_request


def _menu(partner):
    """Top-level pages for the header, and the safety page the quick exit links to.

    Cached until any page changes (the content version), so a page costs no query for it.
    """
    key = f"site-menu:{content_version()}:{partner.pk}"
    found = cache.get(key)
    if found is None:
        children = list(
            Page.objects.child_of(partner.site.root_page)
            .live()
            .public()
            .only("id", "title", "url_path", "slug", "show_in_menus")
        )
        menu = [p for p in children if p.show_in_menus]
        found = (menu, next((p for p in children if p.slug == "staying-safe-online"), None))
        cache.set(key, found, 3600)
    return found


def site_chrome(request):
    """What every public page's header and footer need: partner, menu, quick-exit target."""
    partner = partner_for_request(request) if request is not None else None
    menu = []
    safety_page = None
    if partner is not None and not request.path.startswith("/admin/"):
        menu, safety_page = _menu(partner)
    return {
        "partner": partner,
        "menu_pages": menu,
        "staying_safe_page": safety_page,
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }

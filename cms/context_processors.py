from django.conf import settings
from django.core.cache import cache
from wagtail.models import Page

from .content_version import content_version
from .starter_pages import ACCESSIBILITY_STATEMENT_SLUG, STAYING_SAFE_SLUG
from .tenancy import partner_for_request


def _menu(partner):
    """Top-level pages for the header, and the pages every footer links to: the safety page the
    quick exit links to and the accessibility statement.

    Cached until any page changes (the content version), so a page costs no query for it.
    """
    key = f"site-menu:2:{content_version()}:{partner.pk}"  # 2: the tuple gained the statement
    found = cache.get(key)
    if found is None:
        children = list(
            Page.objects.child_of(partner.site.root_page)
            .live()
            .public()
            .only("id", "title", "url_path", "slug", "show_in_menus")
        )
        menu = [p for p in children if p.show_in_menus]
        by_slug = {p.slug: p for p in children}
        found = (menu, by_slug.get(STAYING_SAFE_SLUG), by_slug.get(ACCESSIBILITY_STATEMENT_SLUG))
        cache.set(key, found, 3600)
    return found


def site_chrome(request):
    """What every public page's header and footer need: partner, menu, quick-exit target."""
    partner = partner_for_request(request) if request is not None else None
    menu = []
    safety_page = statement_page = None
    if partner is not None and not request.path.startswith("/admin/"):
        menu, safety_page, statement_page = _menu(partner)
    return {
        "partner": partner,
        "service_name": f"{partner.name} Safe Havens" if partner else "Safe Haven Training",
        "menu_pages": menu,
        "staying_safe_page": safety_page,
        "accessibility_statement_page": statement_page,
        "quick_exit_url": settings.QUICK_EXIT_URL,
        # Absent when an error page is rendered without the database (cms.views._error_page): the
        # footer then links the statement's usual address rather than none.
        "site_chrome": True,
    }

from django.conf import settings
from wagtail.models import Page

from .starter_pages import ACCESSIBILITY_STATEMENT_SLUG, STAYING_SAFE_SLUG
from .tenancy import partner_for_request


def build_menu(partner) -> tuple:
    """Top-level pages for the header, and the pages every footer links to: the safety page the
    quick exit links to and the accessibility statement.

    Kept with the partner for the host (`cms.tenancy.HostChrome`) until any page changes (the
    content version), so a page costs no query for it.
    """
    children = list(
        Page.objects.child_of(partner.site.root_page)
        .live()
        .public()
        .only("id", "title", "url_path", "slug", "show_in_menus")
    )
    menu = [p for p in children if p.show_in_menus]
    by_slug = {p.slug: p for p in children}
    return (menu, by_slug.get(STAYING_SAFE_SLUG), by_slug.get(ACCESSIBILITY_STATEMENT_SLUG))


def site_chrome(request):
    """What every public page's header and footer need: partner, menu, quick-exit target."""
    partner = partner_for_request(request) if request is not None else None
    menu = []
    safety_page = statement_page = None
    if partner is not None and not request.path.startswith("/admin/"):
        menu, safety_page, statement_page = getattr(request, "_site_menu", None) or build_menu(partner)
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

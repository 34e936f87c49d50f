from django.conf import settings

from .tenancy import partner_for_request


def site_chrome(request):
    """What every public page's header and footer need: partner, menu, quick-exit target."""
    partner = partner_for_request(request) if request is not None else None
    menu = []
    safety_page = None
    if partner is not None and not request.path.startswith("/admin/"):
        root = partner.site.root_page
        children = list(root.get_children().live().public().only("id", "title", "url_path", "slug", "show_in_menus"))
        menu = [p for p in children if p.show_in_menus]
        safety_page = next((p for p in children if p.slug == "staying-safe-online"), None)
    return {
        "partner": partner,
        "menu_pages": menu,
        "staying_safe_page": safety_page,
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }

from django.conf import settings
from django.http import HttpResponseRedirect
from django.templatetags.static import static as static_url
from django.urls import include, path, re_path
from django.utils.cache import patch_cache_control
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern as WAGTAIL_SERVE_PATTERN

from cms import routing
from cms.views import healthz


def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links; send them to the static one. Not a
    permanent redirect: the static name carries a hash that changes when the icon does."""
    response = HttpResponseRedirect(static_url("images/favicon.ico"))
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response


urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("bookings/", include("bookings.urls")),
    path("interest/", include("cms.urls")),  # the link that stops new-dates emails
    path("venue/help/", include("helplog.urls")),
    path("venue/", include("venues.urls")),
    # Safe Haven register (/safe-havens/, /safe-havens.geojson) and /certificates/verify/<code>/.
    path("", include("certificates.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's catch-all page serving comes last: its own view, with the route remembered
# (cms/routing.py), then the rest of Wagtail's URLs (password-protected pages).
urlpatterns += [
    re_path(WAGTAIL_SERVE_PATTERN, routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]

handler400 = "cms.views.bad_request"
handler403 = "cms.views.permission_denied"
handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.views import healthz

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
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

# Wagtail's catch-all page serving comes last.
urlpatterns += [path("", include(wagtail_urls))]

handler400 = "cms.views.bad_request"
handler403 = "cms.views.permission_denied"
handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"

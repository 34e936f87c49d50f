from django.urls import path

from . import near_views, views

app_name = "certificates"

urlpatterns = [
    path("safe-havens/", views.register, name="register"),
    path("safe-havens.geojson", views.register_geojson, name="geojson"),
    path("safe-havens/check/<str:code>/", views.check, name="check"),
    path("safe-havens/near/", near_views.near, name="near"),
    path("safe-havens/<slug:slug>/", views.venue_detail, name="venue"),
    path("certificates/verify/", views.verify_form, name="verify_form"),
    path("certificates/verify/<str:code>/", views.verify, name="verify"),
    # Under the booking's private link; the bookings URLconf is searched first but has no such pattern.
    path("bookings/<str:token>/certificate.pdf", views.booking_certificate_pdf, name="booking_certificate"),
]

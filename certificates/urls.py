from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("safe-havens/", views.register, name="register"),
    path("safe-havens.geojson", views.register_geojson, name="geojson"),
    path("safe-havens/<slug:slug>/", views.venue_detail, name="venue"),
    path("certificates/verify/<str:code>/", views.verify, name="verify"),
]

from django.urls import path

from . import views

app_name = "helplog"

urlpatterns = [
    path("<int:venue_id>/", views.record, name="record"),
    path("<int:venue_id>/done/", views.recorded, name="recorded"),
    path("<int:venue_id>/share/", views.share, name="share"),
    path("record/<str:token>/", views.record_by_link, name="record_by_link"),
    path("record/<str:token>/done/", views.recorded_by_link, name="recorded_by_link"),
]

from django.urls import path

from . import interest_views

app_name = "interest"

urlpatterns = [
    path("new-dates/stop/<str:token>/", interest_views.stop_new_dates, name="stop_new_dates"),
]

from django.urls import path

from . import attendance_views, views

app_name = "bookings"

urlpatterns = [
    path("calendar.ics", views.calendar_feed, name="calendar_feed"),
    path("sessions/<int:session_id>/book/", views.book, name="book"),
    path("<str:token>/check-in/", attendance_views.check_in, name="check_in"),
    path("<str:token>/knowledge-check/", attendance_views.knowledge_check, name="knowledge_check"),
    path("<str:token>/", views.manage, name="manage"),
    path("<str:token>/cancel/", views.cancel, name="cancel"),
    path("<str:token>/change/", views.change, name="change"),
    path("<str:token>/invite.ics", views.invite, name="invite"),
]

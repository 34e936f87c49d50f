from django.urls import path

from . import views

app_name = "venues"

urlpatterns = [
    path("", views.sign_in, name="sign_in"),
    path("sign-in/<str:token>/", views.use_link, name="use_link"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("account/", views.account, name="account"),
    path("<int:venue_id>/details/", views.details, name="details"),
    path("<int:venue_id>/pledge/", views.pledge, name="pledge"),
    path("<int:venue_id>/renew/", views.renew, name="renew"),
    path("<int:venue_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:venue_id>/invite/", views.invite, name="invite"),
]

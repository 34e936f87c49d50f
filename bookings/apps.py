from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = "Sessions and bookings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import open_data  # noqa: F401 - registers the calendar feed for the background rebuild
        from .models import Booking, Session
        from .places import places_changed

        # Places left on course pages are kept until a booking or session is written (places.py).
        for model in (Booking, Session):
            post_save.connect(places_changed, sender=model, dispatch_uid=f"places-{model.__name__}-save")
            post_delete.connect(places_changed, sender=model, dispatch_uid=f"places-{model.__name__}-delete")

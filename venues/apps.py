from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "venues"
    verbose_name = "Venue accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from . import signals

        post_save.connect(signals.invite_on_first_certificate, sender="certificates.Certificate",
                          dispatch_uid="venues_invite_on_first_certificate")  # fmt: skip

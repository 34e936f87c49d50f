from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "Spot checks and mystery visits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from . import signals

        post_save.connect(signals.clear_refresher_on_completion, sender="certificates.Certificate",
                          dispatch_uid="visits_clear_refresher_on_completion")  # fmt: skip

from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "Spot checks and mystery visits"
    default_auto_field = "django.db.models.BigAutoField"

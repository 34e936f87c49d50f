from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "venues"
    verbose_name = "Venue accounts"
    default_auto_field = "django.db.models.BigAutoField"

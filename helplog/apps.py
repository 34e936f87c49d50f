from django.apps import AppConfig


class HelplogConfig(AppConfig):
    name = "helplog"
    verbose_name = "Help given log"
    default_auto_field = "django.db.models.BigAutoField"

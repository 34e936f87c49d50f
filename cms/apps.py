from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site and partners"
    default_auto_field = "django.db.models.BigAutoField"

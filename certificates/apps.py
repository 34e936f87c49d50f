from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "Certificates and Safe Havens"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # signals connects the course_completed receiver; open_data registers the register's
        # GeoJSON for the background rebuild (cms/prebuilt.py).
        from . import open_data, signals  # noqa: F401

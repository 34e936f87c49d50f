from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "Certificates and Safe Havens"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # signals connects the course_completed receiver; views registers the register's GeoJSON
        # for the background rebuild (cms/prebuilt.py).
        from . import signals, views  # noqa: F401

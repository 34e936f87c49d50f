from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site and partners"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import post_page_move

        from .page_cache import retire_all_pages, retire_on_change

        post_save.connect(retire_on_change, dispatch_uid="public-page-cache-save")
        post_delete.connect(retire_on_change, dispatch_uid="public-page-cache-delete")
        post_page_move.connect(retire_all_pages, dispatch_uid="public-page-cache-move")

from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site and partners"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import post_page_move

        from .content_version import bump_content_version, bump_on_change

        post_save.connect(bump_on_change, dispatch_uid="content-version-save")
        post_delete.connect(bump_on_change, dispatch_uid="content-version-delete")
        post_page_move.connect(bump_content_version, dispatch_uid="content-version-move")
        from .prebuilt import rebuild_after_change

        post_save.connect(rebuild_after_change, dispatch_uid="open-data-rebuild-save")
        post_delete.connect(rebuild_after_change, dispatch_uid="open-data-rebuild-delete")
        post_page_move.connect(rebuild_after_change, dispatch_uid="open-data-rebuild-move")

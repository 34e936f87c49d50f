from wagtail import hooks

from cms.admin_hooks import register_dashboard_panel, register_log_actions

LOG_ACTIONS = [
    ("helplog.recorded", "Help given recorded", "Help given recorded by the venue"),
    ("helplog.link_created", "Help log link created", "Link for staff on shift created"),
    ("helplog.link_revoked", "Help log link switched off", "Link for staff on shift switched off"),
    ("helplog.purged", "Help log rows deleted", "Help log rows past the retention period deleted"),
]


register_log_actions(LOG_ACTIONS)


register_dashboard_panel("helplog.admin_views.dashboard_panel_for")


@hooks.register("register_admin_urls")
def help_given_urls():
    from django.urls import path

    from .admin_views import export_view

    return [path("help-given/export/", export_view, name="help_given_export")]

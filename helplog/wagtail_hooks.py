from wagtail import hooks

LOG_ACTIONS = [
    ("helplog.recorded", "Help given recorded", "Help given recorded by the venue"),
    ("helplog.link_created", "Help log link created", "Link for staff on shift created"),
    ("helplog.link_revoked", "Help log link switched off", "Link for staff on shift switched off"),
    ("helplog.purged", "Help log rows deleted", "Help log rows past the retention period deleted"),
]


@hooks.register("register_log_actions")
def register_help_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)


@hooks.register("construct_homepage_panels")
def add_help_given_panel(request, panels):
    from .admin_views import dashboard_panel_for

    panel = dashboard_panel_for(request)
    if panel is not None:
        panels.append(panel)


@hooks.register("register_admin_urls")
def help_given_urls():
    from django.urls import path

    from .admin_views import export_view

    return [path("help-given/export/", export_view, name="help_given_export")]

"""The two hook registrations every app makes the same way: its table of audit actions, and its
panel on the staff dashboard."""

from django.utils.module_loading import import_string
from wagtail import hooks


def register_log_actions(table) -> None:
    """Give each (action, label, message) row a label in Wagtail's history screens (an action
    without one breaks the history page)."""

    @hooks.register("register_log_actions")
    def register(actions):
        for action, label, message in table:
            actions.register_action(action, label, message)


def register_dashboard_panel(panel_for: str) -> None:
    """Add the panel `panel_for(request)` returns (a dotted path, imported when the dashboard is
    built) to the staff dashboard; None adds nothing (e.g. for an editor)."""

    @hooks.register("construct_homepage_panels")
    def add(request, panels):
        panel = import_string(panel_for)(request)
        if panel is not None:
            panels.append(panel)

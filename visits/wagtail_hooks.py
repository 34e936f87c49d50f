from wagtail import hooks
from wagtail.permissions import register_permission_policy

from cms.admin_hooks import register_dashboard_panel, register_log_actions
from cms.admin_scoping import PartnerStaffPolicy

from .models import Visit, VisitQuestion
from .viewsets import VisitsViewSetGroup

# A visit is a record of what happened: recorded and looked at, never edited or deleted. The
# checklist is the council's own to change (past visits keep the words they were asked in).
register_permission_policy(Visit, PartnerStaffPolicy(Visit, {"view", "add"}))
register_permission_policy(VisitQuestion, PartnerStaffPolicy(VisitQuestion, {"view", "add", "change", "delete"}))

LOG_ACTIONS = [
    ("visits.record", "Record visit", "Visit recorded"),
    ("visits.visit_recorded", "Visit recorded", "Visit recorded"),
    ("visits.refresher_needed", "Refresher needed", "Failed visit: refresher training needed"),
    ("visits.refresher_cleared", "Refresher done", "Refresher no longer needed"),
]


register_log_actions(LOG_ACTIONS)


@hooks.register("register_admin_viewset")
def register_visit_viewsets():
    return VisitsViewSetGroup()


register_dashboard_panel("visits.dashboard.visits_panel_for")

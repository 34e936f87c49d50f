"""The visits panel on the admin home page: visits due and overdue, refreshers needed, and the
outcomes of the last 12 months as a table with CSS bars (a screen reader reads the table)."""

from django.forms import Media
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from cms.admin_scoping import staff_partners

from .selectors import outcomes_per_month, refreshers_needed, visits_due


def visits_summary(partner, *, today) -> dict:
    record = reverse("visits:add")
    due = visits_due(partner, today=today)
    for row in due["venues"]:
        row["record_url"] = f"{record}?venue={row['venue'].pk}"
    refreshers = refreshers_needed(partner)
    chart = outcomes_per_month(partner, today=today)
    return {
        "partner": partner,
        "due": due,
        "refreshers": refreshers,
        "refresher_rows": [
            {
                "venue": venue,
                "deadline": venue.refresher_deadline,
                "overdue": venue.refresher_deadline < today,
                "url": reverse("safe_haven_venues:edit", args=[venue.pk]),
            }
            for venue in refreshers["venues"]
        ],  # fmt: skip
        "chart": chart,
        "totals": {key: sum(row[key] for row in chart) for key in ("pass", "advice", "fail", "total")},
        "visit_every_months": partner.visit_every_months,
        "index_url": reverse("visits:index"),
        "record_url": f"{record}?partner={partner.pk}",
    }


class VisitsDashboardPanel(Component):
    template_name = "visits/admin/dashboard_panel.html"
    order = 60

    def __init__(self, summaries):
        self.summaries = summaries

    @property
    def media(self):
        return Media(css={"all": ["visits/visits-admin.css"]})

    def get_context_data(self, parent_context):
        return {"summaries": self.summaries}


def visits_panel_for(request):
    partners = list(staff_partners(request.user).select_related("site"))
    if not partners:
        return None
    today = timezone.localdate()
    return VisitsDashboardPanel([visits_summary(partner, today=today) for partner in partners])

"""Coordinators' view of the help log: a dashboard panel of counts and the CSV/XLSX export.

Both are scoped to `staff_partners(user)`: another council's rows are never counted or exported.
"""

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from cms.admin_scoping import require_partner_staff, staff_partners
from cms.exports import Export, export_or_form

from .selectors import EXPORT_COLUMNS, help_for_export, help_summary


class HelpGivenPanel(Component):
    template_name = "helplog/admin/dashboard_panel.html"
    order = 70  # after the programme panel

    def __init__(self, summaries):
        self.summaries = summaries

    def get_context_data(self, parent_context):
        return {"summaries": self.summaries, "export_url": reverse("help_given_export")}


def dashboard_panel_for(request):
    partners = list(staff_partners(request.user))
    if not partners:
        return None
    today = timezone.localdate()
    return HelpGivenPanel([help_summary(partner, today=today) for partner in partners])


def export_view(request):
    """`/admin/help-given/export/`: one row per occasion of help, for the coordinator's councils.

    A row gives the month, not the day: with the venue and the time of day, a date could be matched
    against other records (a police log) to find the person helped. The note is included: it was
    refused at entry if it looked like it held an email address, a phone number or a postcode.
    """
    require_partner_staff(request)
    partners = list(staff_partners(request.user))

    def build(_include_access_needs):
        return Export.from_columns("Help given", EXPORT_COLUMNS, help_for_export(partners), partners=partners)

    return export_or_form(request, title="Export help given", build=build, back_url=reverse("wagtailadmin_home"),
                          access_needs=False)  # fmt: skip

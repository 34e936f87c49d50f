"""The partner dashboard on the Wagtail admin home page: the programme at a glance.

One panel per partner the user coordinates. Everything is aggregated in the database (a fixed
number of queries per partner, whatever the volume). The chart is an SVG with attributes only
(no inline style or script, for the CSP) followed by the same figures as a table.
"""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from wagtail.admin.ui.components import Component

from bookings.models import Booking, Session
from cms.admin_scoping import staff_partners
from cms.choices import VenueType
from cms.models import InterestSubmission

from .models import Certificate, Venue

LAPSING_DAYS = 30
CHART_MONTHS = 12
CHART_WIDTH, BAR_HEIGHT, BAR_GAP, LABEL_WIDTH = 480, 18, 6, 80


def _month_starts(today: datetime.date, count: int) -> list[datetime.date]:
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def accreditations_per_month(*, partner, today: datetime.date) -> list[dict]:
    months = _month_starts(today, CHART_MONTHS)
    counts = {
        row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]: row["count"]
        for row in Certificate.objects.filter(partner=partner, issued_on__gte=months[0])
        .annotate(month=TruncMonth("issued_on"))
        .values("month")
        .annotate(count=Count("pk"))
    }
    peak = max(counts.values(), default=0) or 1
    bar_space = CHART_WIDTH - LABEL_WIDTH - 40
    rows = []
    for index, month in enumerate(months):
        count = counts.get(month, 0)
        rows.append(
            {
                "label": month.strftime("%b %Y"),
                "short": month.strftime("%b %y"),
                "count": count,
                "y": index * (BAR_HEIGHT + BAR_GAP),
                "text_y": index * (BAR_HEIGHT + BAR_GAP) + BAR_HEIGHT - 5,
                "width": round(bar_space * count / peak),
                "value_x": LABEL_WIDTH + round(bar_space * count / peak) + 6,
            }
        )
    return rows


def partner_summary(partner, *, now=None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    upcoming = list(Session.objects.upcoming(now).filter(partner=partner).select_related("page").with_counts()[:8])
    register = Booking.objects.filter(
        partner=partner, status=Booking.Status.CONFIRMED, session__ends_at__lt=now, attended__isnull=False
    ).aggregate(recorded=Count("pk"), attended=Count("pk", filter=Q(attended=True)))
    completions = Booking.objects.filter(partner=partner, completed_at__isnull=False).count()
    accredited = Venue.objects.accredited(today=today).filter(partner=partner)
    by_area = list(accredited.values("area__name").annotate(count=Count("pk")).order_by("area__name"))
    types = dict(VenueType.choices)
    by_type = [
        {"label": types.get(row["venue_type"], row["venue_type"]), "count": row["count"]}
        for row in accredited.values("venue_type").annotate(count=Count("pk")).order_by("venue_type")
    ]
    lapsing = list(
        accredited.filter(accredited_until__lte=today + datetime.timedelta(days=LAPSING_DAYS))
        .order_by("accredited_until")
        .values("name", "postcode", "accredited_until")[:10]
    )
    chart = accreditations_per_month(partner=partner, today=today)
    return {
        "partner": partner,
        "upcoming": upcoming,
        "attendance_rate": round(100 * register["attended"] / register["recorded"]) if register["recorded"] else None,
        "attendance_recorded": register["recorded"],
        "completions": completions,
        "accredited_total": sum(row["count"] for row in by_area),
        "by_area": [{"label": row["area__name"] or "No area", "count": row["count"]} for row in by_area],
        "by_type": by_type,
        "lapsing": lapsing,
        "lapsing_days": LAPSING_DAYS,
        "new_interest": InterestSubmission.objects.filter(
            partner=partner, status=InterestSubmission.Status.NEW
        ).count(),
        "chart": chart,
        "chart_height": len(chart) * (BAR_HEIGHT + BAR_GAP),
        "chart_total": sum(row["count"] for row in chart),
    }


class PartnerDashboardPanel(Component):
    template_name = "certificates/admin/dashboard_panel.html"
    order = 50

    def __init__(self, summaries):
        self.summaries = summaries

    def get_context_data(self, parent_context):
        return {
            "summaries": self.summaries,
            "chart_width": CHART_WIDTH,
            "label_width": LABEL_WIDTH,
            "bar_height": BAR_HEIGHT,
        }


def dashboard_panel_for(request):
    partners = list(staff_partners(request.user).select_related("site"))
    if not partners:
        return None
    return PartnerDashboardPanel([partner_summary(partner) for partner in partners])

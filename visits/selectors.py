"""Reads for visits: which venues are due a visit, which need a refresher, outcomes by month.

Each is a fixed number of aggregate queries per partner, whatever the number of venues or visits.
"""

import datetime

from django.db.models import Count, F, Max, Q
from django.db.models.functions import TruncMonth

from certificates.dashboard import _month_starts
from certificates.models import Venue
from certificates.services import add_months

from .models import Visit

FIRST_FEW = 10
CHART_MONTHS = 12
OVERDUE_MONTHS = 1  # due for more than a month: overdue


def venues_with_last_visit(partner, *, today: datetime.date):
    """The partner's accredited venues, each annotated with `last_visit` (None if never visited)."""
    return Venue.objects.accredited(today=today).filter(partner=partner).annotate(last_visit=Max("visits__visited_on"))


def due_on(venue, *, partner) -> datetime.date:
    """When a venue is (or was) due its next visit: a visit period after the last, or from when it was
    added if it has never been visited."""
    if venue.last_visit:
        return add_months(venue.last_visit, partner.visit_every_months or 12)
    return venue.created_at.date()


def visits_due(partner, *, today: datetime.date) -> dict:
    """Accredited venues due a visit (last visit a period ago, or never visited), and how many of
    them are overdue (due for more than a month)."""
    months = partner.visit_every_months or 12
    due_cutoff = add_months(today, -months)
    overdue_cutoff = add_months(today, -(months + OVERDUE_MONTHS))
    venues = venues_with_last_visit(partner, today=today)
    due = Q(last_visit__isnull=True) | Q(last_visit__lte=due_cutoff)
    overdue = Q(last_visit__lte=overdue_cutoff) | Q(
        last_visit__isnull=True, created_at__date__lte=add_months(today, -OVERDUE_MONTHS)
    )
    counts = venues.aggregate(due=Count("pk", filter=due), overdue=Count("pk", filter=overdue))
    first = venues.filter(due).order_by(F("last_visit").asc(nulls_first=True), "created_at", "pk")[:FIRST_FEW]
    rows = []
    for venue in first:
        when = due_on(venue, partner=partner)
        rows.append({"venue": venue, "due_on": when, "last_visit": venue.last_visit,
                     "overdue": add_months(when, OVERDUE_MONTHS) < today})  # fmt: skip
    return {"due": counts["due"], "overdue": counts["overdue"], "venues": rows, "more": counts["due"] - len(rows)}


def refreshers_needed(partner) -> dict:
    venues = Venue.objects.filter(partner=partner, refresher_needed_on__isnull=False, merged_into__isnull=True)
    first = list(venues.order_by("refresher_deadline", "name", "pk")[:FIRST_FEW])
    count = len(first) if len(first) < FIRST_FEW else venues.count()
    return {"count": count, "venues": first, "more": count - len(first)}


def outcomes_per_month(partner, *, today: datetime.date) -> list[dict]:
    """Pass, advice and fail counts for each of the last 12 months (this one included), oldest first."""
    months = _month_starts(today, CHART_MONTHS)
    counts: dict = {}
    rows = (
        Visit.objects.filter(partner=partner, visited_on__gte=months[0], visited_on__lte=today)
        .annotate(month=TruncMonth("visited_on"))
        .values("month", "outcome")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        counts[(month, row["outcome"])] = row["count"]
    totals: dict = {}
    for (month, _outcome), count in counts.items():
        totals[month] = totals.get(month, 0) + count
    peak = max(totals.values(), default=0) or 1  # the busiest month's bar is full width
    result = []
    for month in months:
        figures = {outcome: counts.get((month, outcome), 0) for outcome in Visit.Outcome.values}
        result.append(
            {
                "month": month,
                "label": f"{month:%B %Y}",
                "short": f"{month:%b %Y}",
                **figures,
                "total": sum(figures.values()),
                "bars": [
                    {
                        "outcome": outcome,
                        "label": label,
                        "count": figures[outcome],
                        "percent": round(100 * figures[outcome] / peak, 1),
                    }
                    for outcome, label in Visit.Outcome.choices
                ],  # fmt: skip
            }
        )
    return result

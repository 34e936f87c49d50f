"""Reads of the help log for coordinators: the dashboard's counts and the CSV export's rows.

Only ever for the partners a coordinator runs (the callers pass `staff_partners(user)`); nothing
here is shown on a public page, in the register or in the GeoJSON.
"""

import datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth

from cms.choices import VenueType

from .models import HelpGiven, HelpGivenKind, HelpKind, TimeBand

CHART_MONTHS = 12


def month_starts(today: datetime.date, count: int = CHART_MONTHS) -> list[datetime.date]:
    """The first day of this month and the `count - 1` before it, oldest first."""
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _bars(rows: list[dict]) -> list[dict]:
    """Each row's share of the largest, as a whole percentage for a CSS bar (0 stays 0)."""
    peak = max((row["count"] for row in rows), default=0) or 1
    return [row | {"percent": round(100 * row["count"] / peak)} for row in rows]


def help_summary(partner, *, today: datetime.date) -> dict:
    """Occasions of help at the partner's venues in the last 12 months (this month included), by
    month, by kind of help, by area and by venue type. Four GROUP BY queries, whatever the volume."""
    months = month_starts(today)
    rows = HelpGiven.objects.filter(partner=partner, day__gte=months[0], day__lte=today)
    per_month = {
        _as_date(row["month"]): row["count"]
        for row in rows.annotate(month=TruncMonth("day")).values("month").annotate(count=Count("pk")).order_by()
    }
    kind_counts = dict(
        HelpGivenKind.objects.filter(help_given__in=rows).values_list("code").annotate(count=Count("pk")).order_by()
    )
    types = dict(VenueType.choices)
    by_area = [
        {"label": row["venue__area__name"] or "No area", "count": row["count"]}
        for row in rows.values("venue__area__name").annotate(count=Count("pk")).order_by("venue__area__name")
    ]
    by_type = [
        {"label": types.get(row["venue__venue_type"], row["venue__venue_type"]), "count": row["count"]}
        for row in rows.values("venue__venue_type").annotate(count=Count("pk")).order_by("venue__venue_type")
    ]
    by_month = [{"label": f"{month:%B %Y}", "count": per_month.get(month, 0)} for month in months]
    by_kind = [{"label": label, "count": kind_counts.get(code, 0)} for code, label in HelpKind.choices]
    return {
        "partner": partner,
        "total": sum(row["count"] for row in by_month),
        "since": months[0],
        "tables": [
            {"key": "month", "caption": "By month", "heading": "Month", "rows": _bars(by_month)},
            {"key": "kind", "caption": "By kind of help", "heading": "Help given", "rows": _bars(by_kind)},
            {"key": "area", "caption": "By area", "heading": "Area",
             "rows": _bars(sorted(by_area, key=lambda row: (-row["count"], row["label"])))},
            {"key": "type", "caption": "By venue type", "heading": "Venue type",
             "rows": _bars(sorted(by_type, key=lambda row: (-row["count"], row["label"])))},
        ],
    }  # fmt: skip


def help_for_export(partners):
    """Every row of these partners, oldest first, with what the export shows loaded up front."""
    return (
        HelpGiven.objects.filter(partner__in=partners)
        .select_related("partner", "venue__area")
        .prefetch_related("kinds", "signposted_to")
        .order_by("partner__name", "day", "pk")
    )


EXPORT_COLUMNS = [
    ("Council", lambda row: row.partner.name),
    ("Month", lambda row: f"{row.day:%Y-%m}"),
    ("Time of day", lambda row: TimeBand(row.time_band).label),
    ("Venue", lambda row: row.venue.name),
    ("Venue type", lambda row: row.venue.get_venue_type_display()),
    ("Area", lambda row: row.venue.area.name if row.venue.area else ""),
    ("Help given", lambda row: "; ".join(row.kind_labels)),
    ("Signposted to", lambda row: "; ".join(service.name for service in row.signposted_to.all())),
    ("Note", lambda row: row.note),
    ("Recorded from", lambda row: row.get_via_display()),
]

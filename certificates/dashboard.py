"""The partner dashboard on the Wagtail admin home page: the programme at a glance.

One panel per partner the user coordinates. Everything is aggregated in the database (a fixed
number of queries per partner, whatever the volume). The chart is an SVG with attributes only
(no inline style or script, for the CSP) followed by the same figures as a table.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from bookings.admin_register import knowledge_check_state
from bookings.models import Booking, Session
from cms.admin_scoping import staff_partners
from cms.choices import VenueType
from cms.formats import short_datetime
from cms.models import InterestSubmission
from courses.models import KnowledgeCheckQuestion

from .models import Certificate, Venue
from .selectors import RENEWAL_NOTICE_DAYS, renewals_due

LAPSING_DAYS = 30
FIRST_FEW = 5
THIS_WEEK = datetime.timedelta(days=7)
FOLLOW_UP_WORKING_DAYS = 5
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


def _date(value: datetime.date) -> str:
    return f"{value.day} {value:%b %Y}"


def working_days_before(moment: datetime.datetime, days: int) -> datetime.datetime:
    """The moment `days` working days (Monday to Friday) before `moment`, on `moment`'s clock.

    A weekend counts for nothing, so from a Saturday or Sunday the count starts at the end of
    Friday. Bank holidays count as working days: they differ between the four nations and move
    year to year, and a day's slack in a follow-up reminder is not worth a holiday calendar.
    """
    if moment.weekday() >= 5:
        moment = moment.replace(hour=0, minute=0, second=0, microsecond=0) - datetime.timedelta(
            days=moment.weekday() - 5
        )
    counted = 0
    while counted < days:
        moment -= datetime.timedelta(days=1)
        if moment.weekday() < 5:
            counted += 1
    return moment


def _needs_attention(queryset, items) -> dict:
    """A count and the first few rows, each row made into {"text", "url", ...} by `items`."""
    count, rows = queryset.count(), items(queryset[:FIRST_FEW])
    return {"count": count, "items": rows, "more": count - len(rows)}


def waiting_for_agreements(partner, *, today: datetime.date) -> dict:
    def items(venues):
        rows = []
        for venue in venues:
            missing = [text for agreed, text in ((venue.agreed_to_pledge, "pledge not agreed"),
                                                 (venue.agreed_to_be_listed, "not listed")) if not agreed]  # fmt: skip
            rows.append(
                {
                    "text": f"{venue.name}, {venue.postcode}",
                    "detail": " and ".join(missing).capitalize(),
                    "url": reverse("safe_haven_venues:edit", args=[venue.pk]),
                }
            )
        return rows

    venues = Venue.objects.filter(partner=partner).awaiting_agreements(today=today).order_by("created_at", "pk")
    return _needs_attention(venues, items) | {"see_all": reverse("safe_haven_venues:index") + "?waiting=agreements"}


def renewals_to_chase(partner, *, today: datetime.date) -> dict:
    def items(venues):
        return [
            {
                "text": f"{venue.name}, {venue.postcode}",
                "detail": f"Renewal overdue: it was due {_date(venue.renewal_due_on)}"
                if venue.renewal_due_on < today
                else f"Renewal due {_date(venue.renewal_due_on)}",
                "url": reverse("safe_haven_venues:edit", args=[venue.pk]),
            }
            for venue in venues
        ]

    venues = renewals_due(Venue.objects.filter(partner=partner), today=today)
    return _needs_attention(venues, items) | {"see_all": reverse("safe_haven_venues:index") + "?renewal=due"}


def waiting_for_knowledge_check(partner, *, zone: ZoneInfo) -> dict:
    # "Has a knowledge check" as the register decides it: the session's page is a course with
    # questions. A question's page is a CoursePage, so one EXISTS covers both halves.
    has_check = Exists(KnowledgeCheckQuestion.objects.filter(page_id=OuterRef("session__page_id")))
    bookings = (
        Booking.objects.filter(
            has_check,
            partner=partner,
            status=Booking.Status.CONFIRMED,
            attended=True,
            completed_at__isnull=True,
            knowledge_check_passed_at__isnull=True,
        )
        .select_related("session__page")
        .order_by("session__starts_at", "pk")
    )

    def items(rows):
        return [
            {
                "text": f"{booking.name}, {booking.organisation}" if booking.organisation else booking.name,
                "detail": f"{booking.session.page.title}, {_date(booking.session.starts_at.astimezone(zone))}: "
                f"{knowledge_check_state(booking, has_check=True)}",
                "url": reverse("staff_sessions:register", args=[booking.session_id]),
            }
            for booking in rows
        ]

    return _needs_attention(bookings, items)


def sessions_with_places_this_week(partner, *, now: datetime.datetime, zone: ZoneInfo) -> dict:
    # A week on the partner's clock: adding days to a zoned time keeps the wall-clock hour across
    # a change to or from summer time.
    local_now = now.astimezone(zone)
    sessions = (
        Session.objects.filter(
            partner=partner,
            status=Session.Status.SCHEDULED,
            starts_at__gte=now,
            starts_at__lt=local_now + THIS_WEEK,
        )
        .with_counts()
        .filter(taken_count__lt=F("capacity"))
        .select_related("page")
        .order_by("starts_at", "pk")
    )

    def items(rows):
        result = []
        for session in rows:
            left = session.capacity - session.taken_count
            starts = session.starts_at.astimezone(zone)
            result.append(
                {
                    "text": f"{session.page.title}, {short_datetime(starts, weekday=True)}",
                    "detail": f"{left} place{'' if left == 1 else 's'} left",
                    "url": reverse("staff_sessions:detail", args=[session.pk]),
                }
            )
        return result

    return _needs_attention(sessions, items) | {"see_all": reverse("staff_sessions:index")}


def interest_not_contacted(partner, *, now: datetime.datetime, zone: ZoneInfo) -> dict:
    cutoff = working_days_before(now.astimezone(zone), FOLLOW_UP_WORKING_DAYS)
    submissions = InterestSubmission.objects.filter(
        partner=partner, status=InterestSubmission.Status.NEW, submit_time__lt=cutoff
    ).order_by("submit_time", "pk")

    def items(rows):
        result = []
        for submission in rows:
            answers = submission.form_data
            who = answers.get("organisation") or answers.get("name") or answers.get("email") or "Someone"
            if answers.get("name") and answers.get("name") != who:
                who = f"{answers['name']}, {who}"
            result.append(
                {
                    "text": who,
                    "detail": f"Sent {_date(submission.submit_time.astimezone(zone))}",
                    "url": reverse("staff_interest:edit", args=[submission.pk]),
                }
            )
        return result

    return _needs_attention(submissions, items) | {"see_all": reverse("staff_interest:index") + "?status=new"}


def partner_summary(partner, *, now=None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Soonest first, explicitly: Meta.ordering is not applied to a GROUP BY query.
    upcoming = list(
        Session.objects.upcoming(now)
        .filter(partner=partner)
        .select_related("page")
        .with_counts()
        .order_by("starts_at", "pk")[:8]
    )
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
    zone = partner.zone
    return {
        "partner": partner,
        "attention": [
            {
                "key": "agreements",
                "heading": "Trained venues waiting for the pledge or listing",
                "hint": "Trained, but not on the public register until they agree. Open a venue to record it.",
                "none": "No trained venue is waiting.",
                "see_all_label": "See all waiting venues",
                **waiting_for_agreements(partner, today=today),
            },
            {
                "key": "renewals",
                "heading": f"Renewals due in the next {RENEWAL_NOTICE_DAYS} days or overdue",
                "hint": "The venue's lead is emailed to re-confirm its details and the pledge. An overdue venue is "
                "off the public register until they do.",
                "none": f"No renewal is due in the next {RENEWAL_NOTICE_DAYS} days and none is overdue.",
                "see_all_label": "See all renewals due",
                **renewals_to_chase(partner, today=today),
            },
            {
                "key": "knowledge-check",
                "heading": "Certificates waiting on a knowledge check",
                "hint": "They attended; their certificate is issued when they pass. The register shows each one.",
                "none": "Everyone who attended has passed or has no check to take.",
                **waiting_for_knowledge_check(partner, zone=zone),
            },
            {
                "key": "places",
                "heading": "Sessions in the next 7 days with places left",
                "hint": "Open a session to book someone in or to see who is coming.",
                "none": "No session in the next 7 days has places left.",
                "see_all_label": "See all sessions",
                **sessions_with_places_this_week(partner, now=now, zone=zone),
            },
            {
                "key": "interest",
                "heading": f"Interest registrations not contacted after {FOLLOW_UP_WORKING_DAYS} working days",
                "hint": "Weekends are skipped; bank holidays are not. Open one to record that you got in touch.",
                "none": "Every registration has been contacted in time.",
                "see_all_label": "See all new registrations",
                **interest_not_contacted(partner, now=now, zone=zone),
            },
        ],
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

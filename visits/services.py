"""Recording visits, and the refresher a failed one asks for: set, cleared, or enforced daily.

A fail marks the venue "refresher needed" with a deadline (the partner's `refresher_days`) and
emails its leads. A later pass or advice, or a new certificate for the venue, clears it; if the
deadline passes first, `suspend_overdue_refreshers` suspends the venue, marked as automatic so
that a later pass lifts that suspension (and never one a coordinator made).
"""

import datetime

from django.db import transaction
from wagtail.log_actions import log

from certificates import services as certificate_services
from certificates.models import Venue
from cms.models import Partner
from cms.sanitise import clean_text

from .exceptions import VisitError
from .models import DEFAULT_QUESTIONS, NOTES_MAX_LENGTH, Visit, VisitAnswer, VisitQuestion

AUTOMATIC_REASON_START = "Failed visit on"


def _date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def checklist(*, partner) -> list[VisitQuestion]:
    """The partner's active questions, in order; a partner with no question at all gets the defaults
    (once, under the partner's lock, so two first visits at once do not seed twice)."""
    questions = list(VisitQuestion.objects.filter(partner=partner, active=True))
    if questions or VisitQuestion.objects.filter(partner=partner).exists():
        return questions
    with transaction.atomic():
        Partner.objects.select_for_update().filter(pk=partner.pk).first()
        if not VisitQuestion.objects.filter(partner=partner).exists():
            VisitQuestion.objects.bulk_create(
                [
                    VisitQuestion(partner=partner, text=text, sort_order=(n + 1) * 10)
                    for n, text in enumerate(DEFAULT_QUESTIONS)
                ]  # fmt: skip
            )
    return list(VisitQuestion.objects.filter(partner=partner, active=True))


def record_visit(
    *,
    venue: Venue,
    visited_on: datetime.date,
    kind: str,
    outcome: str,
    answers: dict[int, bool],
    notes: str,
    visited_by_user,
    visited_by_name: str,
    actor,
    today: datetime.date,
) -> Visit:
    """Record a visit with its checklist answers (question id → yes/no) and apply its outcome.

    Only the venue's latest visit decides the refresher: an older visit entered late is recorded
    and changes nothing."""
    notes = clean_text(notes or "").strip()
    visited_by_name = " ".join(clean_text(visited_by_name or "").split())
    if visited_on > today:
        raise VisitError("The date of the visit must be today or in the past.")
    if len(notes) > NOTES_MAX_LENGTH:
        raise VisitError(f"Notes must be {NOTES_MAX_LENGTH} characters or fewer.")
    if kind not in Visit.Kind.values or outcome not in Visit.Outcome.values:
        raise VisitError("Choose the kind of visit and its outcome.")
    if not visited_by_user and not visited_by_name:
        raise VisitError("Say who visited.")
    with transaction.atomic():
        venue = Venue.objects.select_for_update().select_related("partner").get(pk=venue.pk)
        if venue.merged_into_id:
            raise VisitError("This venue was merged into another: record the visit there.")
        questions = {q.pk: q for q in VisitQuestion.objects.filter(partner=venue.partner, pk__in=list(answers))}
        visit = Visit.objects.create(
            partner=venue.partner, venue=venue, visited_on=visited_on, kind=kind, outcome=outcome, notes=notes,
            visited_by_user=None if visited_by_name else visited_by_user, visited_by_name=visited_by_name,
            created_by=actor,
        )  # fmt: skip
        VisitAnswer.objects.bulk_create(
            [
                VisitAnswer(visit=visit, question=questions[pk], question_text=questions[pk].text, answer=bool(value))
                for pk, value in answers.items()
                if pk in questions
            ]  # fmt: skip
        )
        data = {"venue": venue.pk, "visited_on": visited_on.isoformat(), "kind": kind, "outcome": outcome}
        log(visit, "visits.record", user=actor, data=data)
        log(venue, "visits.visit_recorded", user=actor, data={"visit": visit.pk, **data})
        latest = latest_visit_id(venue) == visit.pk
        if latest and outcome == Visit.Outcome.FAIL:
            _needs_refresher(venue=venue, visit=visit, actor=actor, today=today)
        elif latest and venue.refresher_needed_on and visited_on >= venue.refresher_needed_on:
            _clear_refresher(venue=venue, actor=actor, because=f"{visit.get_outcome_display()} on {_date(visited_on)}")
    return visit


def _needs_refresher(*, venue: Venue, visit: Visit, actor, today: datetime.date) -> None:
    from .tasks import send_refresher_needed

    deadline = today + datetime.timedelta(days=venue.partner.refresher_days or 30)
    Venue.objects.filter(pk=venue.pk).update(refresher_needed_on=visit.visited_on, refresher_deadline=deadline)
    venue.refresher_needed_on, venue.refresher_deadline = visit.visited_on, deadline
    log(venue, "visits.refresher_needed", user=actor, data={"visit": visit.pk, "deadline": deadline.isoformat()})
    visit_id = visit.pk
    transaction.on_commit(lambda: send_refresher_needed.enqueue(visit_id=visit_id))


def is_automatic_suspension(venue: Venue) -> bool:
    """Suspended by `suspend_overdue_refreshers` and not since by a coordinator (whose reason differs)."""
    return bool(
        venue.suspended and venue.suspended_automatically and venue.suspended_reason.startswith(AUTOMATIC_REASON_START)
    )


def _clear_refresher(*, venue: Venue, actor, because: str) -> None:
    """No refresher needed any more; an automatic suspension is lifted, a coordinator's is kept."""
    lift = is_automatic_suspension(venue)
    Venue.objects.filter(pk=venue.pk).update(refresher_needed_on=None, refresher_deadline=None,
                                             suspended_automatically=False)  # fmt: skip
    venue.refresher_needed_on = venue.refresher_deadline = None
    venue.suspended_automatically = False
    log(venue, "visits.refresher_cleared", user=actor, data={"because": because, "unsuspended": lift})
    if lift:
        certificate_services.unsuspend_venue(venue=venue, actor=actor)


def clear_refresher_after_completion(*, certificate) -> bool:
    """A new certificate for a venue that needs a refresher, issued on or after the failed visit, is the
    refresher. Runs inside the transaction that issues the certificate."""
    with transaction.atomic():
        venue = Venue.objects.select_for_update().filter(pk=certificate.venue_id).first()
        if venue is None or venue.refresher_needed_on is None or certificate.issued_on < venue.refresher_needed_on:
            return False
        _clear_refresher(venue=venue, actor=None, because=f"Certificate issued on {_date(certificate.issued_on)}")
    return True


def suspend_overdue_refreshers(*, today: datetime.date) -> int:
    """Daily: suspend each venue whose refresher deadline has passed with no one trained since the
    failed visit. Idempotent, and safe on two hosts at once: each venue is re-checked under its lock."""
    overdue = Venue.objects.filter(
        refresher_needed_on__isnull=False, refresher_deadline__lt=today, suspended=False,
        suspended_automatically=False, merged_into__isnull=True,
    )  # fmt: skip
    suspended = 0
    for venue_id in list(overdue.values_list("pk", flat=True)):
        with transaction.atomic():
            venue = overdue.select_for_update().filter(pk=venue_id).first()
            if venue is None:
                continue  # cleared, suspended or done by another host since the list was read
            reason = (
                f"{AUTOMATIC_REASON_START} {_date(venue.refresher_needed_on)}; no one completed the refresher "
                f"by {_date(venue.refresher_deadline)}"
            )
            certificate_services.suspend_venue(venue=venue, reason=reason, actor=None)
            Venue.objects.filter(pk=venue.pk).update(suspended_automatically=True)
        suspended += 1
    return suspended


def latest_visit_id(venue) -> int | None:
    """The visit that decides the venue's refresher: its latest (the last recorded on the same day)."""
    return Visit.objects.filter(venue=venue).order_by("-visited_on", "-pk").values_list("pk", flat=True).first()

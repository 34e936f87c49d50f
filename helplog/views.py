"""Recording help given: from the venue account (the lead signed in), or from the venue's link for
staff on shift (no sign-in; the link is the permission, for that venue only).

Both are one screen, then a thank-you page (after a redirect, so a refresh records nothing twice).
The signed-in pages reuse the venue account's `lead_required` and venue look-up, so any venue the
lead does not lead is a 404.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from bookings.views import friendly_when_busy
from cms.ratelimit import rate_limited_response
from venues.views import _partner, _venue, lead_required

from . import services
from .exceptions import HelpLogError
from .forms import HelpGivenForm
from .models import HelpLogLink, Via


def by_link(response):
    """A page reached by the shared link: never cached, and the link never sent in a Referer.

    Not "no-referrer": under it browsers send `Origin: null` with the form's POST, which Django's
    CSRF check refuses. "strict-origin" sends the site's origin alone, never the path with the token.
    """
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "strict-origin"
    return response


def _record(request, *, venue, via, template_context):
    """The form on GET; on POST, the service, then the way to the thank-you page (or the form again)."""
    today = timezone.localdate()
    form = HelpGivenForm(request.POST if request.method == "POST" else None, partner=venue.partner, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_help(
                venue=venue, day=data["day"], time_band=data["time_band"], kinds=data["kinds"],
                signposted_to=data["signposted_to"], note=data["note"], via=via, today=today,
            )  # fmt: skip
        except HelpLogError as error:
            form.add_error(None, str(error))
        else:
            return None
    context = {"venue": venue, "form": form, "earliest": services.earliest_day(today), **template_context}
    return render(request, "helplog/record.html", context, status=400 if form.errors else 200)


@friendly_when_busy
@lead_required
@require_http_methods(["GET", "POST"])
def record(request, venue_id: int):
    """`/venue/help/<venue_id>/`: the lead records help given at one of their venues."""
    venue = _venue(request, venue_id)
    response = _record(request, venue=venue, via=Via.ACCOUNT, template_context={"signed_in": True})
    return response or redirect("helplog:recorded", venue.pk)


@lead_required
@require_http_methods(["GET"])
def recorded(request, venue_id: int):
    venue = _venue(request, venue_id)
    again = reverse("helplog:record", args=[venue.pk])
    return render(request, "helplog/recorded.html", {"venue": venue, "again": again, "signed_in": True})


@friendly_when_busy
@lead_required
@require_http_methods(["GET", "POST"])
def share(request, venue_id: int):
    """`/venue/help/<venue_id>/share/`: make, replace or stop the venue's link for staff on shift.

    The raw link exists only in the answer to "Create": only its hash is kept.
    """
    venue = _venue(request, venue_id)
    today = timezone.localdate()
    new_link, replaced = None, False
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if services.revoke_link(venue=venue, today=today):
                messages.success(request, "The link is switched off. Anyone using it now sees that it does not work.")
            return redirect("helplog:share", venue.pk)
        replaced = HelpLogLink.objects.usable().filter(venue=venue).exists()
        token = services.create_link(venue=venue, today=today)
        new_link = request.build_absolute_uri(reverse("helplog:record_by_link", args=[token]))
    live = HelpLogLink.objects.usable().filter(venue=venue).first()
    return render(
        request, "helplog/share.html", {"venue": venue, "live": live, "new_link": new_link, "replaced": replaced}
    )


@friendly_when_busy
@require_http_methods(["GET", "POST"])
def record_by_link(request, token: str):
    """`/venue/help/record/<token>/`: anyone holding the venue's live link records help for it."""
    partner = _partner(request)
    venue = services.venue_for_link(partner=partner, token=token)
    if venue is None:
        return by_link(render(request, "helplog/link_not_found.html", {"partner": partner}, status=404))
    if request.method == "POST":
        limited = rate_limited_response(request, group="help-log")
        if limited:
            return by_link(limited)
    response = _record(request, venue=venue, via=Via.SHARED_LINK, template_context={"signed_in": False})
    return by_link(response or redirect("helplog:recorded_by_link", token))


@require_http_methods(["GET"])
def recorded_by_link(request, token: str):
    partner = _partner(request)
    venue = services.venue_for_link(partner=partner, token=token)
    if venue is None:
        return by_link(render(request, "helplog/link_not_found.html", {"partner": partner}, status=404))
    context = {"venue": venue, "again": reverse("helplog:record_by_link", args=[token]), "signed_in": False}
    return by_link(render(request, "helplog/recorded.html", context))

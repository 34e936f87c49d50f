"""The venue account: sign in by emailed link, then the venue's own details, pledge and renewal.

A signed-in lead is an email address and a partner kept in the session, never a Django user: it
opens nothing in the admin. Every page about a venue looks the venue up through the lead's own
venues on this site, so any other venue (or one that does not exist) is the same 404.
"""

import datetime
import functools

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from bookings.views import friendly_when_busy
from cms.ratelimit import rate_limit, rate_limited_response
from cms.sanitise import normalise_email
from cms.tenancy import partner_for_request

from . import selectors, services
from .forms import DetailsForm, InviteForm, PledgeForm, RenewForm, SignInForm, WithdrawForm

SESSION_KEY = "venue_lead"
SESSION_HOURS = 8  # a signed-in lead is asked for a new link after a working day


def _partner(request):
    partner = partner_for_request(request)
    if partner is None:
        raise Http404("No Safe Haven scheme runs on this site.")
    return partner


def private(response):
    """Pages reached by a token, or about one venue: never cached, no token in a Referer."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def _lead(request, partner) -> str | None:
    data = request.session.get(SESSION_KEY) or {}
    if data.get("partner") != partner.pk or not data.get("email"):
        return None
    try:
        since = datetime.datetime.fromisoformat(data["at"])
    except (KeyError, TypeError, ValueError):
        return None
    if timezone.now() - since > datetime.timedelta(hours=SESSION_HOURS):
        return None
    return data["email"]


def lead_required(view):
    """Signed in for this site, or sent to /venue/ to ask for a link."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        partner = _partner(request)
        email = _lead(request, partner)
        if email is None:
            return redirect("venues:sign_in")
        request.venue_partner, request.venue_lead = partner, email
        return private(view(request, *args, **kwargs))

    return wrapper


def _venue(request, venue_id: int):
    venue = selectors.lead_venue(partner=request.venue_partner, email=request.venue_lead, venue_id=venue_id,
                                 today=timezone.localdate())  # fmt: skip
    if venue is None:
        raise Http404("No such venue")
    return venue


def _account():
    return redirect("venues:account")


# --- signing in ------------------------------------------------------------------------------


@friendly_when_busy
@rate_limit("venue-sign-in")
@require_http_methods(["GET", "POST"])
def sign_in(request):
    """`/venue/`: ask for a link. The answer is the same whether or not the address is known."""
    partner = _partner(request)
    next_path = services.safe_next_path(request.POST.get("next") or request.GET.get("next"))
    if request.method == "GET" and _lead(request, partner) and not next_path:
        return _account()
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # Also per address, from anywhere: nobody can flood a lead's inbox from many machines. An
        # unknown address is counted the same, so the limit says nothing about who is a lead.
        email = normalise_email(form.cleaned_data["email"])
        limited = rate_limited_response(request, group="venue-sign-in", key=f"address:{email}", per_client=False)
        if limited:
            return limited
        services.request_sign_in_link(partner=partner, email=form.cleaned_data["email"], next_path=next_path)
        return private(render(request, "venues/check_email.html", {"partner": partner}))
    response = render(request, "venues/sign_in.html", {"form": form, "next_path": next_path, "partner": partner},
                      status=400 if form.errors else 200)  # fmt: skip
    return private(response)


@friendly_when_busy
@require_http_methods(["GET", "POST"])
def use_link(request, token):
    """`/venue/sign-in/<token>/`: GET asks to continue (mail scanners fetch links and must not
    spend them); POST spends the link and signs in."""
    partner = _partner(request)
    if request.method == "GET":
        link = services.usable_link(partner=partner, token=token)
        template = "venues/continue.html" if link else "venues/link_expired.html"
        return private(render(request, template, {"partner": partner, "link": link}, status=200 if link else 410))
    link = services.use_sign_in_link(partner=partner, token=token)
    if link is None:
        return private(render(request, "venues/link_expired.html", {"partner": partner}, status=410))
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"email": link.email, "partner": partner.pk, "at": timezone.now().isoformat()}
    return private(redirect(services.safe_next_path(link.next_path) or reverse("venues:account")))


@require_POST
def sign_out(request):
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    return private(render(request, "venues/signed_out.html", {"partner": _partner(request)}))


# --- the account -----------------------------------------------------------------------------


@lead_required
@require_http_methods(["GET"])
def account(request):
    """`/venue/account/`: the lead's venues on this site, each with its status and what to do."""
    today = timezone.localdate()
    venues = list(
        selectors.lead_venues(partner=request.venue_partner, email=request.venue_lead, today=today).prefetch_related(
            "opening_hours", "help_items"
        )
    )
    rows = [
        {
            "venue": venue,
            "status": selectors.account_status(venue, today=today),
            "people": selectors.trained_people(venue, today=today),
            "listed_now": venue.is_accredited(today) and venue.agreed_to_be_listed,
        }
        for venue in venues
    ]
    return render(request, "venues/account.html", {"rows": rows, "lead": request.venue_lead, "today": today})


@friendly_when_busy
@lead_required
@require_http_methods(["GET", "POST"])
def details(request, venue_id: int):
    venue = _venue(request, venue_id)
    form = DetailsForm(request.POST if request.method == "POST" else None, venue=venue)
    if request.method == "POST" and form.is_valid():
        changed = services.update_venue_details(
            venue=venue, lead_email=request.venue_lead, hours=form.hours(), help_offered=form.help_codes(),
            phone=form.cleaned_data["phone"], website=form.cleaned_data["website"],
            address=form.cleaned_data["address"],
        )  # fmt: skip
        messages.success(request, "Your changes are saved" if changed else "Nothing was changed")
        return _after_details(request, venue)
    multiple = [day for day, periods in venue.weekly_hours() if len(periods) > 1]
    return render(request, "venues/details.html", {"venue": venue, "form": form, "split_days": multiple},
                  status=400 if form.errors else 200)  # fmt: skip


def _after_details(request, venue):
    if request.POST.get("then") == "renew":
        return redirect("venues:renew", venue.pk)
    return _account()


@friendly_when_busy
@lead_required
@require_http_methods(["GET", "POST"])
def pledge(request, venue_id: int):
    venue = _venue(request, venue_id)
    initial = {"agree": venue.agreed_to_pledge, "listed": venue.agreed_to_be_listed or not venue.agreed_to_pledge}
    form = PledgeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.agree_to_pledge(venue=venue, lead_email=request.venue_lead, listed=form.cleaned_data["listed"])
        messages.success(request, "Thank you – your agreement is saved")
        return _account()
    return render(
        request,
        "venues/pledge.html",
        {"venue": venue, "form": form, "promises": selectors.pledge_promises(request.venue_partner),
         "status": selectors.account_status(venue, today=timezone.localdate())},
        status=400 if form.errors else 200,
    )  # fmt: skip


@friendly_when_busy
@lead_required
@require_http_methods(["GET", "POST"])
def renew(request, venue_id: int):
    venue = _venue(request, venue_id)
    today = timezone.localdate()
    status = selectors.account_status(venue, today=today)
    if not venue.agreed_to_pledge:
        return redirect("venues:pledge", venue.pk)  # nothing to renew: agreeing is the first step
    form = RenewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        renewed = services.confirm_renewal(venue=venue, lead_email=request.venue_lead, today=today)
        messages.success(request, f"Thank you – the next check is due by {renewed.renewal_due_on:%-d %B %Y}")
        return _account()
    return render(
        request,
        "venues/renew.html",
        {"venue": venue, "form": form, "status": status, "hours": venue.weekly_hours(),
         "promises": selectors.pledge_promises(request.venue_partner)},
        status=400 if form.errors else 200,
    )  # fmt: skip


@friendly_when_busy
@lead_required
@require_http_methods(["GET", "POST"])
def withdraw(request, venue_id: int):
    venue = _venue(request, venue_id)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.withdraw_venue(venue=venue, lead_email=request.venue_lead)
        messages.success(request, f"{venue.name} has left the Safe Haven scheme")
        return _account()
    return render(request, "venues/withdraw.html", {"venue": venue, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


@friendly_when_busy
@lead_required
@require_http_methods(["GET", "POST"])
def invite(request, venue_id: int):
    """Invite a colleague to train: the partner's training page and next dates, by email."""
    venue = _venue(request, venue_id)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        limited = rate_limited_response(request, group="venue-sign-in", key=f"invite:{venue.pk}")
        if limited:
            return limited
        if form.is_valid():
            services.invite_colleague(venue=venue, lead_email=request.venue_lead, email=form.cleaned_data["email"])
            messages.success(request, "Invitation sent")
            return _account()
    return render(request, "venues/invite.html", {"venue": venue, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip

"""Public pages: the Safe Haven register, venue pages, GeoJSON, certificate verification and the
sticker's live status page."""

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from bookings.selectors import booking_for_token
from bookings.views import found
from cms import prebuilt
from cms.page_cache import mark_public
from cms.ratelimit import rate_limit
from cms.security import allow_geolocation
from cms.tenancy import partner_for_request, request_root_url

from .cards import RegisterPages, map_data_json
from .forms import RegisterFilterForm
from .models import CODE_ALPHABET, CODE_LENGTH, Certificate, PublicStatus, Venue, format_code, normalise_code
from .nearby import directions_url, distance_label
from .pdf import render_certificate_pdf
from .selectors import (
    RegisterFilters,
    certificate_for_booking,
    certificate_for_verification,
    feature_collection,
    listed_venue,
    nearest_open_venues,
    register_venues,
    sticker_status,
    venue_for_sticker,
)

REGISTER_PAGE_SIZE = 25


def _partner(request):
    partner = partner_for_request(request)
    if partner is None:
        raise Http404("No Safe Haven scheme runs on this site.")
    return partner


def _map_settings() -> dict:
    return {"tile_url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}


FILTER_FIELDS = ("area", "type", "open_now", "help")  # behind "Filter"; the postcode search is not


def _active_filters(form, query, path: str) -> list[dict]:
    """The filters in use besides the search, each with a link to the same results without it, so
    a person sees that (and how) the list is narrowed, and can undo one filter at a time."""
    if not form.is_bound or not form.is_valid():
        return []
    data = form.cleaned_data
    active = []

    def without(name, value=None):
        rest = query.copy()
        rest.pop("page", None)
        if value is None:
            rest.pop(name, None)
        else:
            rest.setlist(name, [v for v in rest.getlist(name) if v != value])
        return f"{path}?{rest.urlencode()}" if rest else path

    for name in ("area", "type"):
        if data.get(name):
            label = dict(form.fields[name].choices).get(data[name], data[name])
            active.append({"label": f"{form.fields[name].label}: {label}", "remove_url": without(name)})
    if data.get("open_now"):
        active.append({"label": "Open now", "remove_url": without("open_now")})
    help_labels = dict(form.fields["help"].choices)
    for code in data.get("help") or []:
        active.append({"label": f"Help: {help_labels.get(code, code)}", "remove_url": without("help", code)})
    return active


@require_safe
def register(request):
    """`/safe-havens/`: the list is the page; the map repeats it for those who can use one.

    On a phone the search and the first results come first: the other filters sit behind a
    "Filter" disclosure (a plain `<details>`, so it works without JavaScript), open whenever one of
    them is in use, with the filters in use listed above the results.
    """
    partner = _partner(request)
    form = RegisterFilterForm(request.GET or None, areas=partner.areas.all(), example_postcode=partner.example_postcode)
    filters = form.filters() if form.is_bound and form.is_valid() else RegisterFilters()
    base_url = request_root_url(request)
    venues = RegisterPages(register_venues(partner=partner, filters=filters), base_url=base_url)
    # A page of results at a time: a phone should not download five thousand venues. The map shows
    # the same venues as the list beside it, so it stays an equivalent of the list.
    results = Paginator(venues, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    active_filters = _active_filters(form, request.GET, request.path)
    # "Use my location" (a position, not a postcode): the map marks where the person is. Such a
    # page is never stored in the shared cache (below).
    here = filters.origin if filters.origin and not form.cleaned_data.get("postcode") else None
    response = render(
        request,
        "certificates/register.html",
        {
            "form": form,
            "venues": results.object_list,
            "results": results,
            "page_numbers": list(results.paginator.get_elided_page_range(results.number, on_each_side=1, on_ends=1)),
            "total": results.paginator.count,
            "page_query": query.urlencode(),
            "filters": filters,
            "is_filtered": form.is_bound and bool(request.GET),
            "active_filters": active_filters,
            "filters_open": bool(active_filters) or any(form.errors.get(name) for name in FILTER_FIELDS),
            "here": here,
            "map_json": map_data_json(results.object_list),
            "map": _map_settings(),
        },
    )
    allow_geolocation(response)  # "use my location" on this page
    # Someone's own location in the URL is not kept, even briefly, in a shared cache. "Open now"
    # is kept no longer than the list's short lifetime (PUBLIC_LIST_CACHE_SECONDS).
    if not here:
        mark_public(response, settings.PUBLIC_LIST_CACHE_SECONDS, vary_on_query=True)
    return response


@require_safe
def venue_detail(request, slug):
    """A venue page: its details, "Open now" / "Closed now" / "Opening hours not known" by the
    list's own rule, and walking directions. Not stored in the page cache, so "open now" is
    always as true as the clock."""
    partner = _partner(request)
    venue = listed_venue(partner=partner, slug=slug, now=timezone.now())
    if venue is None:
        raise Http404("No Safe Haven with that address.")
    base_url = request_root_url(request)
    hours = venue.weekly_hours()
    return render(
        request,
        "certificates/venue_detail.html",
        {
            "venue": venue,
            "hours": hours,
            "hours_known": any(periods for _, periods in hours),
            "directions_url": directions_url(venue),
            "map_data": feature_collection(Venue.objects.filter(pk=venue.pk), base_url=base_url),
            "map": _map_settings(),
        },
    )


@require_safe
def register_geojson(request):
    """`/safe-havens.geojson`: the register as open data (RFC 7946); venues only, no people. Built once
    per change (or day) and shared by every server (cms/prebuilt.py): never a stampede of renders."""
    partner = _partner(request)
    geojson = prebuilt.serve_source("register-geojson", partner=partner, root=request_root_url(request))
    response = HttpResponse(geojson.body, content_type="application/geo+json")
    response["Access-Control-Allow-Origin"] = "*"
    if geojson.current:  # the previous register, served while the new one is built, is not kept any longer
        mark_public(response, settings.PUBLIC_LIST_CACHE_SECONDS)
    return response


@rate_limit("verify", methods=("GET", "HEAD"))
@require_safe
def verify(request, code):
    """`/certificates/verify/<code>/`: is this certificate genuine? Initials only, never a name or email."""
    partner = _partner(request)
    certificate = certificate_for_verification(partner=partner, code=code)
    if certificate is None:
        raise Http404("No certificate has that code.")
    response = render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "status": certificate.current_status(), "statuses": Certificate.Status},
    )
    response["X-Robots-Tag"] = "noindex"
    return response


class CertificateCodeForm(forms.Form):
    code = forms.CharField(
        label="Certificate code",
        help_text="It is printed on the certificate, for example ABCD-EFGH-JK.",
        error_messages={"required": "Enter the certificate code"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            autocomplete="off", spellcheck="false", **{"class": "govuk-input--width-10"}
        )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH or set(code) - set(CODE_ALPHABET):
            raise forms.ValidationError("Enter the code as it is printed on the certificate, for example ABCD-EFGH-JK")
        return code


@rate_limit("verify", methods=("GET", "HEAD"))
@require_safe
def verify_form(request):
    """`/certificates/verify/`: type the code from a paper certificate; a good one goes to its page."""
    _partner(request)
    form = CertificateCodeForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("certificates:verify", code=format_code(form.cleaned_data["code"]))
    response = render(request, "certificates/verify_form.html", {"form": form})
    response["X-Robots-Tag"] = "noindex"
    return response


KM_PER_MILE = 1.609344


@rate_limit("verify", methods=("GET", "HEAD"))
@require_safe
def check(request, code):
    """`/safe-havens/check/<code>/`: the sticker's QR code. Is this venue a Safe Haven today?

    200 for every state a known venue can be in, so a sticker left in a window after the venue
    lapsed, was suspended or withdrew says so, with 999/101 and the nearest open Safe Havens;
    never a person's name or the reason. Not stored in the public page cache: a status decided by
    today's date must change at midnight, not when a cached copy runs out.
    """
    partner = _partner(request)
    now = timezone.now()
    venue = venue_for_sticker(partner=partner, code=code, now=now)
    if venue is None:
        raise Http404("No venue has that sticker code.")
    status = sticker_status(venue, today=now.astimezone(partner.zone).date())
    nearest = [] if status.is_safe_haven else nearest_open_venues(venue=venue, now=now)
    for other in nearest:
        other.distance = distance_label(other.distance_km)  # the register's and "near me"'s wording
    response = render(
        request,
        "certificates/check.html",
        {
            "venue": venue,
            "status": status,
            "no_longer": status.state == PublicStatus.NO_LONGER,
            "nearest": nearest,
            "venue_url": reverse("certificates:venue", kwargs={"slug": venue.slug})
            if status.is_safe_haven and venue.agreed_to_be_listed
            else None,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-cache"
    return response


def certificate_pdf_response(certificate: Certificate) -> HttpResponse:
    """The certificate PDF as a download, for a view that has already checked the holder's secret.

    Never route this by verification code alone: the code is printed on the certificate and the
    PDF carries the holder's full name.
    """
    response = HttpResponse(render_certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="safe-haven-certificate-{certificate.display_code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def booking_certificate_pdf(request, token):
    """`/bookings/<token>/certificate.pdf`: the holder's own certificate, behind their private booking link."""
    booking = found(booking_for_token(token=token, partner=_partner(request)))
    certificate = certificate_for_booking(booking)
    if certificate is None or certificate.status == Certificate.Status.REVOKED:
        raise Http404("No certificate for this booking.")
    response = certificate_pdf_response(certificate)
    response["Referrer-Policy"] = "same-origin"
    return response

"""`/safe-havens/near/`: the nearest Safe Havens open now, or who to call and the next one to open.

The person's postcode or position arrives in the query string and goes no further: the page is
never cached (here, in the page cache or a browser's history store), and with no referrer the
address in the URL never leaves for a venue's or a map's website.
"""

import copy

from django import forms
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cms.postcodes import invalid_postcode_message, normalise_uk_postcode
from cms.security import allow_geolocation

from .forms import RegisterFilterForm
from .nearby import nearby_safe_havens
from .postcodes import POSTCODE, UnknownPostcode, locate_postcode
from .views import _partner

ENTER_A_POSTCODE = "Enter a postcode"
LOCATION_UNUSABLE = "We could not use your location. Enter a postcode instead"


class NearForm(forms.Form):
    """A postcode, or the position "Use my location" puts in the register's own hidden fields."""

    postcode = forms.CharField(label="Postcode", max_length=10)
    lat = copy.deepcopy(RegisterFilterForm.base_fields["lat"])
    lng = copy.deepcopy(RegisterFilterForm.base_fields["lng"])

    def __init__(self, *args, example_postcode: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.example_postcode = example_postcode
        postcode = self.fields["postcode"]
        postcode.widget.attrs.update(
            autocomplete="postal-code", spellcheck="false", **{"class": "govuk-input--width-10"}
        )
        postcode.error_messages["max_length"] = invalid_postcode_message(example_postcode)
        postcode.error_messages["required"] = ENTER_A_POSTCODE
        # Needed unless "Use my location" sent a position instead.
        postcode.required = not (self.data.get("lat") or self.data.get("lng"))
        if example_postcode:
            postcode.help_text = f"For example, {example_postcode}"

    def clean_postcode(self):
        value = " ".join((self.cleaned_data["postcode"] or "").upper().split())
        if not value:
            return ""
        # A full postcode, or just its first half as the register takes it ("RM10").
        postcode = normalise_uk_postcode(value) or (value if POSTCODE.match(value) else None)
        if postcode is None:
            raise forms.ValidationError(invalid_postcode_message(self.example_postcode))
        try:
            self.cleaned_data["origin"] = locate_postcode(postcode)
        except UnknownPostcode:
            raise forms.ValidationError(
                "We could not find that postcode. Enter a postcode in this council's area"
                + (f", like {self.example_postcode}" if self.example_postcode else "")
            ) from None
        return postcode

    def clean(self):
        data = super().clean()
        # A position is only ever filled in by the script, so its errors are not the person's to fix.
        position_broken = any([self._errors.pop("lat", None), self._errors.pop("lng", None)])
        if data.get("postcode") or "postcode" in self._errors:
            return data  # a typed postcode wins over a position, as on the register
        if position_broken or data.get("lat") is None or data.get("lng") is None:
            self.add_error(None, LOCATION_UNUSABLE)
        else:
            data["origin"] = (data["lat"], data["lng"])
        return data

    @property
    def origin_label(self) -> str:
        """How the page names the place searched from: "RM10 8AA", or "you" for a position."""
        return self.cleaned_data.get("postcode") or "you"


@require_safe
def near(request, *, now=None):
    """Open now within walking distance, nearest first; else 999/101 and the next to open."""
    partner = _partner(request)
    form = NearForm(request.GET or None, example_postcode=partner.example_postcode)
    nearby = None
    if form.is_bound and form.is_valid():
        nearby = nearby_safe_havens(partner=partner, origin=form.cleaned_data["origin"], now=now)
    response = render(
        request,
        "certificates/near.html",
        {"form": form, "nearby": nearby},
    )
    allow_geolocation(response)  # "Use my location"
    # A person's whereabouts: kept nowhere, and never sent on to the next site in a Referer.
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "no-referrer"
    return response

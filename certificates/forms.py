from django import forms

from cms.choices import HelpOffered, VenueType

from .postcodes import UnknownPostcode, locate_postcode
from .selectors import RegisterFilters


class RegisterFilterForm(forms.Form):
    """The register's filters, sent with GET so a filtered list can be bookmarked and shared."""

    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        help_text="To list the nearest Safe Havens first.",
    )
    area = forms.ChoiceField(label="Area", required=False)
    type = forms.ChoiceField(label="Type of place", required=False, choices=[("", "Any type"), *VenueType.choices])
    help = forms.MultipleChoiceField(
        label="Help offered",
        required=False,
        choices=HelpOffered.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Show places that offer all of the help you choose.",
    )
    open_now = forms.BooleanField(label="Open now", required=False)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def __init__(self, *args, areas=None, example_postcode: str = "", **kwargs):
        """`areas` is a queryset of the council's areas, read only when the form is validated or
        rendered: the register's unfiltered form is rendered once per change (register.html)."""
        super().__init__(*args, **kwargs)
        self.example_postcode = example_postcode
        if example_postcode:  # the council's own example: never another council's postcode
            hint = f"To list the nearest Safe Havens first, for example {example_postcode}."
            self.fields["postcode"].help_text = hint
        self.fields["postcode"].widget.attrs.update(
            autocomplete="postal-code", spellcheck="false", **{"class": "govuk-input--width-10"}
        )
        choices = None

        def area_choices():
            nonlocal choices
            if choices is None:
                choices = [("", "Any area")] + [(area.slug, area.name) for area in (areas or ())]
            return choices

        self.fields["area"].choices = area_choices

    def clean_postcode(self):
        postcode = " ".join(self.cleaned_data["postcode"].upper().split())
        if postcode:
            try:
                self.cleaned_data["postcode_origin"] = locate_postcode(postcode)
            except UnknownPostcode:
                like = f", like {self.example_postcode}" if self.example_postcode else ""
                raise forms.ValidationError(
                    "We do not recognise that postcode. "
                    f"Enter a postcode in this council's area{like}, or leave it blank."
                ) from None
        return postcode

    def filters(self) -> RegisterFilters:
        data = self.cleaned_data
        origin = data.get("postcode_origin")
        if origin is None and data.get("lat") is not None and data.get("lng") is not None:
            origin = (data["lat"], data["lng"])
        return RegisterFilters(
            area_slug=data.get("area") or "",
            venue_type=data.get("type") or "",
            help_offered=data.get("help") or [],
            open_now=bool(data.get("open_now")),
            origin=origin,
        )

    @property
    def near_me_origin(self) -> str:
        if not self.is_bound or not self.is_valid():
            return ""
        if self.cleaned_data.get("postcode"):
            return self.cleaned_data["postcode"]
        if self.cleaned_data.get("lat") is not None:
            return "your location"
        return ""


def reason_form(help_text: str) -> type[forms.Form]:
    """A one-field "why" form; each action gets its own class so help texts never leak between them."""
    field = forms.CharField(label="Reason", widget=forms.Textarea, max_length=2000, help_text=help_text)
    return type("ReasonForm", (forms.Form,), {"reason": field})


class MergeForm(forms.Form):
    duplicate = forms.ModelChoiceField(
        label="Duplicate venue to merge into this one",
        queryset=None,
        help_text="Its certificates move here and it leaves the register.",
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = queryset


class StickerPackForm(forms.Form):
    sent_on = forms.DateField(label="Sent on", widget=forms.DateInput(attrs={"type": "date"}))

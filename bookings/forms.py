from django import forms
from django.utils.html import format_html

from cms.choices import VenueType
from cms.forms import INVALID_EMAIL, REQUIRED_MESSAGES, ContactFieldsMixin
from cms.sanitise import clean_text

from .formats import day_label, time_label
from .services import AttendeeDetails


class TelInput(forms.TextInput):
    input_type = "tel"


class AttendeeFieldsMixin(ContactFieldsMixin):
    """The contact rules every form shares, plus what only an attendee gives: access needs."""

    def clean_access_needs(self):
        return clean_text(self.cleaned_data["access_needs"]).strip()


class AttendeeForm(AttendeeFieldsMixin, forms.Form):
    """Someone's details for a place, as the public form asks them; staff forms change the wording."""

    name = forms.CharField(
        label="Full name",
        max_length=120,
        error_messages={"required": REQUIRED_MESSAGES["name"]},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will send your booking confirmation and calendar invite here.",
        error_messages={"required": REQUIRED_MESSAGES["email"], "invalid": INVALID_EMAIL},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    organisation = forms.CharField(
        label="Organisation or venue name",
        max_length=160,
        error_messages={"required": REQUIRED_MESSAGES["organisation"]},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    venue_type = forms.ChoiceField(
        label="Type of venue",
        choices=[("", "Choose a type of venue"), *VenueType.choices],
        error_messages={"required": REQUIRED_MESSAGES["venue_type"], "invalid_choice": REQUIRED_MESSAGES["venue_type"]},
    )
    postcode = forms.CharField(
        label="Venue postcode",
        max_length=10,
        error_messages={"required": REQUIRED_MESSAGES["postcode"]},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}),
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        required=False,
        help_text="Only used if we need to reach you about this session.",
        widget=TelInput(attrs={"autocomplete": "tel", "class": "govuk-input--width-20"}),
    )
    access_needs = forms.CharField(
        label="Accessibility needs",
        max_length=2000,
        required=False,
        help_text="Anything that would help you take part, for example captions or a sign language interpreter.",
        widget=forms.Textarea,
    )
    consent = forms.BooleanField(
        label="I agree to my details being used to manage this booking and my training record",
        error_messages={"required": "Agree to how we use your details to book a place"},
    )


class BookingForm(AttendeeForm):
    def link_privacy_notice(self, privacy_notice_url: str) -> None:
        """Point the consent question at the partner's privacy notice (only when the form is shown)."""
        if privacy_notice_url:
            self.fields["consent"].help_text = format_html(
                'Read the <a class="govuk-link" href="{}" target="_blank" rel="noopener">privacy notice '
                "(opens in new tab)</a> to see how we use and keep your details.",
                privacy_notice_url,
            )

    def attendee(self) -> AttendeeDetails:
        data = self.cleaned_data
        return AttendeeDetails(
            name=data["name"],
            email=data["email"],
            organisation=data["organisation"],
            venue_type=data["venue_type"],
            postcode=data["postcode"],
            phone=data["phone"],
            access_needs=data["access_needs"],
            consent=data["consent"],
        )


class RebookForm(forms.Form):
    session = forms.ModelChoiceField(
        queryset=None,
        label="Choose a new date",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select a new date", "invalid_choice": "Select one of the dates shown"},
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = _session_label


def _session_label(session) -> str:
    left = session.places_left()
    places = f"{left} place{'s' if left != 1 else ''} left"
    return f"{day_label(session.starts_at)}, {time_label(session.starts_at)} ({places})"

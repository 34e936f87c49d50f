"""Forms for the staff admin: every page and partner choice is limited to the user's partners."""

from django import forms
from django.db.models import Q
from wagtail.models import Page

from cms.admin_scoping import staff_partners
from courses.models import CoursePage, NetworkingEventPage

from .forms import AttendeeForm

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
WEEKDAY_CHOICES = [
    ("MO", "Monday"),
    ("TU", "Tuesday"),
    ("WE", "Wednesday"),
    ("TH", "Thursday"),
    ("FR", "Friday"),
    ("SA", "Saturday"),
    ("SU", "Sunday"),
]


def local_datetime_field(label, *, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def bookable_pages_for(user):
    """Course and networking-event pages on the user's partners' sites, with the partner of each."""
    partners = list(staff_partners(user).select_related("site__root_page"))
    if not partners:
        return Page.objects.none(), {}
    roots = {partner.site.root_page.path: partner for partner in partners}
    tree = Q()
    for path in roots:
        tree |= Q(path__startswith=path)
    pages = Page.objects.type(CoursePage, NetworkingEventPage).filter(tree).order_by("title")
    return pages, roots


def partner_of_page(page, roots):
    for path, partner in roots.items():
        if page.path.startswith(path):
            return partner
    return None


ONLINE_IF_BLANK = "Leave blank for an online session."
NEW_SESSION_LOCATION_HELP = f"{ONLINE_IF_BLANK} For a networking event, blank uses the event's own address."


def joining_link_field():
    return forms.URLField(label="Online joining link", required=False, assume_scheme="https")


def location_field(*, help_text: str):
    return forms.CharField(label="Address, if in person", required=False, max_length=255, help_text=help_text)


def self_check_in_field():
    return forms.BooleanField(
        label="Attendees at the venue may check themselves in with a code",
        required=False,
        help_text="Online attendees always can. Otherwise the trainer takes the register.",
    )


class EndsAfterStartMixin:
    """A session's end after its start, said on the end field (the add and edit forms)."""

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "The end must be after the start.")
        return data


class PagePartnerMixin:
    """A `page` field of the user's partners' courses and events; the partner follows from the page."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_page_field(user)

    def setup_page_field(self, user):
        pages, self.page_roots = bookable_pages_for(user)
        self.fields["page"].queryset = pages
        if len(self.page_roots) > 1:
            self.fields["page"].label_from_instance = lambda page: (
                f"{page.title} ({partner_of_page(page, self.page_roots)})"
            )

    def partner(self):
        return partner_of_page(self.cleaned_data["page"], self.page_roots)

    def service_kwargs(self) -> dict:
        """The fields as the service's keyword arguments: the page's partner added, a blank address
        as None (an online session)."""
        return {**self.cleaned_data, "partner": self.partner(), "location": self.cleaned_data["location"] or None}


class SessionForm(EndsAfterStartMixin, PagePartnerMixin, forms.Form):
    page = forms.ModelChoiceField(label="Course or event", queryset=Page.objects.none())
    starts_at = local_datetime_field("Starts", help_text="UK time.")
    ends_at = local_datetime_field("Ends", required=False, help_text="Leave blank for the course's usual length.")
    capacity = forms.IntegerField(label="Places", min_value=1)
    joining_link = joining_link_field()
    location = location_field(help_text=NEW_SESSION_LOCATION_HELP)
    self_check_in = self_check_in_field()
    booking_opens_at = local_datetime_field("Booking opens", required=False)
    booking_closes_at = local_datetime_field("Booking closes", required=False)


class SeriesForm(PagePartnerMixin, forms.Form):
    """A recurring series, e.g. Tuesdays and Thursdays at 10:00 from 1 May to 30 June."""

    page = forms.ModelChoiceField(label="Course or event", queryset=Page.objects.none())
    weekdays = forms.MultipleChoiceField(
        label="On these days", choices=WEEKDAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    start_time = forms.TimeField(
        label="Start time", help_text="UK time.", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    first_day = forms.DateField(label="First day", widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label="Last day", widget=forms.DateInput(attrs={"type": "date"}))
    capacity = forms.IntegerField(label="Places in each session", min_value=1)
    duration_minutes = forms.IntegerField(
        label="Length in minutes", required=False, min_value=5, help_text="Leave blank for the course's usual length."
    )
    joining_link = joining_link_field()
    location = location_field(help_text=NEW_SESSION_LOCATION_HELP)
    self_check_in = self_check_in_field()

    def clean(self):
        data = super().clean()
        if data.get("first_day") and data.get("last_day"):
            if data["last_day"] < data["first_day"]:
                self.add_error("last_day", "The last day must be on or after the first day.")
            elif (data["last_day"] - data["first_day"]).days > 366:
                self.add_error("last_day", "A series can run for a year at most.")
        return data


class SessionEditForm(EndsAfterStartMixin, forms.Form):
    starts_at = local_datetime_field("Starts", help_text="Changing the time sends attendees an updated invite.")
    ends_at = local_datetime_field("Ends")
    capacity = forms.IntegerField(label="Places", min_value=1)
    joining_link = joining_link_field()
    location = location_field(help_text=ONLINE_IF_BLANK)
    self_check_in = self_check_in_field()
    booking_opens_at = local_datetime_field("Booking opens", required=False)
    booking_closes_at = local_datetime_field("Booking closes", required=False)


class StaffBookingForm(AttendeeForm):
    """Book someone on a session (by phone, at an event): the public form's fields and rules, in the
    third person."""

    name = forms.CharField(label="Full name", max_length=120, error_messages={"required": "Enter their full name"})
    organisation = forms.CharField(
        label="Organisation or venue name",
        max_length=160,
        error_messages={"required": "Enter the name of their organisation or venue"},
    )
    access_needs = forms.CharField(
        label="Access needs", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    consent = forms.BooleanField(label="They agreed to their details being used to run the training", required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("email", "phone"):
            self.fields[name].help_text = ""  # the public form's "we will send your..." is not for staff


class ConfirmForm(forms.Form):
    """A POST with a CSRF token and nothing else: the confirmation step of a destructive action."""


class WalkInForm(StaffBookingForm):
    """Someone who turned up on the day: booked straight onto the register, with the reason recorded."""

    reason = forms.CharField(
        label="Why are you adding them?",
        max_length=255,
        help_text="For example: turned up without booking; booked under a colleague's name.",
        error_messages={"required": "Enter why you are adding them"},
    )


class SessionMessageForm(forms.Form):
    subject = forms.CharField(
        label="Subject", max_length=120, error_messages={"required": "Enter a subject"},
        help_text="The course title is added after it.",
    )  # fmt: skip
    body = forms.CharField(
        label="Message",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter the message"},
        help_text="Plain text. Each person's booking details and private link are added below it.",
    )
    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

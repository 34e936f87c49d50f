"""Forms for the venue account: plain Django forms; the services do the saving."""

import datetime
import re

from django import forms

from certificates.models import WEEKDAYS
from cms.choices import HelpOffered

from .services import ALL_DAY

ACCESSIBILITY = {HelpOffered.STEP_FREE.value, HelpOffered.ACCESSIBLE_TOILET.value}
CLOSED, ALL_DAY_MODE, SET_HOURS = "closed", "all_day", "hours"
DAY_MODES = [(CLOSED, "Closed"), (ALL_DAY_MODE, "Open 24 hours"), (SET_HOURS, "Open at set times")]
PHONE = re.compile(r"^[0-9 +()\-]{6,30}$")


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address you booked your Safe Haven training with, or the one the council has for your venue.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )


def _time_field(label):
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        error_messages={"invalid": f"Enter the {label.lower()} time in 24-hour format, like 09:00 or 17:30"},
    )


class DetailsForm(forms.Form):
    """Opening hours (one period a day), help offered, accessibility and the public contact details."""

    phone = forms.CharField(
        label="Public phone number",
        required=False,
        max_length=30,
        help_text="Shown in the register so people can check before they come.",
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )
    website = forms.URLField(
        label="Website",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Enter a website address, like https://www.example.com"},
    )
    address = forms.CharField(label="Address", required=False, max_length=255,
                              help_text="Street and town. The postcode stays as it is.")  # fmt: skip
    help_offered = forms.MultipleChoiceField(
        label="Help you offer",
        required=False,
        choices=[(code, label) for code, label in HelpOffered.choices if code not in ACCESSIBILITY],
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    step_free = forms.BooleanField(label="Step-free access", required=False)
    accessible_toilet = forms.BooleanField(label="Accessible toilet", required=False)

    def __init__(self, *args, venue=None, **kwargs):
        if venue is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(venue)
        super().__init__(*args, **kwargs)
        for index, day in enumerate(WEEKDAYS):
            self.fields[f"day{index}"] = forms.ChoiceField(
                label=day, choices=DAY_MODES, widget=forms.RadioSelect,
                error_messages={"required": f"Select whether you are open on {day}"},
            )  # fmt: skip
            self.fields[f"day{index}_opens"] = _time_field("Opens")
            self.fields[f"day{index}_closes"] = _time_field("Closes")

    @staticmethod
    def initial_for(venue) -> dict:
        help_codes = set(venue.help_offered)
        initial = {
            "phone": venue.phone,
            "website": venue.website,
            "address": venue.address,
            "help_offered": [code for code in help_codes if code not in ACCESSIBILITY],
            "step_free": HelpOffered.STEP_FREE in help_codes,
            "accessible_toilet": HelpOffered.ACCESSIBLE_TOILET in help_codes,
        }
        for index, (_day, periods) in enumerate(venue.weekly_hours()):
            if not periods:
                initial[f"day{index}"] = CLOSED
            elif (periods[0].opens, periods[0].closes) == ALL_DAY:
                initial[f"day{index}"] = ALL_DAY_MODE
            else:
                initial[f"day{index}"] = SET_HOURS
                initial[f"day{index}_opens"] = periods[0].opens.strftime("%H:%M")
                initial[f"day{index}_closes"] = periods[0].closes.strftime("%H:%M")
        return initial

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError("Enter a phone number, like 020 8227 2000")
        return phone

    def clean_website(self):
        website = self.cleaned_data["website"]
        if website and not website.lower().startswith(("https://", "http://")):
            raise forms.ValidationError("Enter a website address starting with https://")
        return website

    def clean(self):
        cleaned = super().clean()
        for index, day in enumerate(WEEKDAYS):
            if cleaned.get(f"day{index}") != SET_HOURS:
                continue
            opens, closes = cleaned.get(f"day{index}_opens"), cleaned.get(f"day{index}_closes")
            if opens is None and f"day{index}_opens" not in self.errors:
                self.add_error(f"day{index}_opens", f"Enter the time you open on {day}")
            if closes is None and f"day{index}_closes" not in self.errors:
                self.add_error(f"day{index}_closes", f"Enter the time you close on {day}")
            if opens is not None and closes is not None and opens == closes:
                self.add_error(
                    f"day{index}_closes",
                    f"The closing time on {day} must be different from the opening time – "
                    "choose ‘Open 24 hours’ if you never close",
                )
        return cleaned

    def hours(self) -> list[tuple[datetime.time, datetime.time] | None]:
        week = []
        for index in range(7):
            mode = self.cleaned_data[f"day{index}"]
            if mode == CLOSED:
                week.append(None)
            elif mode == ALL_DAY_MODE:
                week.append(ALL_DAY)
            else:
                week.append((self.cleaned_data[f"day{index}_opens"], self.cleaned_data[f"day{index}_closes"]))
        return week

    def help_codes(self) -> list[str]:
        codes = list(self.cleaned_data["help_offered"])
        if self.cleaned_data["step_free"]:
            codes.append(HelpOffered.STEP_FREE.value)
        if self.cleaned_data["accessible_toilet"]:
            codes.append(HelpOffered.ACCESSIBLE_TOILET.value)
        return codes

    def days(self):
        """(day name, mode field, opens field, closes field) for the template, Monday first."""
        return [
            (day, self[f"day{index}"], self[f"day{index}_opens"], self[f"day{index}_closes"])
            for index, day in enumerate(WEEKDAYS)
        ]


class PledgeForm(forms.Form):
    agree = forms.BooleanField(
        label="We agree to the Safe Haven pledge",
        error_messages={"required": "Tick the box to agree to the pledge – a venue cannot be a Safe Haven without it"},
    )
    listed = forms.BooleanField(
        label="List our venue in the public register and map",
        required=False,
        help_text="People looking for help find you by your name, address, opening hours and the help you offer. "
        "No one's name is shown.",
    )


class RenewForm(forms.Form):
    confirm = forms.BooleanField(
        label="These details are right and we still keep the pledge",
        error_messages={"required": "Tick the box to confirm the details and the pledge, or change them first"},
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, take our venue out of the Safe Haven scheme",
        error_messages={"required": "Tick the box to confirm you want to leave the scheme"},
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Your colleague's email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your colleague's email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

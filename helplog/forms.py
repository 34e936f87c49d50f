"""The one screen that records help given: when, what help, who was signposted to, a short note."""

import datetime

from django import forms

from cms.models import SupportService

from .models import HelpKind, TimeBand
from .services import DAYS_BACK, earliest_day, personal_data_in

NOTE_MAX = 500


def _date_part(label, **kwargs):
    return forms.IntegerField(label=label, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                              **kwargs)  # fmt: skip


class HelpGivenForm(forms.Form):
    when_day = _date_part("Day")
    when_month = _date_part("Month")
    when_year = _date_part("Year")
    time_band = forms.ChoiceField(
        label="What time of day?",
        choices=TimeBand.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the time of day you helped"},
    )
    kinds = forms.MultipleChoiceField(
        label="What help did you give?",
        choices=HelpKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select the help you gave"},
    )
    signposted_to = forms.ModelMultipleChoiceField(
        label="Who did you signpost them to?",
        queryset=SupportService.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="From the council's list of specialist services. Select all that apply.",
        error_messages={"invalid_choice": "Choose a service from the council's list"},
    )
    note = forms.CharField(
        label="Anything else the council should know?",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea,
        help_text="For example, what worked or what would have helped. Do not include names, contact details, "
        "addresses or anything else that could identify the person.",
        error_messages={"max_length": f"The note must be {NOTE_MAX} characters or fewer"},
    )

    def __init__(self, *args, partner, today: datetime.date, **kwargs):
        kwargs.setdefault("initial", {"when_day": today.day, "when_month": today.month, "when_year": today.year})
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["signposted_to"].queryset = SupportService.objects.filter(partner=partner).order_by(
            "sort_order", "name"
        )

    @property
    def has_services(self) -> bool:
        return self.fields["signposted_to"].queryset.exists()

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        problem = personal_data_in(note)
        if problem:
            raise forms.ValidationError(problem)
        return note

    def clean(self):
        cleaned = super().clean()
        parts = [cleaned.get(f"when_{part}") for part in ("day", "month", "year")]
        if None in parts or any(f"when_{part}" in self.errors for part in ("day", "month", "year")):
            # One message for the date, on its first box (where the error summary links to).
            for part in ("day", "month", "year"):
                self.errors.pop(f"when_{part}", None)
            self.add_error("when_day", "Enter the date you helped, like 24 6 2027")
            return cleaned
        day, month, year = parts
        try:
            when = datetime.date(year, month, day)
        except ValueError:
            self.add_error("when_day", "Enter a real date, like 24 6 2027")
            return cleaned
        if when > self.today:
            self.add_error("when_day", "The date you helped must be today or in the past")
        elif when < earliest_day(self.today):
            self.add_error("when_day", f"The date must be in the last {DAYS_BACK} days")
        else:
            cleaned["day"] = when
        return cleaned

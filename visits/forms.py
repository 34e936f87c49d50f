"""The coordinator's "Record a visit" form, built from the partner's checklist."""

import datetime

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from cms.admin_scoping import staff_partners

from .models import NOTES_MAX_LENGTH, Visit

YES_NO = [("yes", "Yes"), ("no", "No")]


class RecordVisitForm(forms.Form):
    venue = forms.ModelChoiceField(
        label="Venue", queryset=None, empty_label="Choose a venue", error_messages={"required": "Choose the venue"}
    )
    visited_on = forms.DateField(
        label="Date of the visit",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Enter the date of the visit", "invalid": "Enter a real date, like 24/6/2027"},
    )
    kind = forms.ChoiceField(
        label="Kind of visit", choices=Visit.Kind.choices, widget=forms.RadioSelect,
        help_text="A mystery visit is made without saying it is a check. A phone check is a call to the venue.",
        error_messages={"required": "Choose the kind of visit"},
    )  # fmt: skip
    visited_by = forms.ChoiceField(
        label="Who visited", widget=forms.RadioSelect, error_messages={"required": "Say who visited"}
    )
    visited_by_name = forms.CharField(
        label="Name of the person or organisation who visited, if not you", required=False, max_length=150,
        help_text="For example Kent Police, or a volunteer's name.",
    )  # fmt: skip
    outcome = forms.ChoiceField(
        label="Outcome", choices=Visit.Outcome.choices, widget=forms.RadioSelect,
        help_text="A fail emails the venue's leads: someone must complete the workshop again within your refresher "
        "period, or the venue is suspended.",
        error_messages={"required": "Choose the outcome"},
    )  # fmt: skip
    notes = forms.CharField(
        label="Notes (optional)", required=False, max_length=NOTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"For staff only: never sent to the venue. At most {NOTES_MAX_LENGTH} characters.",
    )  # fmt: skip

    def __init__(self, *args, venues, questions, user, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.questions = questions
        self.fields["venue"].queryset = venues
        me = user.get_full_name() or user.get_username()
        self.fields["visited_by"].choices = [("me", f"Me ({me})"), ("other", "Someone else")]
        self.fields["visited_on"].widget.attrs["max"] = today.isoformat()
        for question in questions:
            self.fields[f"question_{question.pk}"] = forms.ChoiceField(
                label=question.text, choices=YES_NO, widget=forms.RadioSelect,
                error_messages={"required": f"Answer \u201c{question.text}\u201d"},
            )  # fmt: skip
        # The checklist's questions come straight after who visited, before the outcome.
        names = [name for name in self.fields if not name.startswith("question_")]
        at = names.index("outcome")
        order = names[:at] + [f"question_{q.pk}" for q in questions] + names[at:]
        self.order_fields(order)

    def question_fields(self):
        return [self[f"question_{q.pk}"] for q in self.questions]

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > self.today:
            raise forms.ValidationError("The date of the visit must be today or in the past")
        return day

    def clean(self):
        data = super().clean()
        if data.get("visited_by") == "other" and not (data.get("visited_by_name") or "").strip():
            self.add_error("visited_by_name", "Enter who visited, or choose \u201cMe\u201d")
        return data

    def answers(self) -> dict[int, bool]:
        return {q.pk: self.cleaned_data[f"question_{q.pk}"] == "yes" for q in self.questions}


class VisitQuestionForm(WagtailAdminModelForm):
    """The council is one of the user's own; with only one, there is nothing to choose."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("partner")
        if field is None or self.for_user is None:
            return
        partners = staff_partners(self.for_user).order_by("name")
        field.queryset = partners
        field.label = "Council"
        if self.instance.pk:
            field.disabled = True
        elif partners.count() == 1:
            field.initial = partners.first().pk
            field.widget = forms.HiddenInput()

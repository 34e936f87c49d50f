"""Forms attendees fill in on their booking page: the check-in code and the knowledge check."""

from django import forms

from .models import CHECK_IN_CODE_LENGTH


class CheckInForm(forms.Form):
    code = forms.CharField(
        label="Check-in code",
        max_length=20,
        help_text=f"The {CHECK_IN_CODE_LENGTH}-character code your trainer shows during the session.",
        error_messages={"required": "Enter the check-in code your trainer shows during the session"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "govuk-input--width-10"}),
    )


class KnowledgeCheckForm(forms.Form):
    """One set of radios per question; answers are option numbers (1 = first line)."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for number, question in enumerate(self.questions, start=1):
            self.fields[f"question_{question.pk}"] = forms.TypedChoiceField(
                label=f"{number}. {question.question}",
                choices=[(str(i), option) for i, option in enumerate(question.option_list, start=1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select an answer to question {number}",
                    "invalid_choice": f"Select an answer to question {number}",
                },
            )

    def answers(self) -> dict:
        return {question.pk: self.cleaned_data[f"question_{question.pk}"] for question in self.questions}

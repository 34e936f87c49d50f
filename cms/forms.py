"""Form pieces every public form shares: the honeypot and autocomplete hints."""

from django import forms
from wagtail.contrib.forms.forms import FormBuilder

HONEYPOT_FIELD = "website_address"

# WCAG 2.2 1.3.5 (Identify Input Purpose): personal fields say what they are.
AUTOCOMPLETE = {
    "name": "name",
    "email": "email",
    "phone": "tel",
    "postcode": "postal-code",
    "organisation": "organization",
}


class HoneypotField(forms.CharField):
    """A field people never see or fill; bots that fill every input give themselves away."""

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            label="Leave this field empty",
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
            **kwargs,
        )


class HoneypotMixin:
    """Add to a public form; `is_spam` is True when the hidden field was filled."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = HoneypotField()

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))


class InterestFormBuilder(FormBuilder):
    def create_dropdown_field(self, field, options):
        options["choices"] = [("", "Choose one")] + self.get_formatted_field_choices(field)
        return forms.ChoiceField(**options)

    @property
    def formfields(self):
        fields = super().formfields
        for name, field in fields.items():
            if name in AUTOCOMPLETE:
                field.widget.attrs["autocomplete"] = AUTOCOMPLETE[name]
            if name == "email":
                field.widget.attrs["spellcheck"] = "false"
        return fields

    def get_form_class(self):
        form_class = super().get_form_class()
        return type("InterestForm", (HoneypotMixin, form_class), {})

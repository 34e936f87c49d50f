"""Form pieces every public form shares: the honeypot, autocomplete hints and how contact details
are cleaned and worded, so the booking form and the register-interest form speak alike."""

import re

from django import forms
from wagtail.contrib.forms.forms import FormBuilder

from .postcodes import invalid_postcode_message, normalise_uk_postcode
from .sanitise import clean_text, normalise_email

HONEYPOT_FIELD = "website_address"

# WCAG 2.2 1.3.5 (Identify Input Purpose): personal fields say what they are.
AUTOCOMPLETE = {
    "name": "name",
    "email": "email",
    "phone": "tel",
    "postcode": "postal-code",
    "organisation": "organization",
}


# What a person is told when a contact field is missing or wrong, by field name, on every form.
REQUIRED_MESSAGES = {
    "name": "Enter your full name",
    "email": "Enter your email address",
    "organisation": "Enter the name of your organisation or venue",
    "venue_type": "Select the type of venue",
    "postcode": "Enter the venue postcode",
    "phone": "Enter a phone number",
}
INVALID_EMAIL = "Enter an email address in the correct format, like name@example.com"
INVALID_PHONE = "Enter a phone number, like 020 7946 0000 or +44 7700 900 982"


class ContactFieldsMixin:
    """One statement of how contact details are cleaned, for every form that takes them.

    Markup is removed first and the result checked after: a required name that was only markup
    is refused with the field's own message, never stored empty. Postcodes are checked for shape
    and stored as "RM10 8AB"; the example in the hint and the error is the partner's own, given
    as `example_postcode`, so one council's form never suggests another council's postcode.
    """

    def __init__(self, *args, example_postcode: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.example_postcode = example_postcode
        postcode = self.fields.get("postcode")
        if postcode is not None and example_postcode and not postcode.help_text:
            postcode.help_text = f"For example, {example_postcode}"

    def _required_text(self, name: str) -> str:
        value = clean_text(self.cleaned_data[name] or "").strip()
        if not value and self.fields[name].required:
            raise forms.ValidationError(self.fields[name].error_messages["required"])
        return value

    def clean_name(self):
        return self._required_text("name")

    def clean_organisation(self):
        return self._required_text("organisation")

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_postcode(self):
        value = self.cleaned_data["postcode"] or ""
        if not value.strip() and not self.fields["postcode"].required:
            return ""
        postcode = normalise_uk_postcode(value)
        if postcode is None:
            raise forms.ValidationError(invalid_postcode_message(self.example_postcode))
        return postcode

    def clean_phone(self):
        phone = clean_text(self.cleaned_data["phone"] or "").strip()
        if phone and not re.fullmatch(r"[0-9 +()-]{7,30}", phone):
            raise forms.ValidationError(INVALID_PHONE)
        return phone


def required_message(name: str, field: forms.Field) -> str:
    """The message for an empty required field: the shared one, or one made from its label."""
    if name in REQUIRED_MESSAGES:
        return REQUIRED_MESSAGES[name]
    label = str(field.label or name).strip().rstrip("?:")
    if isinstance(field, forms.BooleanField):
        # "I agree to be contacted" → "Agree to be contacted", as the booking form asks for consent.
        if label.lower().startswith("i agree "):
            return "Agree " + label[len("I agree ") :]
        return f"Select “{label}” to continue"
    if isinstance(field, forms.ChoiceField):
        return f"Select {label[:1].lower()}{label[1:]}"
    return f"Enter {label[:1].lower()}{label[1:]}"


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


NEW_DATES_FIELD = "wants_new_dates"
NEW_DATES_LABEL = "Email me when new training dates are published"


class InterestFormBuilder(FormBuilder):
    """Editors choose the questions; every interest form also offers to announce new dates."""

    def create_dropdown_field(self, field, options):
        options["choices"] = [("", "Choose one")] + self.get_formatted_field_choices(field)
        return forms.ChoiceField(**options)

    @property
    def formfields(self):
        fields = super().formfields
        for name, field in fields.items():
            field.error_messages["required"] = required_message(name, field)
            if isinstance(field, forms.EmailField):
                field.error_messages["invalid"] = INVALID_EMAIL
            if name in AUTOCOMPLETE:
                field.widget.attrs["autocomplete"] = AUTOCOMPLETE[name]
            if name == "email":
                field.widget.attrs["spellcheck"] = "false"
        fields[NEW_DATES_FIELD] = forms.BooleanField(
            label=NEW_DATES_LABEL,
            required=False,
            help_text="We will only use your email address for this. Every email has a link to stop them.",
        )
        return fields

    def get_form_class(self):
        form_class = super().get_form_class()
        return type("InterestForm", (ContactFieldsMixin, HoneypotMixin, form_class), {})

"""`/admin/scheme-settings/`: a coordinator's own scheme settings (the pledge venues agree to, how
often they renew, how far "nearest open" looks, who signs the certificates). One screen, no object
in the URL: the partner is chosen from the coordinator's own partners, so another council's
settings are never shown."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse

from .admin_scoping import partner_choices_for, require_partner_staff
from .admin_views import staff_form_view
from .models import Partner
from .services import update_scheme_settings

# Shown in this order, under these headings; labels, limits and help come from the Partner fields.
SECTIONS = [
    ("What venues agree to", ["pledge_text", "renewal_months"]),
    ("Finding a Safe Haven", ["nearby_km"]),
    ("Spot checks", ["visit_every_months", "refresher_days"]),
    ("Certificates", ["certificate_signatory_name", "certificate_signatory_role"]),
    ("The help given log", ["help_log_retention_months"]),
]


def _in_range(name: str, noun: str, unit: str = "") -> dict:
    """Error messages naming the field's own limits (its model validators), the GOV.UK way:
    "Enter a number of months between 1 and 36", for a value too small, too large or not a number."""
    validators = Partner._meta.get_field(name).validators  # with the database's own integer range
    low = max(v.limit_value for v in validators if isinstance(v, MinValueValidator))
    high = min(v.limit_value for v in validators if isinstance(v, MaxValueValidator))
    text = f"Enter a {noun} between {low} and {high}{unit}"
    return {"min_value": text, "max_value": text, "invalid": text}


class SchemeSettingsForm(forms.ModelForm):
    """The partner is a hidden field limited to the coordinator's own partners, so a forged one is
    refused ("Select a valid choice") rather than saved. The form only validates: the service writes."""

    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), widget=forms.HiddenInput)

    class Meta:
        model = Partner
        fields = [name for _, names in SECTIONS for name in names]
        widgets = {"pledge_text": forms.Textarea(attrs={"rows": 8})}
        error_messages = {
            "pledge_text": {"required": "Enter the pledge venues agree to"},
            "renewal_months": {
                "required": "Enter the number of months between renewals",
                **_in_range("renewal_months", "number of months"),
            },
            "nearby_km": {
                "required": "Enter a distance in kilometres, like 1.5",
                **_in_range("nearby_km", "distance", " kilometres"),
                "max_decimal_places": "Enter a distance in kilometres with one decimal place at most, like 1.5",
            },
            "visit_every_months": {
                "required": "Enter the number of months between spot checks",
                **_in_range("visit_every_months", "number of months"),
            },
            "refresher_days": {
                "required": "Enter the number of days to complete a refresher",
                **_in_range("refresher_days", "number of days"),
            },
            "help_log_retention_months": {
                "required": "Enter the number of months to keep the help given log",
                **_in_range("help_log_retention_months", "number of months"),
            },
            "certificate_signatory_name": {"max_length": "Enter a name of %(limit_value)s characters or fewer"},
            "certificate_signatory_role": {"max_length": "Enter a job title of %(limit_value)s characters or fewer"},
        }

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["partner"].initial = self.instance.pk

    def sections(self):
        return [(heading, [self[name] for name in names]) for heading, names in SECTIONS]


def scheme_settings_view(request):
    require_partner_staff(request)
    partners = partner_choices_for(request.user)
    chosen = request.POST.get("partner") or request.GET.get("partner") or ""
    partner = partners.filter(pk=chosen).first() if chosen.isdigit() else partners.first()
    if partner is None:
        partner = partners.first()
    form = SchemeSettingsForm(request.POST or None, instance=partner, partners=partners)

    def act(form):
        values = {name: form.cleaned_data[name] for name in SchemeSettingsForm.Meta.fields}
        changed = update_scheme_settings(partner=form.cleaned_data["partner"], actor=request.user, **values)
        return f"{partner.name}'s scheme settings are saved." if changed else "Nothing was changed."

    url = reverse("scheme_settings")
    others = [(other, f"{url}?partner={other.pk}") for other in partners if other.pk != partner.pk]
    return staff_form_view(
        request, title=f"Scheme settings: {partner.name}", form=form, act=act, submit_label="Save",
        success_url=f"{url}?partner={partner.pk}", back_url=reverse("wagtailadmin_home"),
        template="cms/admin/scheme_settings.html", context={"other_partners": others, "icon": "cog"},
    )  # fmt: skip

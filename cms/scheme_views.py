"""`/admin/scheme-settings/`: a coordinator's own scheme settings (the pledge venues agree to, how
often they renew, how far "nearest open" looks). One screen, no object in the URL: the partner is
chosen from the coordinator's own partners, so another council's settings are never shown."""

from decimal import Decimal

from django import forms
from django.urls import reverse

from .admin_scoping import partner_choices_for, require_partner_staff
from .admin_views import staff_form_view
from .models import Partner
from .services import update_scheme_settings


class SchemeSettingsForm(forms.Form):
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), widget=forms.HiddenInput)
    pledge_text = forms.CharField(
        label="The Safe Haven pledge",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What a venue agrees to before it is listed, one promise a line. Venues read it when they "
        "agree and each year when they renew.",
        error_messages={"required": "Enter the pledge venues agree to"},
    )
    renewal_months = forms.IntegerField(
        label="Months between renewals",
        min_value=1,
        max_value=36,
        help_text="An accredited venue re-confirms its details, hours and the pledge this often. We email it 30 "
        "and 7 days before; it is unlisted if it has not confirmed by then.",
        error_messages={"required": "Enter the number of months between renewals"},
    )
    nearby_km = forms.DecimalField(
        label="Walking distance for \u201cnearest open\u201d, in kilometres",
        min_value=Decimal("0.2"),
        max_value=Decimal("10"),
        decimal_places=1,
        help_text="1.5 km is about 20 minutes' walk.",
        error_messages={"required": "Enter a distance in kilometres, like 1.5"},
    )

    visit_every_months = forms.IntegerField(
        label="Months between spot checks",
        min_value=1,
        max_value=36,
        help_text="Each Safe Haven should be visited (or phoned) this often. The dashboard lists venues due a "
        "visit, and those overdue by more than a month.",
        error_messages={"required": "Enter the number of months between spot checks"},
    )
    refresher_days = forms.IntegerField(
        label="Days to complete a refresher after a failed visit",
        min_value=7,
        max_value=180,
        help_text="After a failed visit, someone from the venue must complete the workshop within this many days, "
        "or the venue is suspended automatically.",
        error_messages={"required": "Enter the number of days to complete a refresher"},
    )

    help_log_retention_months = forms.IntegerField(
        label="Months the help given log keeps each row",
        min_value=1,
        max_value=120,
        help_text="Older rows are deleted by the daily purge_help_log command. The log holds nothing about a person.",
        error_messages={"required": "Enter the number of months to keep the help given log"},
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners


def scheme_settings_view(request):
    require_partner_staff(request)
    partners = partner_choices_for(request.user)
    chosen = request.POST.get("partner") or request.GET.get("partner") or ""
    partner = partners.filter(pk=chosen).first() if chosen.isdigit() else partners.first()
    if partner is None:
        partner = partners.first()
    initial = {"partner": partner.pk, "pledge_text": partner.pledge_text, "renewal_months": partner.renewal_months,
               "nearby_km": partner.nearby_km, "visit_every_months": partner.visit_every_months,
               "refresher_days": partner.refresher_days,
               "help_log_retention_months": partner.help_log_retention_months}  # fmt: skip
    form = SchemeSettingsForm(request.POST or None, initial=initial, partners=partners)

    def act(form):
        data = dict(form.cleaned_data)
        changed = update_scheme_settings(partner=data.pop("partner"), actor=request.user, **data)
        return f"{partner.name}'s scheme settings are saved." if changed else "Nothing was changed."

    url = reverse("scheme_settings")
    others = [(other, f"{url}?partner={other.pk}") for other in partners if other.pk != partner.pk]
    return staff_form_view(
        request, title=f"Scheme settings: {partner.name}", form=form, act=act, submit_label="Save",
        success_url=f"{url}?partner={partner.pk}", back_url=reverse("wagtailadmin_home"),
        template="cms/admin/form.html", context={"icon": "cog", "other_partners": others},
    )  # fmt: skip

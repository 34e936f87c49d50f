"""Admin and import forms. Imports models lazily: models.py uses these as base_form_class."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from cms.models import Partner
from cms.tenancy import partners_for_user


class ModuleForm(WagtailAdminModelForm):
    """Editors can only give a module to a partner they work for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "partner" in self.fields and self.for_user is not None:
            partners = partners_for_user(self.for_user)
            self.fields["partner"].queryset = partners
            if not self.instance.pk and partners.count() == 1:
                self.fields["partner"].initial = partners.first().pk


class CoursePageForm(WagtailAdminPageForm):
    """Checks the chosen modules: allowed for this partner, and filling the course's length."""

    def _course_partner(self):
        if self.instance.pk:
            return self.instance.get_partner()
        site = self.parent_page.get_site() if self.parent_page else None
        return Partner.objects.filter(site=site).first() if site else None

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("course_modules")
        if formset is None or not formset.is_valid():
            return cleaned_data
        modules = [
            form.cleaned_data["module"]
            for form in formset.forms
            if form.cleaned_data.get("module") and not form.cleaned_data.get("DELETE")
        ]
        from .models import Module

        partner = self._course_partner()
        if partner is not None:
            allowed = set(
                Module.objects.choosable_by([partner])
                .filter(pk__in=[m.pk for m in modules])
                .values_list("pk", flat=True)
            )
            refused = [module.title for module in modules if module.pk not in allowed]
            if refused:
                raise ValidationError(
                    "These modules belong to another partner and are not shared: " + ", ".join(refused) + "."
                )
        # The model's clean() checks durations; the unsaved inline rows are only visible from here.
        self.instance._pending_module_durations = [module.duration_minutes for module in modules]
        return cleaned_data


class UserPartnerForm(forms.Form):
    """A `partner` field offering the user's own partners, chosen already when there is only one."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        partners = partners_for_user(user)
        self.fields["partner"].queryset = partners
        if partners.count() == 1:
            self.fields["partner"].initial = partners.first().pk


class CoursePackageImportForm(UserPartnerForm):
    package = forms.FileField(
        label="Course package (.json)", help_text="A file made by 'Export course package' on another installation."
    )
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), label="Import into")

    def clean_package(self):
        upload = self.cleaned_data["package"]
        from .packages import package_max_bytes

        limit = package_max_bytes()
        if upload.size > limit:
            raise ValidationError(f"The package is {upload.size:,} bytes; the limit is {limit:,} bytes.")
        return upload


class CustomiseModuleForm(UserPartnerForm):
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), label="Copy for")

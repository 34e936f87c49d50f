"""Staff admin for interest registrations and personal-data requests, scoped to the user's partners."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import slugify
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet

from . import services
from .admin_columns import WhenColumn
from .admin_scoping import PartnerScopedViewSetMixin, is_partner_staff, partner_choices_for, scoped_object
from .models import InterestSubmission
from .privacy import erase_person, subject_access, subject_access_json


def _answer(key):
    return lambda submission: submission.form_data.get(key, "")


class InterestStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=InterestSubmission.Status.choices, widget=forms.RadioSelect)


class InterestIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("partner")


class InterestViewSet(PartnerScopedViewSetMixin, ModelViewSet):
    model = InterestSubmission
    icon = "mail"
    menu_label = "Interest registrations"
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = InterestIndexView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_filter = ["status"]
    form_fields = ["status"]  # the edit view below goes through the service
    list_display = [
        Column("name", label="Name", accessor=_answer("name")),
        Column("organisation", label="Organisation or venue", accessor=_answer("organisation")),
        Column("email", label="Email", accessor=_answer("email")),
        WhenColumn("submit_time", label="Sent"),
        StatusTagColumn("status", label="Status", accessor="get_status_display", primary=False),
        "partner",
    ]

    @property
    def edit_view(self):
        return self.status_view

    def status_view(self, request, pk):
        submission = scoped_object(request, InterestSubmission, pk)
        form = InterestStatusForm(request.POST or None, initial={"status": submission.status})
        if request.method == "POST" and form.is_valid():
            services.set_interest_status(submission=submission, status=form.cleaned_data["status"], actor=request.user)
            messages.success(request, f"Status changed to {submission.get_status_display()}.")
            return redirect(self.get_url_name("index"))
        answers = [(field, submission.form_data.get(field, "")) for field in submission.form_data]
        who = submission.form_data.get("organisation") or submission.form_data.get("name") or "someone"
        return TemplateResponse(
            request,
            "cms/admin/interest_status.html",
            {
                "title": f"Interest from {who}",
                "submission": submission,
                "answers": answers,
                "form": form,
                "index_url": reverse(self.get_url_name("index")),
                "history_url": reverse(self.get_url_name("history"), args=[submission.pk]),
            },
        )


class PersonForm(forms.Form):
    partner = forms.ModelChoiceField(label="Council", queryset=None, empty_label=None)
    email = forms.EmailField(label="Email address")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        partners = list(partner_choices_for(user))
        self.fields["partner"].queryset = partner_choices_for(user)
        self.only_partner = partners[0] if len(partners) == 1 else None
        if self.only_partner:
            # One council: nothing to choose, so no field to fill in.
            self.fields["partner"].widget = forms.HiddenInput()
            self.fields["partner"].required = False
            self.fields["partner"].initial = self.only_partner.pk

    def clean_partner(self):
        return self.cleaned_data.get("partner") or self.only_partner


class EraseForm(PersonForm):
    confirm = forms.BooleanField(
        label="I have checked this is the right person and the request is valid",
        help_text="Bookings are anonymised; valid certificates keep the holder's name (see the README).",
    )


class PersonalDataViewSet(ViewSet):
    """Subject access and erasure for one email address, within the user's own partner."""

    name = "staff_personal_data"
    icon = "user"
    menu_label = "Personal data"
    menu_order = 270
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [
            path("", self.index, name="index"),
            path("subject-access/", self.subject_access_view, name="subject_access"),
            path("erase/", self.erase_view, name="erase"),
        ]

    def get_menu_item(self, order=None):
        item = super().get_menu_item(order)
        item.is_shown = lambda request: is_partner_staff(request.user)
        return item

    def _guard(self, request):
        if not is_partner_staff(request.user):
            raise PermissionDenied
        # Naming another council is a 404, as for any other object of theirs.
        named = request.GET.get("partner") or request.POST.get("erase-partner")
        if named and not (named.isdigit() and partner_choices_for(request.user).filter(pk=named).exists()):
            raise Http404("No such council")

    def index(self, request):
        self._guard(request)
        return self._page(request, PersonForm(user=request.user), EraseForm(user=request.user, prefix="erase"))

    def _page(self, request, access_form, erase_form, *, status=200):
        return TemplateResponse(
            request,
            "cms/admin/personal_data.html",
            {"title": "Personal data requests", "access_form": access_form, "erase_form": erase_form,
             "url_namespace": self.url_namespace},
            status=status,
        )  # fmt: skip

    def subject_access_view(self, request):
        self._guard(request)
        form = PersonForm(request.GET or None, user=request.user)
        if not form.is_valid():
            return self._page(request, form, EraseForm(user=request.user, prefix="erase"))
        partner, email = form.cleaned_data["partner"], form.cleaned_data["email"]
        report = subject_access(partner=partner, email=email, actor=request.user)
        response = HttpResponse(subject_access_json(report), content_type="application/json; charset=utf-8")
        name = f"subject-access-{slugify(partner.name)}-{slugify(email)}.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response

    def erase_view(self, request):
        self._guard(request)
        if request.method != "POST":
            return redirect(self.get_url_name("index"))
        form = EraseForm(request.POST, user=request.user, prefix="erase")
        if not form.is_valid():
            return self._page(request, PersonForm(user=request.user), form)
        counts = erase_person(
            partner=form.cleaned_data["partner"], email=form.cleaned_data["email"], actor=request.user
        )
        summary = ", ".join(f"{count} {key.replace('_', ' ')}" for key, count in counts.items())
        messages.success(request, f"Erased: {summary}.")
        return redirect(self.get_url_name("index"))

"""Staff admin for interest registrations and personal-data requests, scoped to the user's partners."""

import datetime

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet

from . import services
from .admin_columns import WhenColumn, when
from .admin_scoping import PartnerScopedViewSetMixin, is_partner_staff, partner_choices_for, scoped, scoped_object
from .models import InterestSubmission
from .privacy import erase_person, subject_access, subject_access_json


def _answer(key):
    return lambda submission: submission.form_data.get(key, "")


class InterestStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=InterestSubmission.Status.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was said or agreed, for whoever picks this up next.",
    )


def working_days_before(moment, days: int):
    """The same time of day `days` working days (Monday to Friday) earlier, on the local clock.
    Bank holidays count as working days."""
    local = timezone.localtime(moment)
    while days:
        local -= datetime.timedelta(days=1)
        if local.weekday() < 5:
            days -= 1
    return local


FOLLOW_UP_DAYS = 5
SENT_CHOICES = [
    ("week", "In the last 7 days"),
    ("month", "8 to 30 days ago"),
    ("older", "More than 30 days ago"),
    ("waiting", f"New, not contacted after {FOLLOW_UP_DAYS} working days"),
]


class InterestFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label="Status", choices=InterestSubmission.Status.choices, empty_label="Any")
    sent = django_filters.ChoiceFilter(label="Sent", choices=SENT_CHOICES, method="filter_sent", empty_label="Any time")

    class Meta:
        model = InterestSubmission
        fields = ["status"]

    def filter_sent(self, queryset, name, value):
        now = timezone.now()
        week, month = now - datetime.timedelta(days=7), now - datetime.timedelta(days=30)
        if value == "week":
            return queryset.filter(submit_time__gte=week)
        if value == "month":
            return queryset.filter(submit_time__gte=month, submit_time__lt=week)
        if value == "older":
            return queryset.filter(submit_time__lt=month)
        if value == "waiting":
            cutoff = working_days_before(now, FOLLOW_UP_DAYS)
            return queryset.filter(status=InterestSubmission.Status.NEW, submit_time__lt=cutoff)
        return queryset


class InterestIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("partner").order_by("-submit_time", "-pk")

    @cached_property
    def columns(self):
        # The name opens the registration, as a title does in any Wagtail listing.
        name = self._get_title_column_class(TitleColumn)(
            "name", label="Name", accessor=lambda submission: submission.name or "(no name given)",
            get_url=self.get_edit_url,
        )  # fmt: skip
        return [name, *super().columns[1:]]


class InterestViewSet(PartnerScopedViewSetMixin, ModelViewSet):
    model = InterestSubmission
    icon = "mail"
    menu_label = "Interest registrations"
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = InterestIndexView
    copy_view_enabled = False
    inspect_view_enabled = False
    filterset_class = InterestFilterSet
    form_fields = ["status"]  # the edit view below goes through the service
    list_display = [
        "name",  # replaced by a link to the registration (InterestIndexView.columns)
        Column("organisation", label="Organisation or venue", accessor=_answer("organisation")),
        Column("email", label="Email", accessor=_answer("email")),
        WhenColumn("submit_time", label="Sent"),
        StatusTagColumn("status", label="Status", accessor="get_status_display", primary=False),
        "partner",
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("invite/<str:pk>/", self.invite_view, name="invite")]

    @property
    def edit_view(self):
        return self.status_view

    def _page_url(self, submission):
        return reverse(self.get_url_name("edit"), args=[submission.pk])

    def status_view(self, request, pk):
        submission = scoped_object(
            request, InterestSubmission, pk, queryset=scoped(InterestSubmission, request.user).select_related("partner")
        )
        form = InterestStatusForm(request.POST or None, initial={"status": submission.status})
        if request.method == "POST" and form.is_valid():
            previous = submission.status
            services.set_interest_status(
                submission=submission, status=form.cleaned_data["status"], note=form.cleaned_data["note"],
                actor=request.user,
            )  # fmt: skip
            if submission.status != previous:
                messages.success(request, f"Status changed to {submission.get_status_display()}.")
            elif form.cleaned_data["note"].strip():
                messages.success(request, "Note added.")
            else:
                messages.info(request, "Nothing changed: the status is the same and there is no note.")
            return redirect(self._page_url(submission))
        return self._page(request, submission, form)

    def _page(self, request, submission, form, **extra):
        zone = submission.partner.zone
        with timezone.override(zone):
            sent = when(submission.submit_time)
            history = [
                {"when": when(step.created_at), "step": step, "by": _person(step.actor)}
                for step in submission.follow_ups.select_related("actor")
            ]
        return TemplateResponse(
            request,
            "cms/admin/interest_status.html",
            {
                "title": f"Interest from {submission.who}",
                "submission": submission,
                "sent": sent,
                "answers": submission.answers(),
                "history": history,
                "form": form,
                "index_url": reverse(self.get_url_name("index")),
                "invite_url": reverse(self.get_url_name("invite"), args=[submission.pk]),
                "history_url": reverse(self.get_url_name("history"), args=[submission.pk]),
                **extra,
            },
        )

    def invite_view(self, request, pk):
        """Confirm, then email the person the partner's bookable sessions (bookings.interest)."""
        from bookings.interest import InviteNotSent, bookable_sessions, invite_to_book, session_lines

        submission = scoped_object(
            request, InterestSubmission, pk, queryset=scoped(InterestSubmission, request.user).select_related("partner")
        )
        if request.method == "POST":
            try:
                sessions = invite_to_book(submission=submission, actor=request.user)
            except InviteNotSent as error:
                messages.warning(request, error.message)
            else:
                count = f"{len(sessions)} upcoming session{'s' if len(sessions) != 1 else ''}"
                messages.success(request, f"Invitation to book emailed to {submission.email}, listing {count}.")
            return redirect(self._page_url(submission))
        sessions = session_lines(bookable_sessions(partner=submission.partner), partner=submission.partner)
        return TemplateResponse(
            request,
            "cms/admin/interest_invite.html",
            {
                "title": f"Invite {submission.who} to book",
                "submission": submission,
                "sessions": sessions,
                "page_url": self._page_url(submission),
            },
        )


def _person(user) -> str:
    if user is None:
        return "Automatic"
    return user.get_full_name() or user.get_username()


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

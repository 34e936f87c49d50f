"""Staff admin for venues and certificates: scoped to the user's partners; every change via services."""

import django_filters
from django import forms
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log

from cms.admin_columns import WhenColumn
from cms.admin_scoping import PartnerScopedViewSetMixin, scoped_object, staff_partners
from cms.admin_views import bound_on_post, staff_form_view
from cms.choices import HelpOffered
from cms.exports import ExportButtonIndexMixin, ListExportViewSetMixin
from cms.models import Area

from . import services
from .exceptions import CertificateError
from .exports import accreditation_label, certificates_export, renewal_label, venues_export
from .forms import MergeForm, StickerPackForm, reason_form
from .models import Certificate, Venue, VenueHelp
from .selectors import RENEWAL_NOTICE_DAYS, renewals_due
from .sticker import DEFAULT_SIZE, SIZES, render_sticker_pdf

STICKER_SIZES = [("a5", "Download sticker (A5)"), ("a6", "Download sticker (A6)")]


class StickerForm(forms.Form):
    size = forms.ChoiceField(
        label="Size",
        choices=[("a5", "A5 (148 × 210 mm), for a door or window"), ("a6", "A6 (105 × 148 mm), for a till or counter")],
        widget=forms.RadioSelect,
        help_text="Its QR code opens the venue's live status page, which says whether it is a Safe Haven today.",
    )


def sticker_url(venue, size: str) -> str:
    return reverse("safe_haven_venues:sticker", args=[venue.pk]) + f"?size={size}"


# --- Venues -----------------------------------------------------------------------------------


class VenueAdminForm(WagtailAdminModelForm):
    help_offered_codes = forms.MultipleChoiceField(
        label="Help offered", choices=HelpOffered.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "area" in self.fields:
            self.fields["area"].queryset = Area.objects.filter(partner_id=self.instance.partner_id)
        if self.instance.pk:
            self.initial.setdefault("help_offered_codes", self.instance.help_offered)

    def save(self, commit=True):
        codes = self.cleaned_data.get("help_offered_codes") or []
        current = {item.code: item for item in self.instance.help_items.all()}
        self.instance.help_items = [current.get(code) or VenueHelp(code=code) for code in codes]
        return super().save(commit=commit)


def _areas_for_request(request):
    return Area.objects.filter(partner__in=staff_partners(request.user)) if request else Area.objects.none()


class VenueFilterSet(WagtailFilterSet):
    """The list's filters; the area choices are the user's partners' areas only."""

    area = django_filters.ModelChoiceFilter(queryset=_areas_for_request, label="Area")
    waiting = django_filters.ChoiceFilter(
        label="Waiting",
        choices=[("agreements", "Trained, waiting for the pledge or listing")],
        method="filter_waiting",
    )

    renewal = django_filters.ChoiceFilter(
        label="Renewal",
        choices=[("due", f"Due in the next {RENEWAL_NOTICE_DAYS} days or overdue"), ("overdue", "Overdue")],
        method="filter_renewal",
    )

    class Meta:
        model = Venue
        fields = ["waiting", "renewal", "venue_type", "sticker_pack", "suspended", "agreed_to_be_listed", "area"]

    def filter_waiting(self, queryset, name, value):
        return queryset.awaiting_agreements(today=timezone.localdate()) if value == "agreements" else queryset

    def filter_renewal(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.renewal_overdue(today=today)
        return renewals_due(queryset, today=today) if value == "due" else queryset


class VenueIndexView(ExportButtonIndexMixin, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(merged_into__isnull=True).select_related("partner", "area")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        url = lambda name: reverse(f"{self.url_namespace}:{name}", args=[instance.pk])  # noqa: E731
        if instance.suspended:
            buttons.append(MenuItem("Unsuspend", url=url("unsuspend"), icon_name="tick", priority=40))
        else:
            buttons.append(MenuItem("Suspend", url=url("suspend"), icon_name="warning", priority=40))
        buttons.append(MenuItem("Merge a duplicate", url=url("merge"), icon_name="resubmit", priority=50))
        if instance.sticker_pack != Venue.StickerPack.SENT:
            buttons.append(MenuItem("Sticker pack sent", url=url("sticker_pack"), icon_name="mail", priority=60))
        for priority, (size, label) in enumerate(STICKER_SIZES, start=70):
            buttons.append(MenuItem(label, url=sticker_url(instance, size), icon_name="download", priority=priority))
        return buttons


class RenewalPanel(HelpPanel):
    """The venue's renewal, read-only on its edit page: the date is kept by the renewal services."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            label = renewal_label(self.instance) if self.instance and self.instance.pk else ""
            if not label:
                self.content = format_html("<p>{}</p>", "No renewal date yet: it is set when the venue is accredited.")
            elif label == "Renewal overdue":
                due = self.instance.renewal_due_on
                self.content = format_html(
                    "<p><strong>Renewal overdue</strong>: it was due {} {}. The venue is off the public register "
                    "until its lead re-confirms its details and the pledge.</p>",
                    due.day, f"{due:%b %Y}",
                )  # fmt: skip
            else:
                self.content = format_html("<p>{}</p>", label)


class VenueEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        for priority, (size, label) in enumerate(STICKER_SIZES, start=70):
            buttons.append(Button(label, url=sticker_url(self.object, size), icon_name="download", priority=priority))
        return buttons

    def save_instance(self):
        venue = super().save_instance()
        services.refresh_accreditation(venue=venue)
        return venue


class VenueViewSet(ListExportViewSetMixin, PartnerScopedViewSetMixin, ModelViewSet):
    model = Venue
    icon = "home"
    menu_label = "Venues"
    add_to_admin_menu = False
    index_view_class = VenueIndexView
    edit_view_class = VenueEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    search_fields = ["name", "postcode", "address"]
    filterset_class = VenueFilterSet
    list_display = [
        "name",
        "postcode",
        Column("accreditation", label="Status", accessor=accreditation_label),
        WhenColumn("accredited_until", label="Accredited until"),
        Column("renewal", label="Renewal", accessor=renewal_label),
        StatusTagColumn("sticker_pack", label="Sticker pack", accessor="get_sticker_pack_display", primary=False),
        "partner",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("venue_type"),
            MultiFieldPanel(
                [
                    FieldPanel("address"),
                    FieldPanel("postcode"),
                    FieldPanel("area"),
                    FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                ],
                heading="Where",
            ),
            FieldPanel("phone"),
            FieldPanel("website"),
            FieldPanel("help_offered_codes"),
            InlinePanel("opening_hours", heading="Opening hours", label="Opening period"),
            MultiFieldPanel(
                [FieldPanel("agreed_to_pledge"), FieldPanel("pledge_agreed_on"), FieldPanel("agreed_to_be_listed")],
                heading="Agreements",
            ),
            RenewalPanel(heading="Renewal"),
        ],
        base_form_class=VenueAdminForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("suspend/<int:pk>/", self.suspend_view, name="suspend"),
            path("unsuspend/<int:pk>/", self.unsuspend_view, name="unsuspend"),
            path("merge/<int:pk>/", self.merge_view, name="merge"),
            path("sticker-pack/<int:pk>/", self.sticker_pack_view, name="sticker_pack"),
            path("sticker/<int:pk>/", self.sticker_view, name="sticker"),
        ]

    export_title = "Export venues"
    build_export = staticmethod(venues_export)

    def suspend_view(self, request, pk):
        venue = scoped_object(request, Venue, pk)

        def act(form):
            services.suspend_venue(venue=venue, reason=form.cleaned_data["reason"], actor=request.user)
            return f"{venue.name} is suspended and no longer in the register."

        form_class = reason_form("Staff only. Recorded in the venue's history.")
        return _action(request, self, venue, f"Suspend {venue.name}", "Suspend", form_class, act)

    def unsuspend_view(self, request, pk):
        venue = scoped_object(request, Venue, pk)

        def act(form):
            services.unsuspend_venue(venue=venue, actor=request.user)
            return f"{venue.name} is no longer suspended."

        return _action(request, self, venue, f"Unsuspend {venue.name}", "Unsuspend", forms.Form, act)

    def merge_view(self, request, pk):
        venue = scoped_object(request, Venue, pk)
        candidates = Venue.objects.filter(partner=venue.partner, merged_into__isnull=True).exclude(pk=venue.pk)

        def act(form):
            duplicate = form.cleaned_data["duplicate"]
            services.merge_venues(keep=venue, duplicate=duplicate, actor=request.user)
            return f"{duplicate.name} was merged into {venue.name}."

        return _action(
            request, self, venue, f"Merge a duplicate into {venue.name}", "Merge", MergeForm, act,
            form_kwargs={"queryset": candidates},
        )  # fmt: skip

    def sticker_pack_view(self, request, pk):
        venue = scoped_object(request, Venue, pk)

        def act(form):
            services.record_sticker_pack_sent(venue=venue, sent_on=form.cleaned_data["sent_on"], actor=request.user)
            return f"Sticker pack for {venue.name} recorded as sent."

        return _action(
            request, self, venue, f"Sticker pack sent to {venue.name}", "Record as sent", StickerPackForm, act,
            initial={"sent_on": timezone.localdate()},
        )  # fmt: skip

    def sticker_view(self, request, pk):
        """The venue's window sticker: `?size=a5` or `a6` downloads the PDF; without a size, a page to
        choose one. The sticker-pack record is separate: downloading is not sending."""
        venue = scoped_object(request, Venue, pk)
        size = request.GET.get("size", "").lower()
        if request.method == "POST":
            form = StickerForm(request.POST)
            size = form.cleaned_data["size"] if form.is_valid() else ""
        if size in SIZES:
            response = HttpResponse(render_sticker_pdf(venue, size=size), content_type="application/pdf")
            log(venue, "certificates.sticker_downloaded", user=request.user, data={"size": size})
            response["Content-Disposition"] = f'attachment; filename="safe-haven-sticker-{venue.slug}-{size}.pdf"'
            response["Cache-Control"] = "private, no-store"
            return response
        return _action(
            request, self, venue, f"Window sticker for {venue.name}", "Download sticker", StickerForm,
            lambda form: None, initial={"size": DEFAULT_SIZE},
        )  # fmt: skip


# --- Certificates -----------------------------------------------------------------------------


class CertificateIndexView(ExportButtonIndexMixin, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("venue", "partner")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        url = lambda name: reverse(f"{self.url_namespace}:{name}", args=[instance.pk])  # noqa: E731
        if instance.status != Certificate.Status.REVOKED:
            buttons.append(MenuItem("Revoke", url=url("revoke"), icon_name="warning", priority=40))
            buttons.append(MenuItem("Re-send email", url=url("resend"), icon_name="mail", priority=50))
        return buttons


class CertificateViewSet(ListExportViewSetMixin, PartnerScopedViewSetMixin, ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = "Certificates"
    add_to_admin_menu = False
    index_view_class = CertificateIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    search_fields = ["holder_name", "holder_email", "code"]
    list_filter = ["status", "issued_on", "expires_on"]
    list_display = [
        "holder_name",
        Column("display_code", label="Code"),
        "venue",
        Column("status", label="Status", accessor="current_status_label"),
        WhenColumn("issued_on", label="Issued"),
        WhenColumn("expires_on", label="Expires"),
    ]
    inspect_view_fields = [
        "holder_name",
        "holder_email",
        "venue",
        "course_page",
        "issued_on",
        "expires_on",
        "status",
        "revoked_reason",
        "revoked_at",
    ]
    form_fields = ["holder_name", "holder_email"]  # unused: the policy offers no add or edit

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("revoke/<int:pk>/", self.revoke_view, name="revoke"),
            path("resend/<int:pk>/", self.resend_view, name="resend"),
        ]

    export_title = "Export certificates"
    build_export = staticmethod(certificates_export)

    def revoke_view(self, request, pk):
        certificate = scoped_object(request, Certificate, pk)

        def act(form):
            services.revoke_certificate(certificate=certificate, reason=form.cleaned_data["reason"], actor=request.user)
            return f"Certificate {certificate.display_code} is revoked."

        form_class = reason_form("Shown on the public verification page: no personal details.")
        title = f"Revoke certificate {certificate.display_code} ({certificate.holder_name})"
        return _action(request, self, certificate, title, "Revoke", form_class, act)

    def resend_view(self, request, pk):
        certificate = scoped_object(request, Certificate, pk)

        def act(form):
            services.resend_certificate(certificate=certificate, actor=request.user)
            return f"Certificate {certificate.display_code} is being emailed to {certificate.holder_email}."

        title = f"Re-send certificate {certificate.display_code} to {certificate.holder_email}"
        return _action(request, self, certificate, title, "Re-send", forms.Form, act)


class SafeHavenViewSetGroup(ModelViewSetGroup):
    menu_label = "Safe Havens"
    menu_icon = "home"
    menu_order = 250
    items = (VenueViewSet("safe_haven_venues"), CertificateViewSet("safe_haven_certificates"))


# --- Action views shared by both viewsets -------------------------------------------------------


def _action(request, viewset, obj, title, submit_label, form_class, act, *, form_kwargs=None, initial=None):
    """A small staff form (reason, date, duplicate or bare confirmation) that calls one service."""
    index_url = reverse(viewset.get_url_name("index"))
    return staff_form_view(
        request, title=title, form=form_class(bound_on_post(request), initial=initial, **(form_kwargs or {})), act=act,
        success_url=index_url, back_url=index_url, submit_label=submit_label,
        template="certificates/admin/action_form.html", errors=(CertificateError,), error_url=index_url,
        context={"object": obj},
    )  # fmt: skip

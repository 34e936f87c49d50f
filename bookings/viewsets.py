"""Staff admin for sessions, bookings and waiting lists; every change goes through bookings.services.

Querysets and lookups are limited to the user's partners by `cms.admin_scoping`; another
partner's session or booking named in a URL is a 404.
"""

import secrets

import django_filters
from django.contrib import messages
from django.db import models
from django.db.models import Case, F, Value, When
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.models import ModelLogEntry

from cms.admin_columns import WhenColumn
from cms.admin_scoping import (
    PartnerScopedViewSetMixin,
    require_partner_staff,
    scoped,
    scoped_object,
    staff_partner_ids,
)
from cms.admin_views import Done, bound_on_post, staff_form_view
from cms.exports import export_or_form

from . import services
from .admin_forms import (
    ConfirmForm,
    SeriesForm,
    SessionEditForm,
    SessionForm,
    SessionMessageForm,
    StaffBookingForm,
    WalkInForm,
)
from .admin_register import attendance_label, has_knowledge_check, register_view
from .exceptions import BookingError
from .exports import bookings_export, register_export
from .formats import short_datetime
from .models import Booking, Session
from .selectors import session_bookings_for_staff, session_summary


def _local(value):
    return short_datetime(value, weekday=True) if value else ""


class TagColumn(Column):
    """A status as a coloured tag: the accessor gives (words, colour), colours as on the public side."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        words, colour = context["value"]
        context["value"] = format_html('<span class="sh-status sh-status--{}">{}</span>', colour, words)
        return context


def _session_tag(session):
    return (session.get_status_display(), "grey" if session.status == Session.Status.CANCELLED else "green")


def _places(session):
    return f"{session.taken_count} of {session.capacity}"


def _start_of_today():
    """Midnight today on the UK clock: today's sessions, even under way, count as upcoming."""
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


class SessionFilterSet(WagtailFilterSet):
    when = django_filters.ChoiceFilter(
        label="When",
        choices=[("past", "Past sessions"), ("all", "All dates")],
        empty_label="Today and upcoming",
        method="filter_when",
    )

    class Meta:
        model = Session
        fields = ["when", "status"]

    def filter_when(self, queryset, name, value):
        if value == "past":
            return queryset.filter(starts_at__lt=_start_of_today())
        return queryset  # "all"; the default (today and upcoming) is applied by the view


class SessionIndexView(IndexView):
    default_ordering = None
    table_classname = "listing staff-sessions"

    def get_base_queryset(self):
        today = _start_of_today()
        return (
            super()
            .get_base_queryset()
            .select_related("page", "partner")
            .with_counts()
            .annotate(is_past=Case(When(starts_at__lt=today, then=Value(1)), default=Value(0)))
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.request.GET.get("when"):
            queryset = queryset.filter(starts_at__gte=_start_of_today())
        return queryset

    def order_queryset(self, queryset):
        if self.ordering:
            return super().order_queryset(queryset)
        # Upcoming sessions first, soonest first; then past ones, most recent first.
        upcoming_start = Case(When(is_past=0, then=F("starts_at")), default=None, output_field=models.DateTimeField())
        return queryset.order_by("is_past", upcoming_start.asc(nulls_last=True), F("starts_at").desc(), "pk")

    @cached_property
    def columns(self):
        columns = list(super().columns)
        # The course title opens the session's own page, where everything about it is one click away.
        columns[0] = self._get_title_column_class(TitleColumn)(
            "page",
            label="Course or event",
            accessor="page.title",
            get_url=lambda session: reverse(f"{self.url_namespace}:detail", args=[session.pk]),
        )
        if len(staff_partner_ids(self.request.user)) < 2:
            columns = [column for column in columns if column.name != "partner"]  # one council: nothing to tell
        return columns

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.add_url:
            series_url = reverse(f"{self.url_namespace}:add_series")
            buttons.append(HeaderButton("Add a series", url=series_url, icon_name="date", priority=1100))
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        url = lambda name: reverse(f"{self.url_namespace}:{name}", args=[instance.pk])  # noqa: E731
        buttons += [
            MenuItem("Session page", url=url("detail"), icon_name="view", priority=4),
            MenuItem("Bookings and waiting list", url=url("bookings"), icon_name="group", priority=5),
            MenuItem("Attendance register", url=url("register"), icon_name="tasks", priority=6),
            MenuItem("Export bookings", url=url("export"), icon_name="download", priority=40),
        ]
        if not instance.is_cancelled:
            buttons.append(MenuItem("Cancel session", url=url("cancel"), icon_name="cross", priority=50))
        return buttons


class SessionViewSet(PartnerScopedViewSetMixin, ModelViewSet):
    model = Session
    icon = "date"
    menu_label = "Sessions"
    add_to_admin_menu = False
    index_view_class = SessionIndexView
    copy_view_enabled = False
    inspect_view_enabled = False
    search_fields = ["page__title"]
    filterset_class = SessionFilterSet
    form_fields = ["capacity"]  # the add and edit views below go through the services instead
    list_display = [
        Column("page", label="Course or event", accessor="page.title"),
        Column("starts_at", label="Starts", accessor=lambda s: _local(s.starts_at), sort_key="starts_at"),
        Column("places", label="Booked", accessor=_places),
        Column("waiting_count", label="Waiting", sort_key="waiting_count"),
        TagColumn("status", label="Status", accessor=_session_tag, sort_key="status"),
        "partner",
    ]

    @property
    def add_view(self):
        return self.create_session_view

    @property
    def edit_view(self):
        return self.edit_session_view

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("new-series/", self.create_series_view, name="add_series"),
            path("session/<int:pk>/", self.session_view, name="detail"),
            path("walk-in/<int:pk>/", self.walk_in_view, name="walk_in"),
            path("message/<int:pk>/", self.message_view, name="message"),
            path("cancel/<int:pk>/", self.cancel_session_view, name="cancel"),
            path("bookings/<int:pk>/", self.session_bookings_view, name="bookings"),
            path("book/<int:pk>/", self.book_view, name="book"),
            path("export/<int:pk>/", self.export_view, name="export"),
            path("register/<int:pk>/", self.register_view, name="register"),
            path("register-export/<int:pk>/", self.register_export_view, name="register_export"),
        ]

    def _session(self, request, pk):
        queryset = scoped(Session, request.user).select_related("page", "partner").with_counts()
        return scoped_object(request, Session, pk, queryset=queryset)

    def _render(self, request, template, context):
        context.setdefault("index_url", reverse(self.get_url_name("index")))
        context.setdefault("url_namespace", self.url_namespace)
        return TemplateResponse(request, template, context)

    def _form_view(self, request, **kwargs):
        """A staff action on sessions: `staff_form_view` with this viewset's template, errors and links."""
        kwargs.setdefault("template", "cms/admin/form.html")
        kwargs.setdefault("back_url", reverse(self.get_url_name("index")))
        return staff_form_view(request, errors=(BookingError,), **kwargs)

    def create_session_view(self, request):
        require_partner_staff(request)
        form = SessionForm(request.POST or None, user=request.user)

        def act(form):
            session = services.create_session(**form.service_kwargs(), actor=request.user)
            return Done(f"Session added: {session}.", url=reverse(self.get_url_name("detail"), args=[session.pk]))

        series_url = reverse(self.get_url_name("add_series"))
        return self._form_view(
            request, title="Add a session", form=form, act=act, success_url=None, submit_label="Add session",
            context={"aside_url": series_url, "aside_text": "Add a series of sessions instead"},
        )  # fmt: skip

    def create_series_view(self, request):
        require_partner_staff(request)
        form = SeriesForm(request.POST or None, user=request.user)

        def act(form):
            sessions = services.create_series(**form.service_kwargs(), actor=request.user)
            if sessions:
                return f"{len(sessions)} sessions added."
            return Done("No sessions were added: none of those weekdays fall between those dates.", messages.WARNING)

        return self._form_view(
            request, title="Add a series of sessions", form=form, act=act,
            success_url=reverse(self.get_url_name("index")), submit_label="Add sessions",
        )  # fmt: skip

    def edit_session_view(self, request, pk):
        session = self._session(request, pk)
        initial = {
            "starts_at": timezone.localtime(session.starts_at),
            "ends_at": timezone.localtime(session.ends_at),
            "capacity": session.capacity,
            "joining_link": session.joining_link,
            "location": session.location,
            "self_check_in": session.self_check_in,
            "booking_opens_at": session.booking_opens_at and timezone.localtime(session.booking_opens_at),
            "booking_closes_at": session.booking_closes_at and timezone.localtime(session.booking_closes_at),
        }
        form = SessionEditForm(request.POST or None, initial=initial)

        def act(form):
            changes = dict(form.cleaned_data)
            for name in ("starts_at", "ends_at"):
                # The form shows minutes: an unchanged time must not re-send everyone's invite.
                if changes[name] == getattr(session, name).replace(second=0, microsecond=0):
                    changes[name] = getattr(session, name)
            services.update_session(session=session, actor=request.user, **changes)
            return f"Session updated: {session.page.title}."

        return self._form_view(
            request, title=f"Edit {session}", form=form, act=act, error_field="capacity",
            success_url=reverse(self.get_url_name("detail"), args=[session.pk]), submit_label="Save",
            context={"object": session, "history_url": reverse(self.get_url_name("history"), args=[session.pk])},
        )  # fmt: skip

    def cancel_session_view(self, request, pk):
        session = self._session(request, pk)

        def act(form):
            services.cancel_session(session=session, actor=request.user)
            return f"{session} is cancelled; everyone booked or waiting is being told."

        return self._form_view(
            request, title=f"Cancel {session}", form=ConfirmForm(bound_on_post(request)), act=act,
            success_url=reverse(self.get_url_name("detail"), args=[session.pk]), submit_label="Cancel session",
            template="bookings/admin/confirm.html",
            context={"object": session,
                     "body": f"{session.taken_count} booked and {session.waiting_count} waiting will be emailed."},
        )  # fmt: skip

    def session_view(self, request, pk):
        """The session hub: what, when, where, places, the booking window, and every action."""
        session = self._session(request, pk)
        return self._render(
            request,
            "bookings/admin/session.html",
            {"title": str(session), "session": session, **session_summary(session),
             "sent_messages": session.messages.select_related("sent_by")[:20],
             "history_url": reverse(self.get_url_name("history"), args=[session.pk])},
        )  # fmt: skip

    def walk_in_view(self, request, pk):
        session = self._session(request, pk)
        form = WalkInForm(request.POST or None, example_postcode=session.partner.example_postcode)

        def act(form):
            data = dict(form.cleaned_data)
            reason = data.pop("reason")
            result = services.add_walk_in(
                session=session, attendee=services.AttendeeDetails(**data), reason=reason, actor=request.user
            )
            name = result.booking.name
            url = reverse(self.get_url_name("register"), args=[session.pk]) + f"#booking-{result.booking.pk}"
            if result.created or result.booking.added_by_id == request.user.pk:
                return Done(f"{name} is on the register. Mark them as attended below.", url=url)
            return Done(f"{name} already has a confirmed place: they are on the register.", messages.WARNING, url)

        return self._form_view(
            request, title=f"Add a walk-in to {session}", form=form, act=act, success_url=None,
            submit_label="Add to the register", back_url=reverse(self.get_url_name("detail"), args=[session.pk]),
            intro="For someone who has turned up on the day without a place. They are added even if the "
                  "session is full or booking has closed; your name and the reason are recorded.",
            context={"object": session},
        )  # fmt: skip

    def message_view(self, request, pk):
        session = self._session(request, pk)
        form = SessionMessageForm(request.POST or None, initial={"form_key": secrets.token_urlsafe(24)})

        def act(form):
            message = services.email_everyone_booked(session=session, actor=request.user, **form.cleaned_data)
            count = message.recipient_count
            return f"“{message.subject}” is being emailed to {count} {'person' if count == 1 else 'people'}."

        def intro():  # only when the form is shown: counting costs a query
            count = session_summary(session)["confirmed_count"]
            return {
                "object": session,
                "intro": f"Each person with a confirmed place gets their own copy ({count} now), with the "
                "session's date, place and their booking link. People on the waiting list are not emailed.",
            }

        detail_url = reverse(self.get_url_name("detail"), args=[session.pk])
        return self._form_view(
            request, title=f"Email everyone booked on {session}", form=form, act=act, success_url=detail_url,
            submit_label="Send email", back_url=detail_url, context=intro,
        )  # fmt: skip

    def session_bookings_view(self, request, pk):
        session = self._session(request, pk)
        groups = session_bookings_for_staff(session=session)
        return self._render(
            request,
            "bookings/admin/session_bookings.html",
            {"title": str(session), "session": session, **groups, "booking_ns": BOOKING_NS},
        )

    def book_view(self, request, pk):
        session = self._session(request, pk)
        form = StaffBookingForm(request.POST or None, example_postcode=session.partner.example_postcode)

        def act(form):
            attendee = services.AttendeeDetails(**form.cleaned_data)
            result = services.book_place(session=session, attendee=attendee, actor=request.user)
            booking = result.booking
            if result.created:
                where = "on the waiting list" if result.on_waiting_list else "booked"
                return f"{booking.name} is {where}."
            return Done(f"{booking.name} already has a booking for this session.", messages.WARNING)

        return self._form_view(
            request, title=f"Book someone on {session}", form=form, act=act, submit_label="Book",
            success_url=reverse(self.get_url_name("bookings"), args=[session.pk]), context={"object": session},
        )  # fmt: skip

    def export_view(self, request, pk):
        return self._session_export(request, pk, "Export bookings for {}", bookings_export, back="bookings")

    def register_view(self, request, pk):
        return register_view(request, viewset=self, session=self._session(request, pk))

    def register_export_view(self, request, pk):
        return self._session_export(
            request, pk, "Export the attendance register for {}", register_export, back="register"
        )

    def _session_export(self, request, pk, title, build, *, back):
        """A session's spreadsheet: the format form, then the download (access needs only if ticked)."""
        session = self._session(request, pk)
        return export_or_form(
            request,
            title=title.format(session),
            build=lambda include: build(session=session, include_access_needs=include),
            back_url=reverse(self.get_url_name(back), args=[session.pk]),
        )


# --- Bookings across sessions -------------------------------------------------------------------


class BookingIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("session__page", "partner")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.is_active:
            url = reverse(f"{self.url_namespace}:cancel", args=[instance.pk])
            buttons.append(MenuItem("Cancel booking", url=url, icon_name="cross", priority=50))
        return buttons


class BookingViewSet(PartnerScopedViewSetMixin, ModelViewSet):
    model = Booking
    icon = "user"
    menu_label = "Bookings"
    add_to_admin_menu = False
    index_view_class = BookingIndexView
    copy_view_enabled = False
    inspect_view_enabled = True
    search_fields = ["name", "email", "organisation"]
    list_filter = ["status", "venue_type"]
    form_fields = ["name"]  # unused: bookings are made and changed only through the services
    list_display = [
        "name",
        "email",
        "organisation",
        Column("session", label="Session", accessor="session"),
        TagColumn("status", label="Status", accessor="status_tag", sort_key="status"),
        WhenColumn("created_at", label="Booked"),
    ]

    @property
    def inspect_view(self):
        return self.booking_view

    def booking_view(self, request, pk):
        """One booking for staff: the person, the session, attendance, certificate and history."""
        booking = scoped_object(
            request,
            Booking,
            pk,
            queryset=scoped(Booking, request.user).select_related("session__page", "session__partner", "added_by"),
        )
        panels = [fn(request, booking) for fn in hooks.get_hooks("staff_booking_panels")]
        has_check = has_knowledge_check(booking.session)
        history = ModelLogEntry.objects.for_instance(booking).select_related("user").order_by("-timestamp", "-pk")[:50]
        return TemplateResponse(
            request,
            "bookings/admin/booking.html",
            {
                "title": f"{booking.name}'s booking",
                "booking": booking,
                "session_url": reverse(f"{SESSION_NS}:detail", args=[booking.session_id]),
                "attendance": attendance_label(booking, has_check=has_check),
                "panels": [panel for panel in panels if panel],
                "history": history,
                "history_url": reverse(self.get_url_name("history"), args=[booking.pk]),
                "cancel_url": (
                    reverse(self.get_url_name("cancel"), args=[booking.pk])
                    if booking.is_active and not booking.is_settled
                    else ""
                ),
                "index_url": reverse(self.get_url_name("index")),
            },
        )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("cancel/<int:pk>/", self.cancel_booking_view, name="cancel")]

    def cancel_booking_view(self, request, pk):
        booking = scoped_object(
            request, Booking, pk, queryset=scoped(Booking, request.user).select_related("session__page")
        )
        back = request.GET.get("next") or ""
        back_url = (
            reverse(f"{SESSION_NS}:bookings", args=[booking.session_id])
            if back == "session"
            else reverse(self.get_url_name("index"))
        )
        body = f"{booking.session}. A confirmed place goes to the first person waiting."

        def act(form):
            if booking.is_active:
                services.cancel_booking(booking=booking, actor=request.user)
                return f"{booking.name}'s booking is cancelled and they have been emailed."
            return None

        return staff_form_view(
            request, title=f"Cancel {booking.name}'s booking", form=ConfirmForm(bound_on_post(request)), act=act,
            success_url=back_url, back_url=back_url, submit_label="Cancel booking",
            template="bookings/admin/confirm.html", context={"object": booking, "body": body},
        )  # fmt: skip


SESSION_NS = "staff_sessions"
BOOKING_NS = "staff_bookings"


class TrainingViewSetGroup(ModelViewSetGroup):
    menu_label = "Training"
    menu_icon = "date"
    menu_order = 240
    items = (SessionViewSet(SESSION_NS, url_prefix="sessions"), BookingViewSet(BOOKING_NS, url_prefix="bookings"))

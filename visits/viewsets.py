"""Staff admin for visits and the checklist: scoped to the coordinator's partners; visits are recorded
through `services.record_visit` and never edited (a mistaken visit is followed by a corrected one)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from certificates.models import Venue
from cms.admin_columns import WhenColumn
from cms.admin_scoping import PartnerScopedViewSetMixin, require_partner_staff, scoped_object, staff_partners

from . import services
from .exceptions import VisitError
from .forms import RecordVisitForm, VisitQuestionForm
from .models import Visit, VisitQuestion

OUTCOME_TAG = {"pass": "success", "advice": "warning", "fail": "critical"}


def _venues_of(partner):
    return Venue.objects.filter(partner=partner, merged_into__isnull=True).order_by("name", "pk")


class VisitIndexView(IndexView):
    add_item_label = "Record a visit"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("venue", "partner")


class VisitViewSet(PartnerScopedViewSetMixin, ModelViewSet):
    model = Visit
    icon = "tasks"
    menu_label = "Visits"
    add_to_admin_menu = False
    index_view_class = VisitIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    search_fields = ["venue__name", "visited_by_name"]
    list_filter = ["outcome", "kind"]
    list_display = [
        "venue",
        WhenColumn("visited_on", label="Date"),
        Column("kind", label="Kind", accessor="get_kind_display"),
        StatusTagColumn("outcome", label="Outcome", accessor="get_outcome_display", primary=False),
        "partner",
    ]
    form_fields = ["outcome"]  # unused: recording goes through add_view below, and visits are not edited

    @property
    def add_view(self):
        return self.record_view

    @property
    def inspect_view(self):
        return self.visit_view

    def record_view(self, request):
        """Record a visit. `?venue=` starts from a venue (the dashboard's links); `?partner=` picks which
        of the coordinator's councils, whose venues and checklist the form offers."""
        require_partner_staff(request)
        partners = staff_partners(request.user).order_by("name")
        chosen_venue = None
        venue_id = request.GET.get("venue", "")
        if venue_id:
            chosen_venue = scoped_object(request, Venue, venue_id if venue_id.isdigit() else 0)
            partner = chosen_venue.partner
        else:
            chosen = request.POST.get("partner") or request.GET.get("partner") or ""
            partner = partners.filter(pk=chosen).first() if chosen.isdigit() else partners.first()
            if partner is None:
                raise Http404("No such council")
        today = timezone.localdate()
        questions = services.checklist(partner=partner)
        initial = {"visited_on": today, "visited_by": "me"}
        if chosen_venue:
            initial["venue"] = chosen_venue.pk
        form = RecordVisitForm(request.POST or None, venues=_venues_of(partner), questions=questions,
                               user=request.user, today=today, initial=initial)  # fmt: skip
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                visit = services.record_visit(
                    venue=data["venue"], visited_on=data["visited_on"], kind=data["kind"], outcome=data["outcome"],
                    answers=form.answers(), notes=data["notes"], actor=request.user, today=today,
                    visited_by_user=request.user if data["visited_by"] == "me" else None,
                    visited_by_name=data["visited_by_name"] if data["visited_by"] == "other" else "",
                )  # fmt: skip
            except VisitError as error:
                form.add_error(None, error.message)
            else:
                message = f"Visit to {visit.venue.name} recorded: {visit.get_outcome_display().lower()}."
                if visit.outcome == Visit.Outcome.FAIL and visit.venue.refresher_deadline:
                    deadline = visit.venue.refresher_deadline
                    message += (f" Its leads are emailed: someone must complete the workshop by "
                                f"{deadline:%A} {deadline.day} {deadline:%B %Y}.")  # fmt: skip
                messages.success(request, message)
                return redirect(self.get_url_name("inspect"), visit.pk)
        url = reverse(self.get_url_name("add"))
        others = [(other, f"{url}?partner={other.pk}") for other in partners if other.pk != partner.pk]
        return TemplateResponse(
            request,
            "visits/admin/record.html",
            {
                "title": f"Record a visit: {partner.name}" if others else "Record a visit",
                "form": form,
                "question_fields": form.question_fields(),
                "partner": partner,
                "other_partners": others,
                "index_url": reverse(self.get_url_name("index")),
                "checklist_url": reverse("visit_checklist:index"),
            },
        )

    def visit_view(self, request, pk):
        visit = scoped_object(
            request, Visit, pk,
            queryset=Visit.objects.filter(partner__in=staff_partners(request.user)).select_related(
                "venue", "partner", "visited_by_user", "created_by"),
        )  # fmt: skip
        venue = visit.venue
        latest = services.latest_visit_id(venue)
        return TemplateResponse(
            request,
            "visits/admin/visit.html",
            {
                "title": f"Visit to {venue.name}",
                "visit": visit,
                "venue": venue,
                "answers": list(visit.answers.all()),
                "outcome_tag": OUTCOME_TAG[visit.outcome],
                "is_latest": latest == visit.pk,
                "automatic_suspension": services.is_automatic_suspension(venue),
                "venue_url": reverse("safe_haven_venues:edit", args=[venue.pk]),
                "record_url": reverse(self.get_url_name("add")) + f"?venue={venue.pk}",
                "index_url": reverse(self.get_url_name("index")),
                "history_url": reverse(self.get_url_name("history"), args=[visit.pk]),
            },
        )


class CurrentChecklistPanel(HelpPanel):
    """The checklist as it stands, beside the form, so a question is not added twice."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            partners = staff_partners(self.request.user) if self.request else []
            questions = VisitQuestion.objects.filter(partner__in=partners, active=True).select_related("partner")
            self.content = format_html(
                "<p>The checklist now, in the order it is asked:</p><ol>{}</ol>",
                format_html_join("", "<li>{}</li>", ((q.text,) for q in questions)) or format_html("<li>{}</li>",
                                                                                                 "No questions yet"),
            )  # fmt: skip


class ChecklistIndexView(IndexView):
    add_item_label = "Add a question"

    def get_base_queryset(self):
        for partner in staff_partners(self.request.user):
            services.checklist(partner=partner)  # a council's first look at its checklist shows the defaults
        return super().get_base_queryset().select_related("partner")


class VisitQuestionViewSet(PartnerScopedViewSetMixin, ModelViewSet):
    model = VisitQuestion
    icon = "list-ul"
    menu_label = "Visit checklist"
    url_prefix = "visit-checklist"
    add_to_admin_menu = False
    index_view_class = ChecklistIndexView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "text",
        "sort_order",
        Column("active", label="Asked", accessor=lambda q: "Yes" if q.active else "No"),
        "partner",
    ]
    edit_handler = ObjectList(
        [FieldPanel("partner"), FieldPanel("text"), FieldPanel("sort_order"), FieldPanel("active"),
         CurrentChecklistPanel(heading="Your checklist")],
        base_form_class=VisitQuestionForm,
    )  # fmt: skip


class VisitsViewSetGroup(ModelViewSetGroup):
    menu_label = "Spot checks"
    menu_icon = "tasks"
    menu_order = 255
    items = (VisitViewSet("visits"), VisitQuestionViewSet("visit_checklist"))

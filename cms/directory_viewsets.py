"""Coordinators keep their council's support directory: list, add, edit, delete, own council only.

Wagtail's generic views save and log each change (`wagtail.create`, `wagtail.edit`,
`wagtail.delete`, with the user), and the entry's history shows them. Saving retires the public
page cache (the `cms` app is tracked by `cms/content_version.py`), so the next visitor to a module
showing the directory sees the change.
"""

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from .admin_scoping import PartnerScopedViewSetMixin, partner_choices_for, staff_partner_ids, staff_partners
from .directory import PHONE_PATTERN
from .models import Partner, SupportService


class SupportServiceForm(WagtailAdminModelForm):
    """The council is one of the user's own, and not asked at all when they have only one."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["name"].help_text = "As people would look for it, e.g. Samaritans."
        self.fields["helps_with"].help_text = "Who it is for and what it does, in a sentence."
        self.fields["phone"].help_text = "As people dial it, e.g. 0808 2000 247. Digits and spaces, + for abroad."
        self.fields["website"].help_text = "The full address, e.g. https://www.samaritans.org"
        self.fields["website"].assume_scheme = "https"
        self.fields["sort_order"].label = "Order in the list"
        field = self.fields.get("partner")
        if field is None:
            return
        partners = partner_choices_for(for_user) if for_user is not None else Partner.objects.none()
        field.queryset = partners
        field.label = "Council"
        field.empty_label = None
        self.only_partner = partners.first() if partners.count() == 1 else None
        if self.only_partner is not None:
            # One council: nothing to choose, so no field (and no empty "Council" heading) at all.
            del self.fields["partner"]
            if not self.instance.partner_id:
                self.instance.partner = self.only_partner
        if not self.instance.pk:
            # A new entry goes to the end of the list.
            last = SupportService.objects.filter(partner__in=partners).aggregate(last=Max("sort_order"))["last"]
            self.initial.setdefault("sort_order", 0 if last is None else min(last + 1, 32767))

    def clean(self):
        cleaned = super().clean()
        # The (partner, name) constraint is not checked by the form when the partner is not a field.
        partner = cleaned.get("partner") or (self.instance.partner if self.instance.partner_id else None)
        name = (cleaned.get("name") or "").strip()
        if partner and name:
            same = SupportService.objects.filter(partner=partner, name__iexact=name).exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("name", f"{partner.name} already lists a service called {name}.")
        return cleaned

    def clean_phone(self):
        phone = " ".join(self.cleaned_data.get("phone", "").split())
        if phone and not PHONE_PATTERN.match(phone):
            raise ValidationError("Enter a phone number using digits and spaces only, like 0808 2000 247")
        if phone and sum(character.isdigit() for character in phone) < 3:
            raise ValidationError("Enter a phone number with at least 3 digits, like 116 123")
        return phone

    def clean_website(self):
        website = self.cleaned_data.get("website", "")
        if website and not website.lower().startswith(("https://", "http://")):
            raise ValidationError("Enter a website address starting with https://")
        return website


class CurrentListPanel(HelpPanel):
    """The user's council's list as it stands, with each entry's order number: no duplicates, and the
    order field has something to go by."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            partners = staff_partners(self.request.user) if self.request else []
            services = SupportService.objects.filter(partner__in=partners).select_related("partner")
            services = list(services.order_by("partner__name", "sort_order", "name"))
            several = len({service.partner_id for service in services}) > 1
            if not services:
                self.content = format_html("<p>{}</p>", "Nothing is listed yet: this will be the first service.")
                return
            rows = format_html_join(
                "", "<li>{}: {}{}</li>",
                ((s.sort_order, s.name, f" ({s.partner.name})" if several else "") for s in services),
            )  # fmt: skip
            self.content = format_html("<p>{}</p><ul>{}</ul>", "Listed now, by order number:", rows)


class SupportServiceIndexView(IndexView):
    page_title = "Support directory"
    table_classname = "listing staff-cards"  # each entry a card on a phone (staff-admin.css)
    default_ordering = "sort_order"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("partner").order_by("partner__name", "sort_order", "name")

    @cached_property
    def columns(self):
        columns = list(super().columns)
        if len(staff_partner_ids(self.request.user)) < 2:
            columns = [column for column in columns if column.name != "partner"]  # one council: nothing to tell
        return columns


class SupportServiceViewSet(PartnerScopedViewSetMixin, ModelViewSet):
    model = SupportService
    icon = "help"
    menu_label = "Support directory"
    menu_order = 265
    add_to_admin_menu = True
    index_view_class = SupportServiceIndexView
    copy_view_enabled = False
    inspect_view_enabled = False
    sort_order_field = None  # Wagtail's drag-and-drop reorders every council's rows at once; the number field does it
    search_fields = ["name", "helps_with"]
    list_display = [
        "name",
        Column("helps_with", label="What it helps with"),
        Column("phone", label="Phone"),
        Column("hours", label="When it is open"),
        Column("sort_order", label="Order", sort_key="sort_order"),
        "partner",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("partner"),
            FieldPanel("name"),
            FieldPanel("helps_with"),
            FieldPanel("phone"),
            FieldPanel("hours"),
            FieldPanel("website"),
            FieldPanel("sort_order"),
            CurrentListPanel(heading="Your directory now"),
        ],
        base_form_class=SupportServiceForm,
    )

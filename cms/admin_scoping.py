"""Partner isolation for every staff admin screen, written once.

Operational records (sessions, bookings, certificates, venues, interest registrations) carry a
`partner`. A `PartnerScopedViewSetMixin` on a Wagtail viewset wraps each view it builds so list
querysets are filtered to the user's partners and any object looked up by URL must belong to one
of them (otherwise 404, never the object). `PartnerStaffPolicy` gives coordinators the actions a
viewset offers, and nothing to anyone else; custom action views use `scoped_object`.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import HistoryView
from wagtail.permission_policies.base import BasePermissionPolicy

from .models import Partner, User
from .tenancy import partners_for_user


def staff_partners(user):
    """Partners whose people this user may manage: those they coordinate (every one for a superuser).

    Editors work on pages only; they see no bookings, certificates or registrations.
    """
    partners = partners_for_user(user)
    if user.is_authenticated and not user.is_superuser:
        partners = partners.filter(coordinators__user=user)
    return partners


def staff_partner_ids(user) -> frozenset:
    """`staff_partners` as ids, remembered on the user object for the request.

    Listings ask the permission policy about every row and button; this keeps that to one query.
    """
    cached = getattr(user, "_staff_partner_ids", None)
    if cached is None:
        cached = frozenset(staff_partners(user).values_list("pk", flat=True)) if user.is_authenticated else frozenset()
        if user.is_authenticated:
            user._staff_partner_ids = cached
    return cached


def is_partner_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active) and bool(staff_partner_ids(user))


def require_partner_staff(request) -> None:
    """For views with no object in the URL: only coordinators (and superusers) get in."""
    if not is_partner_staff(request.user):
        raise PermissionDenied


def scoped(model, user, *, field="partner"):
    """All rows of `model` belonging to the user's partners."""
    return model._default_manager.filter(**{f"{field}__in": staff_partners(user)})


def scoped_object(request, model, pk, *, queryset=None):
    """One of the user's partners' rows, or 404; a user with no partner is refused outright."""
    if not is_partner_staff(request.user):
        raise PermissionDenied
    queryset = queryset if queryset is not None else scoped(model, request.user)
    return get_object_or_404(queryset, pk=pk)


def partner_choices_for(user):
    """Partners offered in a form's partner field (only ever the user's own)."""
    return staff_partners(user).order_by("name")


class PartnerStaffPolicy(BasePermissionPolicy):
    """Coordinators act on their own partner's rows only; `actions` limits what the admin offers."""

    def __init__(self, model, actions):
        super().__init__(model)
        self.actions = set(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and is_partner_staff(user)

    def users_with_any_permission(self, actions):
        if not self.actions & set(actions):
            return User.objects.none()
        return User.objects.filter(is_active=True).filter(
            Q(is_superuser=True) | Q(groups__coordinator_of__isnull=False)
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and staff_partners(user).filter(pk=instance.partner_id).exists()

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.actions & set(actions):
            return self.model.objects.none()
        return self.model.objects.filter(partner__in=staff_partners(user))


class PartnerScopedViewMixin:
    """Mixed into every view a scoped viewset constructs (see `PartnerScopedViewSetMixin`)."""

    url_namespace = None

    def _scoped_rows(self, queryset):
        if queryset.model is not self.model:  # e.g. a history view lists log entries, not rows
            return queryset
        return queryset.filter(partner__in=staff_partners(self.request.user))

    def setup(self, request, *args, **kwargs):
        # Any view naming an object (edit, delete, history, usage, inspect, actions): another
        # partner's object is a 404 before permission checks run, so its existence is not revealed.
        super().setup(request, *args, **kwargs)
        if "pk" in kwargs and self.model is not None:
            from django.contrib.admin.utils import unquote

            if not scoped(self.model, request.user).filter(pk=unquote(str(kwargs["pk"]))).exists():
                raise Http404("No such object")

    def get_base_queryset(self):
        # Listings (index views): only the user's partners' rows.
        return self._scoped_rows(super().get_base_queryset())

    def get_base_object_queryset(self):
        # History, usage and other object views built on BaseObjectMixin.
        return self._scoped_rows(super().get_base_object_queryset())

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj is not None and obj.partner_id not in staff_partner_ids(self.request.user):
            raise Http404("No such object")
        return obj


class StaffHistoryView(HistoryView):
    """History for anyone who may see the object: staff read who changed a booking even without edit rights."""

    any_permission_required = ["add", "change", "delete", "view"]

    def get_edit_url(self, instance):
        """No Edit button, breadcrumb or action link for someone who may only look: it would refuse them."""
        if not self.user_has_permission_for_instance("change", instance):
            return None
        return super().get_edit_url(instance)

    @cached_property
    def columns(self):
        columns = super().columns
        if not self.user_has_permission_for_instance("change", self.object):
            columns[0].url_names = {**columns[0].url_names, "edit": None}
        return columns

    @cached_property
    def header_buttons(self):
        return super().header_buttons if self.get_edit_url(self.object) else []


class PartnerScopedViewSetMixin:
    """Wraps each view class in `PartnerScopedViewMixin` and tells views their URL namespace."""

    history_view_class = StaffHistoryView

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(url_namespace=self.url_namespace, **kwargs)

    def construct_view(self, view_class, **kwargs):
        if not issubclass(view_class, PartnerScopedViewMixin):
            view_class = type(f"PartnerScoped{view_class.__name__}", (PartnerScopedViewMixin, view_class), {})
        return super().construct_view(view_class, **kwargs)


class CoordinatorMenuItem(MenuItem):
    """An admin menu item shown only to partner staff (coordinators)."""

    def is_shown(self, request):
        return is_partner_staff(request.user)


def partner_for_form(user, partner_id) -> Partner:
    """The partner a form names, checked against the user's partners."""
    partner = staff_partners(user).filter(pk=partner_id).first()
    if partner is None:
        raise Http404("No such partner")
    return partner

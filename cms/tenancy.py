"""Which partner a request or a staff user belongs to. Every tenant-owned query starts here."""

from django.db.models import Q
from wagtail.models import Site

from .models import Partner


def partner_for_request(request) -> Partner | None:
    """The partner whose Wagtail Site serves this request (by Host header), cached on the request."""
    if not hasattr(request, "_partner"):
        site = Site.find_for_request(request)
        request._partner = Partner.objects.filter(site=site).select_related("site").first() if site else None
    return request._partner


def partners_for_user(user):
    """Partners a staff user works for: through the partner's coordinator or editor group."""
    if not user or not user.is_authenticated or not user.is_active:
        return Partner.objects.none()
    if user.is_superuser:
        return Partner.objects.all()
    return Partner.objects.filter(Q(coordinators__user=user) | Q(editors__user=user)).distinct()

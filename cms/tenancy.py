"""Which partner a request or a staff user belongs to. Every tenant-owned query starts here."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from wagtail.models import Site

from .content_version import content_version
from .models import Partner


def partner_for_request(request) -> Partner | None:
    """The partner whose Wagtail Site serves this request (by Host header).

    Kept on the request, and in the shared cache by host until sites or partners change (the
    content version), because every public request asks and Wagtail's site lookup is
    one of the dearer queries on a page.
    """
    if not hasattr(request, "_partner"):
        key = partner_cache_key(content_version(), request.get_host())
        found = cache.get(key)
        if found is None:
            site = Site.find_for_request(request)
            partner = Partner.objects.filter(site=site).select_related("site").first() if site else None
            found = (partner,)
            cache.set(key, found, 3600)
        _keep(request, found[0])
    return request._partner


def _keep(request, partner) -> None:
    request._partner = partner
    if partner is not None and not hasattr(request, "_wagtail_site"):
        # The partner was found through this host's Site (and cached with it), so Wagtail need not
        # look the site up again for this request.
        request._wagtail_site = partner.site


def partner_cache_key(version: int, host: str) -> str:
    return f"partner-for-host:{version}:{host}"


def remember_partner(request, found) -> None:
    """Keep a partner entry read from the cache alongside another key (the page cache reads both in
    one round trip), so `partner_for_request` costs nothing more on this request."""
    if isinstance(found, tuple) and len(found) == 1:
        _keep(request, found[0])


def partners_for_user(user):
    """Partners a staff user works for: through the partner's coordinator or editor group."""
    if not user or not user.is_authenticated or not user.is_active:
        return Partner.objects.none()
    if user.is_superuser:
        return Partner.objects.all()
    return Partner.objects.filter(Q(coordinators__user=user) | Q(editors__user=user)).distinct()


def request_root_url(request) -> str:
    """The address this request came to, without a trailing slash, for absolute links in what it
    returns (feeds, open data); emails and PDFs, which leave the request, use `site_root_url`."""
    return request.build_absolute_uri("/").rstrip("/")


def site_root_url(site) -> str:
    """The address people use for a partner's site, for links that leave the request (emails, the
    certificate's QR code): PUBLIC_URL_SCHEME (https in production) and PUBLIC_URL_PORT (the port
    `make run` serves on), else the Site's own port when it is not a default one."""
    scheme = settings.PUBLIC_URL_SCHEME
    port = settings.PUBLIC_URL_PORT or (site.port if site.port not in (80, 443) else 0)
    default_port = 443 if scheme == "https" else 80
    return f"{scheme}://{site.hostname}" + (f":{port}" if port and port != default_port else "")

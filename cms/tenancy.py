"""Which partner a request or a staff user belongs to. Every tenant-owned query starts here."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from wagtail.models import Site

from .content_version import keep_current, read_current
from .models import Partner


def partner_for_request(request) -> Partner | None:
    """The partner whose Wagtail Site serves this request (by Host header).

    Kept on the request, and in the shared cache by host until content changes (the content
    version), because every public request asks and Wagtail's site lookup is one of the dearer
    queries on a page. The same entry carries what every page of the host reads besides: its
    menu, its branding settings and Wagtail's site root paths (`HostChrome`), so a page-cache miss
    has them from that one read.
    """
    if not hasattr(request, "_partner"):
        key = partner_cache_key(request.get_host())
        found = read_current([key]).get(key)
        if not isinstance(found, HostChrome):
            found = host_chrome(request)
        _keep(request, found)
    return request._partner


@dataclass
class HostChrome:
    """What every public page of one host reads, built once per content change (see above)."""

    partner: Partner | None
    menu: tuple | None = None  # (top-level menu pages, staying safe page, accessibility statement)
    branding: object = None  # BrandingSettings
    root_paths: list | None = None  # Wagtail's Site.get_site_root_paths()


def host_chrome(request) -> HostChrome:
    from .context_processors import build_menu  # it imports this module
    from .models import BrandingSettings

    site = Site.find_for_request(request)
    partner = Partner.objects.filter(site=site).select_related("site").first() if site else None
    chrome = HostChrome(partner)
    if partner is not None:
        chrome.menu = build_menu(partner)
        chrome.branding = BrandingSettings.for_site(partner.site)
        chrome.branding.logo  # noqa: B018 - read now, so the stored copy carries it
        chrome.root_paths = Site.get_site_root_paths()
    keep_current(partner_cache_key(request.get_host()), chrome, 3600)
    return chrome


def _keep(request, chrome: HostChrome) -> None:
    from .models import BrandingSettings

    partner = chrome.partner
    request._partner = partner
    if partner is None:
        return
    if not hasattr(request, "_wagtail_site"):
        # The partner was found through this host's Site (and cached with it), so Wagtail need not
        # look the site up again for this request.
        request._wagtail_site = partner.site
    request._site_menu = chrome.menu
    branding_attr = BrandingSettings.get_cache_attr_name()
    if chrome.branding is not None and not hasattr(request, branding_attr):
        chrome.branding._request = request  # as BrandingSettings.for_request keeps it
        setattr(request, branding_attr, chrome.branding)  # where for_request looks first
    if chrome.root_paths is not None and not hasattr(request, "_wagtail_cached_site_root_paths"):
        request._wagtail_cached_site_root_paths = chrome.root_paths  # where Page URLs look first


def partner_cache_key(host: str) -> str:
    """Kept with the content version it was built under (`keep_current`)."""
    return f"partner-for-host:3:{host}"  # 3: (version, HostChrome)


def remember_partner(request, found) -> None:
    """Keep a partner entry read from the cache alongside another key (the page cache and the page
    routes read it with theirs in one round trip), so `partner_for_request` costs nothing more."""
    if isinstance(found, HostChrome) and not hasattr(request, "_partner"):
        _keep(request, found)


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

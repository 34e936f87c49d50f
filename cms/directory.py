"""The partner's support directory: the services venues signpost people to.

One list per partner (`SupportService`), kept by its coordinators (`cms/directory_viewsets.py`),
shown by the `support_directory` block on that partner's site only, attached to the certificate
email as a PDF (`certificates/directory_pdf.py`) and offered in the help log. A shared training
module carries the block, not the list: each site fills it with its own partner's services.
"""

import re
from urllib.parse import urlsplit

from wagtail import blocks

# cms.models imports cms.blocks, which imports this module: models are imported where they are used.

# Written as people dial them: digits, spaces and a leading "+" (e.g. "0808 2000 247", "+44 20 8215 3000").
PHONE_PATTERN = re.compile(r"^\+?[0-9 ]+$")
EMPTY_MESSAGE = "Your council has not listed local services yet."


def support_services(partner):
    """A partner's directory in the order its coordinators chose. The help log offers these as the
    choices for "who was signposted to"; nobody else's entries are ever included."""
    from .models import SupportService

    if partner is None:
        return SupportService.objects.none()
    return SupportService.objects.filter(partner=partner).order_by("sort_order", "name")


def tel_href(phone: str) -> str:
    """`tel:` link for a number as written: spaces out, a leading + kept ("tel:08082000247")."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def website_label(url: str) -> str:
    """What a website link reads as, on screen and on paper: "www.samaritans.org", no scheme or trailing /."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/") or url


def directory_entries(services) -> list[dict]:
    """What the block and the PDF show for each service."""
    return [
        entry(service.name, service.helps_with, service.phone, service.hours, service.website) for service in services
    ]


def entry(name, helps_with, phone, hours, website) -> dict:
    return {
        "name": name,
        "helps_with": helps_with,
        "phone": phone,
        "tel": tel_href(phone) if phone else "",
        "hours": hours,
        "website": website,
        "website_label": website_label(website) if website else "",
    }


def directory_partner(request):
    """Whose directory a page shows: the partner of the site serving it.

    A preview (of a module, which has no site of its own) is drawn on a stand-in host, so there a
    staff member of one council sees their own council's list rather than the stand-in's.
    """
    from .tenancy import partner_for_request, partners_for_user

    if request is None:
        return None
    partner = partner_for_request(request)
    user = getattr(request, "user", None)
    if getattr(request, "is_preview", False) and user is not None and user.is_authenticated:
        own = list(partners_for_user(user)[:2])
        if partner not in own and len(own) == 1:
            partner = own[0]
    return partner


def entries_for_request(request) -> list[dict]:
    """The request's partner's directory, looked up once per request however many blocks show it."""
    partner = directory_partner(request)
    cached = getattr(request, "_support_directory", None)
    if cached is None or cached[0] != getattr(partner, "pk", None):
        cached = (getattr(partner, "pk", None), directory_entries(support_services(partner)))
        if request is not None:
            request._support_directory = cached
    return cached[1]


EXAMPLE_ENTRIES = [
    entry(
        "Samaritans", "Anyone struggling to cope, who needs someone to listen.", "116 123",
        "24 hours, every day. Free.", "https://www.samaritans.org",
    ),
    entry(
        "National Domestic Abuse Helpline (Refuge)",
        "Anyone experiencing domestic abuse, and people worried about someone.", "0808 2000 247",
        "24 hours, every day. Free.", "https://www.nationaldahelpline.org.uk",
    ),
]  # fmt: skip


class SupportDirectoryBlock(blocks.StructBlock):
    """The council's own list of specialist services, filled in from the site the page is on."""

    intro = blocks.TextBlock(
        required=False,
        max_length=500,
        help_text="Optional sentence above the list. The list itself is your council's support directory, "
        "kept under Support directory in the admin; each council's site shows its own.",
    )

    class Meta:
        icon = "list-ul"
        template = "blocks/support_directory.html"
        label = "Support directory"
        description = (
            "Your council's list of local and national services to signpost people to. Each council's site "
            "shows its own list."
        )
        preview_value = {"intro": "Services you can tell people about, or let them call from your venue."}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = context.get("request")
        if context.get("support_directory_example"):
            context["services"] = EXAMPLE_ENTRIES
        else:
            context["services"] = entries_for_request(request)
        context["is_preview"] = bool(getattr(request, "is_preview", False))
        context["empty_message"] = EMPTY_MESSAGE
        return context

    def get_preview_context(self, value, parent_context=None):
        # The block picker has no site to take a list from: it shows two national services as an example.
        context = super().get_preview_context(value, parent_context=parent_context)
        context["support_directory_example"] = True
        return context

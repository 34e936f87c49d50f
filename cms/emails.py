"""Who the service's emails come from: the partner's own name on the installation's address.

A council's people recognise "Barking and Dagenham Safe Haven", not "Safe Haven Training"; the
address stays DEFAULT_FROM_EMAIL's, the one the mail server is allowed to send from (SPF/DKIM), and
replies go to the partner's contact address through Reply-To.
"""

from email.utils import formataddr, parseaddr

from django.conf import settings


def partner_sender(partner, *, address: str = "") -> str:
    """'"Barking and Dagenham Safe Haven" <no-reply@…>', on `address` when the partner set one."""
    address = parseaddr(address)[1] or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    if partner is None:
        return settings.DEFAULT_FROM_EMAIL
    return formataddr((f"{partner.name} Safe Haven", address))

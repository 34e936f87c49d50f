"""Who the service's emails come from: the partner's own name on the installation's address.

A council's people recognise "Barking and Dagenham Safe Havens" (the name in the site's header and
the emails' sign-off), not "Safe Haven Training". The address stays DEFAULT_FROM_EMAIL's, the one
the mail server may send from (SPF/DKIM); replies go to the partner's contact address (Reply-To).
"""

from email.utils import formataddr, parseaddr

from django.conf import settings


def partner_sender(partner, *, address: str = "") -> str:
    """'Barking and Dagenham Safe Havens <no-reply@…>', on `address` when the partner set one."""
    address = parseaddr(address)[1] or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    if partner is None:
        return settings.DEFAULT_FROM_EMAIL
    return formataddr((f"{partner.name} Safe Havens", address))

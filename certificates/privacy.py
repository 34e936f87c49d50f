"""Certificates as personal data (see cms.privacy), with the documented erasure exception.

A certificate is evidence that a venue's staff were trained: the venue's accreditation, its
place in the public register and the public verification page all rest on it. So erasing a
person keeps each certificate that is still valid, with the holder's name (the verification page
shows only initials), but removes their email address: the scheme's public task outweighs
erasure while the certificate is in force (UK GDPR Article 17(3)(b)/(e)). Expired and revoked
certificates are anonymised at once. The retention schedule anonymises every certificate a set
time after it expired or was revoked.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from cms.privacy import ERASED_DOMAIN, ERASED_NAME, erased_email

from .models import Certificate

FIELDS = ["holder_name", "holder_email", "display_code", "issued_on", "expires_on", "status", "revoked_at"]


class Certificates:
    key = "certificates"

    def collect(self, *, partner, email):
        rows = Certificate.objects.filter(partner=partner, holder_email__iexact=email).select_related("venue")
        return [
            {"venue": certificate.venue.name, "course_page_id": certificate.course_page_id,
             "current_status": certificate.current_status(), **{f: getattr(certificate, f) for f in FIELDS}}
            for certificate in rows
        ]  # fmt: skip

    def erase(self, *, partner, email, actor=None):
        today = timezone.localdate()
        count = 0
        for certificate in Certificate.objects.filter(partner=partner, holder_email__iexact=email):
            kept = certificate.current_status(today) == Certificate.Status.VALID
            if not kept:
                certificate.holder_name = ERASED_NAME
            certificate.holder_email = erased_email(f"certificate-{certificate.pk}")
            certificate.save(update_fields=["holder_name", "holder_email"])
            log(certificate, "certificates.erase", user=actor, data={"name_kept": kept})
            count += 1
        return count

    def purge(self, *, now, retention):
        cutoff = timezone.localdate(now) - datetime.timedelta(days=retention["expired_certificates_days"])
        stale = Certificate.objects.filter(
            Q(status=Certificate.Status.REVOKED, revoked_at__date__lt=cutoff)
            | (~Q(status=Certificate.Status.REVOKED) & Q(expires_on__lt=cutoff))
        ).exclude(holder_name=ERASED_NAME, holder_email__endswith="@" + ERASED_DOMAIN)
        count = 0
        for certificate in stale:
            certificate.holder_name = ERASED_NAME
            certificate.holder_email = erased_email(f"certificate-{certificate.pk}")
            certificate.save(update_fields=["holder_name", "holder_email"])
            count += 1
        return {"expired_certificates": count}

from django.template.loader import render_to_string
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from cms.admin_hooks import register_dashboard_panel, register_log_actions
from cms.admin_scoping import PartnerStaffPolicy

from .models import Certificate, Venue
from .pdf import verification_url
from .selectors import certificate_for_booking
from .viewsets import SafeHavenViewSetGroup

# Venues come from completions (no add, no delete: merge instead); certificates are issued by the
# service only, so staff view them and act through revoke and re-send.
register_permission_policy(Venue, PartnerStaffPolicy(Venue, {"view", "change"}))
register_permission_policy(Certificate, PartnerStaffPolicy(Certificate, {"view"}))

LOG_ACTIONS = [
    ("certificates.issue", "Issue certificate", "Certificate issued"),
    ("certificates.revoke", "Revoke certificate", "Certificate revoked"),
    ("certificates.resend", "Re-send certificate", "Certificate emailed again"),
    ("certificates.sticker_downloaded", "Download sticker", "Window sticker downloaded"),
    ("certificates.venue_suspend", "Suspend venue", "Venue suspended"),
    ("certificates.venue_unsuspend", "Unsuspend venue", "Venue no longer suspended"),
    ("certificates.venue_merge", "Merge venues", "Duplicate venue merged in"),
    ("certificates.venue_merged_into", "Merged into another venue", "Merged into another venue"),
    ("certificates.sticker_pack_sent", "Sticker pack sent", "Sticker pack recorded as sent"),
    ("certificates.expiry_reminder", "Expiry reminder", "Accreditation expiry reminder sent"),
    ("certificates.expire", "Expire certificates", "Certificate expired"),
    ("certificates.erase", "Erase holder's data", "Holder's personal data erased"),
]


register_log_actions(LOG_ACTIONS)


@hooks.register("register_admin_viewset")
def register_safe_haven_viewsets():
    return SafeHavenViewSetGroup()


@hooks.register("register_personal_data")
def certificate_personal_data():
    from .privacy import Certificates

    return Certificates()


register_dashboard_panel("certificates.dashboard.dashboard_panel_for")


@hooks.register("booking_completed_fragments")
def certificate_on_booking_page(request, booking, token):
    """On the attendee's booking page after completion: their certificate and its public check."""
    certificate = certificate_for_booking(booking)
    if certificate is None:
        return render_to_string("certificates/_booking_certificate_pending.html", request=request)
    context = {
        "certificate": certificate,
        "status": certificate.current_status(),
        "statuses": Certificate.Status,
        "token": token,
        "verification_url": verification_url(certificate),
    }
    return render_to_string("certificates/_booking_certificate.html", context, request=request)


@hooks.register("staff_booking_panels")
def certificate_on_staff_booking_page(request, booking):
    """On the staff booking page: the certificate this booking earned, with its venue, or nothing."""
    from django.urls import reverse

    certificate = certificate_for_booking(booking)
    if certificate is None:
        return ""
    context = {
        "certificate": certificate,
        "status": certificate.current_status_label(),
        "certificate_url": reverse("safe_haven_certificates:inspect", args=[certificate.pk]),
        "venue_url": reverse("safe_haven_venues:edit", args=[certificate.venue_id]),
    }
    return render_to_string("certificates/admin/_booking_certificate_panel.html", context, request=request)

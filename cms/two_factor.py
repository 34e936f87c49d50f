"""Staff two-factor sign-in with an authenticator app (TOTP, django-otp).

wagtail-2fa, the usual package, does not import on Wagtail 8, so this is the small part of it the
service needs: a middleware that keeps staff out of the admin until they have proved a second
factor in this session, enrolment, and a verify page. On when STAFF_2FA_REQUIRED is true (the
production default).

Enrolment needs more than the password: the setup page first emails a one-time link to the
user's own address (or a superuser issues one with `issue_2fa_enrolment`); only after opening it
does the page show the QR code. Pairing gives ten recovery codes (django-otp static tokens),
shown once. Wrong codes slow further attempts per device (django-otp's throttling).
"""

import base64
import hashlib
import secrets
from datetime import timedelta
from urllib.parse import quote

import django_otp
import segno
from django import forms
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

# Reachable before the second factor: signing in and out, the 2FA pages, admin assets.
OPEN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/2fa/", "/admin/jsi18n/", "/admin/sprite")
ENROLMENT_LINK_LIFETIME = timedelta(hours=1)
ENROLMENT_SESSION_KEY = "cms_2fa_enrolment_user"
RECOVERY_SESSION_KEY = "cms_2fa_recovery_codes"
RECOVERY_CODES = 10


class RequireSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "STAFF_2FA_REQUIRED", False) and self._needs_second_factor(request):
            target = "cms_2fa_verify" if django_otp.user_has_device(request.user) else "cms_2fa_setup"
            return redirect(f"{reverse(target)}?next={quote(request.get_full_path())}")
        return self.get_response(request)

    @staticmethod
    def _needs_second_factor(request) -> bool:
        if not request.path.startswith("/admin/") or request.path.startswith(OPEN_PATHS):
            return False
        user = request.user
        return user.is_authenticated and not user.is_verified()


THROTTLED = "Too many wrong codes. Wait a few seconds, then try the newest code from your app."


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label="6-digit code from your authenticator app",
        min_length=6,
        max_length=8,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class VerifyForm(TokenForm):
    otp_token = forms.CharField(
        label="6-digit code from your authenticator app, or one of your recovery codes",
        min_length=6,
        max_length=16,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("wagtailadmin_home")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("wagtailadmin_home")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- enrolment links ---------------------------------------------------------------------------


def issue_enrolment(*, user, issued_by=None, now=None) -> str:
    """A new one-time enrolment token for `user` (earlier unused ones stop working)."""
    from .models import TwoFactorEnrolment

    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        TwoFactorEnrolment.objects.filter(user=user, used_at__isnull=True).delete()
        TwoFactorEnrolment.objects.create(
            user=user, token_hash=_hash(token), expires_at=now + ENROLMENT_LINK_LIFETIME, issued_by=issued_by
        )
        log(instance=user, action="cms.2fa_enrolment_issued", user=issued_by, data={"by_superuser": bool(issued_by)})
    return token


def enrolment_url(token: str) -> str:
    """For links handed over outside a request (`issue_2fa_enrolment`)."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("cms_2fa_enrol", args=[token])


def email_enrolment_link(*, user, request) -> None:
    """Email the link to the address on the account, built from the host and port the user is on."""
    token = issue_enrolment(user=user)
    url = request.build_absolute_uri(reverse("cms_2fa_enrol", args=[token]))
    context = {"user": user, "url": url, "hours": int(ENROLMENT_LINK_LIFETIME.total_seconds() // 3600)}
    send_mail(
        "Set up two-factor sign-in for Safe Haven Training",
        render_to_string("cms/two_factor/enrolment_email.txt", context),
        None,
        [user.email],
    )


def redeem_enrolment(*, user, token: str, now=None) -> bool:
    """True once for a valid, unexpired link of this user; it cannot be used again."""
    from .models import TwoFactorEnrolment

    now = now or timezone.now()
    return (
        TwoFactorEnrolment.objects.filter(
            user=user, token_hash=_hash(token), used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        == 1
    )


def masked(email: str) -> str:
    """a•••@example.org: enough for the user to recognise their address, not enough to read it off a screen."""
    name, _, domain = email.partition("@")
    return f"{name[:1]}•••@{domain}" if domain else "your email address"


def enrol_view(request, token):
    """The emailed link: it unlocks pairing in this signed-in session, once."""
    if redeem_enrolment(user=request.user, token=token):
        request.session[ENROLMENT_SESSION_KEY] = request.user.pk
        return redirect(reverse("cms_2fa_setup"))
    return TemplateResponse(request, "cms/two_factor/enrol_invalid.html", {"title": "Link not valid"}, status=404)


# --- pairing, recovery codes, verifying -----------------------------------------------------------


def _recovery_codes(user) -> list[str]:
    """Ten single-use codes for when the phone is lost; earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Recovery codes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def setup_view(request):
    """Pair an authenticator app: after the emailed link, scan the QR code and type the code it shows."""
    enrolling = request.session.get(ENROLMENT_SESSION_KEY) == request.user.pk
    if not enrolling and TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"{reverse('cms_2fa_verify')}?next={quote(_next_url(request))}")
    if not enrolling:
        sent = False
        if request.method == "POST" and "send_link" in request.POST and request.user.email:
            email_enrolment_link(user=request.user, request=request)
            sent = True
        context = {"sent": sent, "address": masked(request.user.email), "has_email": bool(request.user.email)}
        return TemplateResponse(request, "cms/two_factor/enrol_email.html", context)

    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            # A replacement phone (a superuser's link after a lost one): the old app stops working.
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            django_otp.login(request, device)
            request.session[RECOVERY_SESSION_KEY] = _recovery_codes(request.user)
            log(instance=request.user, action="cms.2fa_enrolled", user=request.user)
            return redirect(f"{reverse('cms_2fa_recovery')}?next={quote(_next_url(request))}")
        form.add_error("otp_token", THROTTLED if not allowed else "That code did not match. Try the newest code.")
    qr = segno.make(device.config_url, error="m").svg_inline(scale=5) if device.config_url else ""
    secret = base64.b32encode(device.bin_key).decode()
    context = {"form": form, "qr_svg_b64": base64.b64encode(qr.encode()).decode(), "secret": secret}
    context["next"] = _next_url(request)
    return TemplateResponse(request, "cms/two_factor/setup.html", context)


def recovery_view(request):
    """The recovery codes, shown once, straight after pairing."""
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    if not codes:
        return redirect(_next_url(request))
    return TemplateResponse(request, "cms/two_factor/recovery.html", {"codes": codes, "next": _next_url(request)})


def _throttled(user) -> bool:
    """True while django-otp makes this user wait after wrong codes (on every device they have)."""
    devices = list(django_otp.devices_for_user(user))
    return bool(devices) and all(not device.verify_is_allowed()[0] for device in devices)


def verify_view(request):
    """Ask for the current code from the staff member's paired app (or a recovery code)."""
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = "".join(form.cleaned_data["otp_token"].split()).lower()
        totp_throttled = any(
            not device.verify_is_allowed()[0] for device in TOTPDevice.objects.filter(user=request.user, confirmed=True)
        )
        device = None
        if token.isdigit() and totp_throttled:
            form.add_error("otp_token", THROTTLED)
        else:
            device = django_otp.match_token(request.user, token)
            if device is not None:
                django_otp.login(request, device)
                return redirect(_next_url(request))
            form.add_error("otp_token", THROTTLED if _throttled(request.user) else "That code did not match. "
                           "Wait a few seconds, then try the newest code.")  # fmt: skip
    return TemplateResponse(request, "cms/two_factor/verify.html", {"form": form, "next": _next_url(request)})

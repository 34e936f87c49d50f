"""Staff two-factor sign-in with an authenticator app (TOTP, django-otp).

wagtail-2fa, the usual package, does not import on Wagtail 8, so this is the small part of it the
service needs: a middleware that keeps staff out of the admin until they have proved a second
factor in this session, a setup page with a QR code, and a verify page. On when
STAFF_2FA_REQUIRED is true (the production default).
"""

import base64
from urllib.parse import quote

import django_otp
import segno
from django import forms
from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_totp.models import TOTPDevice

# Reachable before the second factor: signing in and out, the 2FA pages, admin assets.
OPEN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/2fa/", "/admin/jsi18n/", "/admin/sprite")


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
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("wagtailadmin_home")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("wagtailadmin_home")


def setup_view(request):
    """Pair an authenticator app: scan the QR code, type the code it shows."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error("otp_token", THROTTLED if not allowed else "That code did not match. Try the newest code.")
    qr = segno.make(device.config_url, error="m").svg_inline(scale=5) if device.config_url else ""
    secret = base64.b32encode(device.bin_key).decode()
    context = {"form": form, "qr_svg_b64": base64.b64encode(qr.encode()).decode(), "secret": secret}
    context["next"] = _next_url(request)
    return TemplateResponse(request, "cms/two_factor/setup.html", context)


def verify_view(request):
    """Ask for the current code from the staff member's paired app."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = django_otp.match_token(request.user, form.cleaned_data["otp_token"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error("otp_token", "That code did not match. Wait a few seconds, then try the newest code.")
    return TemplateResponse(request, "cms/two_factor/verify.html", {"form": form, "next": _next_url(request)})

import io
import logging
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cms.logging import JsonFormatter, redact
from cms.models import InterestSubmission
from tests.cms.test_interest_form import VALID
from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_rate_limits(frozen_window):
    """Empty counters, and a rate-limit window held still so no test straddles a minute or an hour."""
    yield
    cache.clear()


def test_public_pages_send_a_strict_policy_with_a_fresh_nonce(client, demo):
    first = client.get("/", HTTP_HOST="localhost")
    policy = first.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert f"script-src 'self' 'nonce-{nonce}'" in policy
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'self'"):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert f'<style nonce="{nonce}">' in first.text
    second = client.get("/", HTTP_HOST="localhost").headers["Content-Security-Policy"]
    assert nonce not in second


def test_the_admin_gets_the_looser_policy_it_needs(client, db):
    policy = client.get("/admin/login/").headers["Content-Security-Policy"]
    assert "'unsafe-inline'" in policy
    assert "object-src 'none'" in policy


@pytest.mark.parametrize("path", ["/", "/safe-havens/", "/admin/login/", "/no-such-page/", "/healthz/"])
def test_one_framing_rule_x_frame_options_and_frame_ancestors_agree(client, demo, path):
    response = client.get(path, HTTP_HOST="localhost")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" not in response["Content-Security-Policy"]


def test_a_wagtail_preview_frame_may_be_framed_by_the_admin_itself(rf):
    from django.http import HttpResponse
    from django.views.decorators.clickjacking import xframe_options_sameorigin

    from cms.security import ContentSecurityPolicyMiddleware

    preview = ContentSecurityPolicyMiddleware(xframe_options_sameorigin(lambda request: HttpResponse("preview")))
    policy = preview(rf.get("/admin/pages/3/edit/preview/"))["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "'none'" not in policy.split("frame-ancestors")[1]


def test_location_is_asked_for_only_by_the_register(client, demo):
    home = client.get("/", HTTP_HOST="localhost")["Permissions-Policy"]
    register = client.get("/safe-havens/", HTTP_HOST="localhost")["Permissions-Policy"]
    assert "geolocation=()" in home and "camera=()" in home
    assert "geolocation=(self)" in register and "camera=()" in register
    assert "geolocation=()" in client.get("/admin/login/")["Permissions-Policy"]


def test_certificate_verification_is_rate_limited(client, barking, settings):
    from tests.factories import certify

    settings.RATE_LIMITS = dict(settings.RATE_LIMITS, verify="3/m")
    code = certify(barking).display_code
    answers = [client.get(f"/certificates/verify/{code}/", HTTP_HOST="localhost").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_check_in_is_limited_per_booking_as_well_as_per_address(client, db, settings):
    from tests.factories import PartnerFactory, attended_session, booked_with_link

    settings.RATE_LIMITS = dict(settings.RATE_LIMITS, **{"check-in": "100/m", "check-in-booking": "3/h"})
    partner = PartnerFactory(name="Checkshire", host="checkshire.localhost")
    booking, token = booked_with_link(attended_session(partner), 1)
    other, other_token = booked_with_link(booking.session, 2)
    answers = [
        client.post(f"/bookings/{token}/check-in/", {"code": "WRONG1"}, HTTP_HOST="checkshire.localhost",
                    REMOTE_ADDR=f"203.0.113.{n}").status_code
        for n in range(4)
    ]  # fmt: skip
    assert answers == [400, 400, 400, 429]  # four addresses, one booking
    right = client.post(f"/bookings/{other_token}/check-in/", {"code": booking.session.check_in_code},
                        HTTP_HOST="checkshire.localhost", REMOTE_ADDR="203.0.113.9")  # fmt: skip
    assert right.status_code == 302  # another booking is not held up


def test_interest_form_is_rate_limited_with_a_friendly_page(client, demo, settings):
    settings.RATE_LIMITS = dict(settings.RATE_LIMITS, **{"interest-form": "2/m"})
    for _ in range(2):
        assert client.post("/register-interest/", {"name": "x"}, HTTP_HOST="localhost").status_code == 200
    response = client.post("/register-interest/", VALID, HTTP_HOST="localhost")
    assert response.status_code == 429
    assert "Too many attempts" in response.text
    assert "Nothing has been lost" in response.text
    assert int(response.headers["Retry-After"]) <= 60
    assert InterestSubmission.objects.count() == 0
    # Reading the form is never limited.
    assert client.get("/register-interest/", HTTP_HOST="localhost").status_code == 200


def test_staff_login_is_throttled_per_username(client, db, settings):
    settings.RATE_LIMITS = dict(settings.RATE_LIMITS, **{"staff-login-user": "3/m"})
    UserFactory(username="coordinator", is_superuser=True)
    for _ in range(3):
        response = client.post("/admin/login/", {"username": "coordinator", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "coordinator", "password": "correct-horse-battery"})
    assert response.status_code == 429


def test_a_filled_honeypot_is_answered_politely_and_stored_nowhere(client, demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/register-interest/", dict(VALID, website_address="http://spam.example"))
    assert response.status_code == 200
    assert "Thank you" in response.text
    assert InterestSubmission.objects.count() == 0
    assert mail.outbox == []


def test_logs_carry_no_tokens_or_email_addresses():
    line = "GET /bookings/Zq3bT2xX9Yk4LmN0pQ7rS8tU1vW5aB6c/ by asha@example.org token=abc123"
    cleaned = redact(line)
    assert "Zq3bT2xX9Yk4" not in cleaned and "asha@example.org" not in cleaned and "abc123" not in cleaned
    assert "/bookings/[token]/" in cleaned
    assert redact("/bookings/sessions/12/book/") == "/bookings/sessions/12/book/"
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", (line,), None)
    assert "asha@example.org" not in JsonFormatter().format(record)


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="safehavens.example.gov.uk,tunbridgewells.example.gov.uk",
        REDIS_URL="redis://127.0.0.1:6379/0",
        DATABASE_URL="postgres://safehaven@127.0.0.1:5432/safehaven",
    )
    env.update(extra)
    return env


def test_deploy_checks_are_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=production_env(SECRET_KEY=""),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def admin_user(**kwargs):
    """A staff member who may open the Wagtail admin (but is no superuser)."""
    from django.contrib.auth.models import Permission

    user = UserFactory(**kwargs)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return user


def _enrol_by_email(client, user):
    """Ask for the set-up link and open it, as the staff member would from their inbox."""
    client.post("/admin/2fa/setup/", {"send_link": "1"})
    link = re.search(r"https?://\S+/admin/2fa/enrol/\S+/", mail.outbox[-1].body).group(0)
    assert mail.outbox[-1].to == [user.email]
    return client.get(link.split("testserver", 1)[1])


def test_staff_must_pass_a_second_factor_when_required(client, db, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.STAFF_2FA_REQUIRED = True
    user = UserFactory(username="coordinator2fa", is_superuser=True, email="coordinator@council.example")
    client.force_login(user)
    # No device yet: sent to pair one, and nothing else in the admin opens.
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/2fa/setup/")
    setup = client.get(response.headers["Location"])
    assert "Scan this QR code" not in setup.text  # the password alone shows no QR code
    assert "we first email a link to your address (c•••@council.example)" in setup.text
    opened = _enrol_by_email(client, user)
    assert opened.headers["Location"] == "/admin/2fa/setup/"
    assert "Scan this QR code" in client.get("/admin/2fa/setup/").text
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post("/admin/2fa/setup/", {"otp_token": "000000"})
    assert "did not match" in wrong.text
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows retries after a wrong code; the next test step is seconds later
    confirmed = client.post("/admin/2fa/setup/", {"otp_token": f"{totp(device.bin_key):06d}", "next": "/admin/pages/"})
    assert confirmed.headers["Location"].startswith("/admin/2fa/recovery-codes/")
    codes_page = client.get(confirmed.headers["Location"])
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", codes_page.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/admin/pages/"' in codes_page.text
    assert "<code>" not in client.get("/admin/2fa/recovery-codes/", follow=True).text  # shown once
    assert client.get("/admin/pages/").status_code == 200

    # A new session must prove the factor again.
    client.logout()
    client.force_login(user)
    response = client.get("/admin/pages/")
    assert response.headers["Location"].startswith("/admin/2fa/verify/")
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    client.post("/admin/2fa/verify/", {"otp_token": f"{totp(device.bin_key):06d}"})
    assert client.get("/admin/pages/").status_code == 200

    # A lost phone: a recovery code signs in, once.
    for attempt in range(2):
        client.logout()
        client.force_login(user)
        client.post("/admin/2fa/verify/", {"otp_token": codes[0]})
        assert (client.get("/admin/pages/").status_code == 200) is (attempt == 0)


def test_a_stolen_password_cannot_enrol_an_authenticator(client, db, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cms.two_factor import issue_enrolment

    settings.STAFF_2FA_REQUIRED = True
    victim = admin_user(username="victim", email="victim@council.example")
    other = admin_user(username="other", email="other@council.example")
    client.force_login(victim)
    # Posting a code to the set-up page without the emailed link pairs nothing.
    response = client.post("/admin/2fa/setup/", {"otp_token": "123456"})
    assert "Scan this QR code" not in response.text
    assert not TOTPDevice.objects.filter(user=victim).exists()
    # Someone else's link, a made-up link, a used link and an expired link are refused.
    for token in (issue_enrolment(user=other), "made-up-token"):
        assert client.get(f"/admin/2fa/enrol/{token}/").status_code == 404
    token = issue_enrolment(user=victim)
    assert client.get(f"/admin/2fa/enrol/{token}/").status_code == 302
    client.logout()
    client.force_login(victim)
    refused = client.get(f"/admin/2fa/enrol/{token}/")
    assert refused.status_code == 404 and "cannot be used" in refused.text
    expired = issue_enrolment(user=victim, now=timezone.now() - timedelta(hours=2))
    assert client.get(f"/admin/2fa/enrol/{expired}/").status_code == 404
    assert "Scan this QR code" not in client.get("/admin/2fa/setup/").text


def test_a_superuser_can_issue_a_set_up_link(client, db, settings):
    settings.STAFF_2FA_REQUIRED = True
    UserFactory(username="root", is_superuser=True)
    user = admin_user(username="no-email", email="")
    out = io.StringIO()
    call_command("issue_2fa_enrolment", "no-email", "--by", "root", stdout=out)
    link = re.search(r"http://testserver(/admin/2fa/enrol/\S+/)", out.getvalue()).group(1)
    client.force_login(user)
    assert client.get(link).headers["Location"] == "/admin/2fa/setup/"
    assert "Scan this QR code" in client.get("/admin/2fa/setup/").text
    # A lost phone: the superuser's link lets them pair a new one, and the old app stops working.
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    new = TOTPDevice.objects.get(user=user, confirmed=False)
    old = TOTPDevice.objects.create(user=user, name="lost phone", confirmed=True)
    client.post("/admin/2fa/setup/", {"otp_token": f"{totp(new.bin_key):06d}"})
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [new.pk]
    assert old.pk != new.pk
    with pytest.raises(CommandError, match="not an active superuser"):
        call_command("issue_2fa_enrolment", "no-email", "--by", "no-email", stdout=out)


def test_wrong_codes_then_the_right_one_within_a_second_is_refused(client, db, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.STAFF_2FA_REQUIRED = True
    user = admin_user(username="throttled")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    client.post("/admin/2fa/verify/", {"otp_token": "000000"})
    right = client.post("/admin/2fa/verify/", {"otp_token": f"{totp(device.bin_key):06d}"})
    assert right.status_code == 200 and "Too many wrong codes" in right.text
    assert client.get("/admin/").headers["Location"].startswith("/admin/2fa/verify/")  # still not in
    device.refresh_from_db()
    device.throttle_reset()
    client.post("/admin/2fa/verify/", {"otp_token": f"{totp(device.bin_key):06d}"})
    assert client.get("/admin/").status_code == 200


def test_the_public_site_never_asks_for_a_second_factor(client, demo, settings):
    settings.STAFF_2FA_REQUIRED = True
    client.force_login(UserFactory(is_superuser=True))
    assert client.get("/", HTTP_HOST="localhost").status_code == 200


def test_production_requires_two_factor_by_default():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.STAFF_2FA_REQUIRED)",
        ],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "True", result.stderr


def test_collectstatic_builds_the_production_manifest(tmp_path, settings):
    """WhiteNoise's manifest storage follows every url() and source map: a missing file fails a deploy."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "css/main.css" in manifest and "leaflet/leaflet.js" in manifest

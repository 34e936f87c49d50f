"""The public link in a new-dates email that stops them.

A GET only shows the question: mail scanners and link previews follow links, and must not
unsubscribe anyone. The button POSTs; so does a mail client's own "Unsubscribe" (RFC 8058
one-click, `List-Unsubscribe=One-Click` in the body), which carries no CSRF token, hence the
exemption. The signed token in the URL is what authorises the change.
"""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .ratelimit import rate_limit
from .services import stop_new_dates_emails, submission_for_unsubscribe_token
from .tenancy import partner_for_request


def _private(response):
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


@csrf_exempt
@rate_limit("unsubscribe")
@require_http_methods(["GET", "POST"])
def stop_new_dates(request, token: str):
    submission = submission_for_unsubscribe_token(token, partner=partner_for_request(request))
    if submission is None:
        return _private(render(request, "cms/new_dates_link_invalid.html", status=404))
    if request.method == "POST":
        stop_new_dates_emails(submission=submission)
        return _private(render(request, "cms/new_dates_stopped.html", {"submission": submission}))
    stopped = submission.new_dates_unsubscribed_at is not None
    template = "cms/new_dates_stopped.html" if stopped else "cms/new_dates_stop.html"
    return _private(render(request, template, {"submission": submission, "token": token}))

"""The staff action view every app's admin shares: a form, one service call, a message, a redirect.

The apps pass in their own domain error classes, so this module never imports a higher app.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse


@dataclass(frozen=True)
class Done:
    """What an action did, when a plain success message is not enough to say so."""

    message: str = ""
    level: int = messages.SUCCESS
    url: str | None = None  # where to go instead of the view's success_url


def bound_on_post(request):
    """The data to bind a form to: the POST, even an empty one (a bare confirmation), else nothing."""
    return request.POST if request.method == "POST" else None


def staff_form_view(
    request,
    *,
    title,
    form,
    act,
    success_url,
    back_url,
    submit_label,
    template,
    intro=None,
    errors=(),
    error_field=None,
    error_url=None,
    context=None,
):
    """Show `form`; on a valid POST call `act(form)` (the service) and redirect with its message.

    `act` returns the success message, a `Done`, or None for no message. A domain error (one of
    `errors`) becomes an error on `error_field` when given, otherwise an error message, after which
    the form is shown again or, with `error_url`, the user is sent there. `context` is more for the
    template, or a function returning it that is called only when the form is shown.
    """
    if request.method == "POST" and form.is_valid():
        try:
            done = act(form)
        except errors as error:
            message = getattr(error, "message", None) or str(error)
            if error_field:
                form.add_error(error_field, message)
            else:
                messages.error(request, message)
                if error_url:
                    return redirect(error_url)
        else:
            if not isinstance(done, Done):
                done = Done(message=done or "")
            if done.message:
                messages.add_message(request, done.level, done.message)
            return redirect(done.url or success_url)
    return TemplateResponse(
        request,
        template,
        {
            "title": title,
            "form": form,
            "submit_label": submit_label,
            "index_url": back_url,
            "intro": intro,
            **((context() if callable(context) else context) or {}),
        },
    )

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from wagtail import hooks

from cms.page_cache import fresh_region

register = template.Library()


@register.simple_tag(takes_context=True)
def page_fragments(context, hook_name: str, page) -> SafeString:
    """Render what higher apps register under a Wagtail hook for this page.

    A lower app's template names the slot; a higher app fills it, e.g. bookings registers
    `bookable_page_fragments` to list upcoming sessions on course pages, so courses never imports
    bookings. Each hook is called as fn(request, page) and returns safe HTML or "". The output is
    a fresh region: the public page cache re-renders it on every request (places left stay live).
    """
    request = context.get("request")
    parts = [fn(request, page) for fn in hooks.get_hooks(hook_name)]
    return fresh_region(hook_name, page.pk, format_html_join("", "{}", ((part,) for part in parts if part)))

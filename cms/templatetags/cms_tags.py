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
    bookings. Each hook is called as fn(request, page_id) and returns safe HTML or "": the id, not
    the page, because the output is a fresh region that the public page cache re-renders on every
    request (places left stay live) without loading the page again.
    """
    request = context.get("request")
    parts = [fn(request, page.pk) for fn in hooks.get_hooks(hook_name)]
    return fresh_region(hook_name, page.pk, format_html_join("", "{}", ((part,) for part in parts if part)))

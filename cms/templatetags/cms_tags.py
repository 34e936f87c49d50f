from django import template
from django.core.cache.utils import make_template_fragment_key
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from wagtail import hooks

from cms.content_version import content_version, once_per_change
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


class RenderedOnceNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        if getattr(context.get("request"), "is_preview", False):
            return self.nodelist.render(context)  # a draft: neither served from nor stored in the cache
        vary = [content_version(), *(expression.resolve(context) for expression in self.vary_on)]
        return once_per_change(make_template_fragment_key(self.name, vary), lambda: self.nodelist.render(context))


@register.tag
def rendered_once(parser, token):
    """`{% rendered_once "name" vary_on... %}…{% endrendered_once %}`: the markup inside is rendered
    once per content change (cms/content_version.py) and shared by every server through the cache,
    so a page-cache miss does not render it again (a course's modules are most of its page).

    Only for markup that depends on published content and the `vary_on` values alone: never on the
    request, the person, the clock or a CSP nonce. A preview (an editor's draft) is rendered afresh
    and never stored.
    """
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("rendered_once takes a quoted name, then the values it varies on")
    nodelist = parser.parse(("endrendered_once",))
    parser.delete_first_token()
    return RenderedOnceNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])

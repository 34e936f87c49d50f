"""`{% page_title service %}…{% endpage_title %}`: the `<title>` GOV.UK's way, "Page – Service".

A block tag rather than text around `{% block title %}` in base.html, because it needs the rendered
page part: an empty one, or one that is the service's own name (a partner's home page is called
"Barking and Dagenham Safe Havens"), gives the service name alone, never "X – X" or "– X".
"""

from django import template
from django.utils.html import conditional_escape

register = template.Library()

SEPARATOR = " – "


class PageTitleNode(template.Node):
    child_nodelists = ("nodelist",)  # so {% block title %} inside stays overridable

    def __init__(self, nodelist, service):
        self.nodelist = nodelist
        self.service = service

    def render(self, context):
        service = conditional_escape(self.service.resolve(context))
        page = " ".join(self.nodelist.render(context).split())
        if not page or page.casefold() == str(service).casefold():
            return service
        if page.casefold().endswith(SEPARATOR.casefold() + str(service).casefold()):
            return page  # a template that already names the service
        return f"{page}{SEPARATOR}{service}"


@register.tag
def page_title(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("page_title takes the service name: {% page_title service %}")
    nodelist = parser.parse(("endpage_title",))
    parser.delete_first_token()
    return PageTitleNode(nodelist, parser.compile_filter(bits[1]))

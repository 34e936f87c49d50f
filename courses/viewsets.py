"""The Module snippet's admin: editors see and edit their own partner's modules only."""

from functools import wraps

from django.contrib.admin.utils import unquote
from django.http import Http404
from django.urls import URLPattern
from wagtail.admin.ui.tables import BooleanColumn, Column, UpdatedAtColumn
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Module
from .selectors import modules_choosable_by, modules_editable_by


class ModuleChooserMixin:
    """The chooser offers the editor's own modules and other partners' shared published ones."""

    def get_object_list(self):
        return modules_choosable_by(self.request.user).select_related("partner")


class ModuleChooseView(ModuleChooserMixin, ChooseView):
    pass


class ModuleChooseResultsView(ModuleChooserMixin, ChooseResultsView):
    pass


class ModuleChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ModuleChooseView
    choose_results_view_class = ModuleChooseResultsView


def _own_modules_only(view):
    """Any admin URL naming a module the user does not own answers 404, never the module."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None and not modules_editable_by(request.user).filter(pk=unquote(str(pk))).exists():
            raise Http404("No such module.")
        return view(request, *args, **kwargs)

    return wrapped


class ModuleViewSet(SnippetViewSet):
    model = Module
    icon = "doc-full"
    menu_label = "Modules"
    menu_order = 210
    add_to_admin_menu = True
    copy_view_enabled = False
    chooser_viewset_class = ModuleChooserViewSet
    list_filter = ["shared", "live"]
    list_display = [
        "title",
        Column("duration_minutes", label="Minutes"),
        BooleanColumn("shared", label="Shared"),
        Column("partner", label="Partner"),
        UpdatedAtColumn(),
    ]

    def get_queryset(self, request):
        return modules_editable_by(request.user).select_related("partner")

    def get_urlpatterns(self):
        return [
            URLPattern(p.pattern, _own_modules_only(p.callback), p.default_args, p.name)
            if isinstance(p, URLPattern) and "pk" in p.pattern.converters
            else p
            for p in super().get_urlpatterns()
        ]


module_viewset = ModuleViewSet()

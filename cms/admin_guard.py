"""Partner isolation in Wagtail's own admin views: one guard, and the querysets Wagtail lets us shape.

The rule: a user of partner A sees nothing of partner B in the admin — no page, draft, module,
image, document, log entry or count — except B's *shared, published* modules, which A may choose
and copy. The project's staff viewsets scope themselves (`cms.admin_scoping`); this module covers
everything else:

- `AdminObjectGuardMiddleware` looks at every admin URL before its view runs. Each URL argument
  that names an object (a page, module, image, document or collection, by the argument's name and
  the URL's namespace) must name one the user's partners own, or the answer is 404. It works from
  the resolved URL, so path and regex patterns are covered alike, and a view Wagtail adds later is
  covered when its argument names are ones listed here (`tests/staff/test_admin_isolation.py`
  fails on an object argument it does not know).
- Hooks (see `cms/wagtail_hooks.py`) filter the lists: the page explorer and chooser, the admin
  API's images and documents, and the site-history report.

Superusers see everything. Staff of no partner see no object at all.
"""

import re

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from wagtail.models import Collection, Page

from .tenancy import partners_for_user

# URL arguments that always name a page, an image, a document or a collection.
PAGE_ARGUMENTS = {"page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk"}
IMAGE_ARGUMENTS = {"image_id"}
DOCUMENT_ARGUMENTS = {"document_id", "doc_id"}
COLLECTION_ARGUMENTS = {"collection_id"}
# `pk` names a different kind of object in each namespace (or URL name).
PK_KINDS = {
    "wagtailadmin_pages": "page",
    "wagtailadmin_api:pages": "page",
    "wagtailadmin_api:images": "image",
    "wagtailadmin_api:documents": "document",
    "wagtailadmin_collections": "collection",
    "wagtailimages_chooser": "image",
    "wagtaildocs_chooser": "document",
    "wagtailsnippets_courses_module": "module",
    "wagtailsnippetchoosers_courses_module": "choosable_module",
    "courses_customise_module": "choosable_module",
}
# Arguments that name no partner's object, or one whose view checks it belongs to the object above
# (a revision of the page in the URL, the user's own upload), with the reason.
NOT_PARTNER_OBJECTS = {
    "revision_id": "a revision of the page or module in the same URL, looked up through it",
    "revision_id_a": "a revision of the page or module in the same URL, looked up through it",
    "revision_id_b": "a revision of the page or module in the same URL, looked up through it",
    "task_state_id": "a workflow task state of the page in the same URL, looked up through it",
    "workflow_state_id": "a workflow state of the page in the same URL, looked up through it",
    "task_id": "a workflow task (shared configuration, superusers edit it)",
    "uploaded_file_id": "an upload in progress, looked up among the user's own uploads",
    "session_id": "the user's own editing session",
    "action_name": "the name of an action, not an object",
    "action": "the name of a bulk action, not an object (its ids are checked by the bulk action guard)",
    "filter_spec": "an image rendition specification",
    "app_label": "a model's app label",
    "model_name": "a model name",
    "app_name": "a model's app label",
    "content_type_app_name": "a page type's app label",
    "content_type_model_name": "a page type's model name",
    "object_id": "checked by kind (see editing sessions below)",
    "workflow_pk": "a workflow (shared configuration, superusers edit it)",
    "uidb64": "the signed password-reset link emailed to the user themselves",
    "token": "the signed password-reset link emailed to the user themselves",
}
# `pk` in these namespaces names configuration only superusers may reach (Wagtail refuses others).
SUPERUSER_NAMESPACES = {"wagtailsites", "wagtailusers_users", "wagtailusers_groups", "wagtailadmin_workflows",
                        "wagtailredirects", "wagtailsettings", "wagtaillocales"}  # fmt: skip


# Wagtail's reports span the installation: every partner's log entries, page titles and counts.
SUPERUSER_ONLY_NAMESPACES = {"wagtailadmin_reports"}
# Tag suggestions come from every partner's images, documents and pages.
SUPERUSER_ONLY_URL_NAMES = {"wagtailadmin_tag_autocomplete", "wagtailadmin_tag_model_autocomplete"}


class Scope:
    """What one user's partners own, read once per request."""

    def __init__(self, user):
        self.user = user
        self.everything = bool(user.is_active and user.is_superuser)
        partners = list(partners_for_user(user).select_related("site__root_page"))
        self.partner_ids = {p.pk for p in partners}
        self.page_paths = [p.site.root_page.path for p in partners]
        roots = Collection.get_first_root_node()
        names = [p.name for p in partners]
        self.collection_paths = (
            list(roots.get_children().filter(name__in=names).values_list("path", flat=True)) if names else []
        )

    # -- pages ---------------------------------------------------------------------------------
    def owns_page_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(root) for root in self.page_paths)

    def page_visible(self, page_id) -> bool:
        page = Page.objects.filter(pk=page_id).only("path", "depth").first()
        if page is None:
            return True  # the view answers 404 itself
        # The tree's root holds nothing of a partner's; listings under it are filtered by the hooks.
        return page.depth == 1 or self.owns_page_path(page.path)

    def pages(self, queryset):
        """A page queryset cut to the user's partners' trees (plus the tree's root)."""
        if self.everything:
            return queryset
        from django.db.models import Q

        condition = Q(depth=1)
        for root in self.page_paths:
            condition |= Q(path__startswith=root)
        return queryset.filter(condition)

    # -- images, documents, collections ---------------------------------------------------------
    def owns_collection_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(root) for root in self.collection_paths)

    def in_collections(self, queryset, field="collection__path"):
        if self.everything:
            return queryset
        from django.db.models import Q

        condition = Q(pk__in=[])
        for root in self.collection_paths:
            condition |= Q(**{f"{field}__startswith": root})
        return queryset.filter(condition)

    def media_visible(self, model, pk) -> bool:
        item = model.objects.filter(pk=pk).select_related("collection").first()
        return item is None or self.owns_collection_path(item.collection.path)

    def collection_visible(self, pk) -> bool:
        collection = Collection.objects.filter(pk=pk).first()
        return collection is None or self.owns_collection_path(collection.path)

    # -- modules ---------------------------------------------------------------------------------
    def module_visible(self, pk, *, choosable: bool) -> bool:
        from courses.models import Module

        module = Module.objects.filter(pk=pk).only("partner_id", "shared", "live").first()
        if module is None or self.everything or module.partner_id in self.partner_ids:
            return True
        return choosable and module.shared and module.live


def scope_for(request) -> Scope:
    """The request's Scope, made once."""
    scope = getattr(request, "_partner_scope", None)
    if scope is None:
        scope = request._partner_scope = Scope(request.user)
    return scope


def _kind_of(match, argument: str) -> str | None:
    if argument in PAGE_ARGUMENTS:
        return "page"
    if argument in IMAGE_ARGUMENTS:
        return "image"
    if argument in DOCUMENT_ARGUMENTS:
        return "document"
    if argument in COLLECTION_ARGUMENTS:
        return "collection"
    if argument == "pk":
        return PK_KINDS.get(match.url_name) or PK_KINDS.get(match.namespace)
    return None


def visible(scope: Scope, kind: str, value) -> bool:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    if not re.fullmatch(r"[0-9]+", str(value)):
        # The ORM would read "+5" or " 5" as 5: anything but plain digits names nothing here.
        return False
    if kind == "page":
        return scope.page_visible(value)
    if kind == "image":
        return scope.media_visible(get_image_model(), value)
    if kind == "document":
        return scope.media_visible(get_document_model(), value)
    if kind == "collection":
        return scope.collection_visible(value)
    if kind in ("module", "choosable_module"):
        return scope.module_visible(value, choosable=kind == "choosable_module")
    raise ValueError(kind)


def bulk_action_kind(kwargs) -> str | None:
    """The kind of object a bulk action (`/admin/bulk/<app>/<model>/<action>/?id=...`) acts on."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    label = f"{kwargs.get('app_label')}.{kwargs.get('model_name')}".lower()
    kinds = {
        "wagtailcore.page": "page",
        "courses.module": "module",
        get_image_model()._meta.label_lower: "image",
        get_document_model()._meta.label_lower: "document",
    }
    return kinds.get(label)


def query_id_kind(match) -> str | None:
    """Bulk actions and "chosen multiple" chooser views name their objects as `?id=…&id=…`."""
    if match.url_name == "wagtail_bulk_action":
        return bulk_action_kind(match.kwargs)
    if match.url_name == "wagtailadmin_choose_page_chosen_multiple":
        return "page"
    if match.url_name == "chosen_multiple":
        return PK_KINDS.get(match.namespace)
    return None


def editing_session_kind(kwargs) -> str | None:
    """Editing-session pings name an object by app label, model name and id."""
    label = f"{kwargs.get('app_label')}.{kwargs.get('model_name')}".lower()
    if label == "wagtailcore.page" or kwargs.get("model_name", "").endswith("page"):
        return "page"
    if label == "courses.module":
        return "module"
    return None


def object_arguments(match) -> list[tuple[str, str]]:
    """(kind, value) for every argument of a resolved admin URL that names a partner's object."""
    found = []
    for argument, value in match.kwargs.items():
        kind = _kind_of(match, argument)
        if kind:
            found.append((kind, value))
    if match.namespace == "wagtailadmin_editing_sessions" and "object_id" in match.kwargs:
        kind = editing_session_kind(match.kwargs)
        if kind:
            found.append((kind, match.kwargs["object_id"]))
    return found


class AdminObjectGuardMiddleware:
    """404 for any admin URL that names another partner's object, before its view runs."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = SimpleLazyObject(lambda: reverse("wagtailadmin_home"))

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith(str(self.admin_prefix)) or not request.user.is_authenticated:
            return None  # Wagtail sends anonymous users to the login page
        match = request.resolver_match
        if match is None:
            return None
        scope = scope_for(request)
        if scope.everything:
            return None
        if match.namespace in SUPERUSER_ONLY_NAMESPACES or match.url_name in SUPERUSER_ONLY_URL_NAMES:
            raise Http404("Not found.")
        named = object_arguments(match)
        kind = query_id_kind(match)
        if kind:
            ids = request.GET.getlist("id")
            if "all" in ids:
                raise Http404("Select the items to act on.")  # "all" would reach every partner's
            named += [(kind, value) for value in ids]
        for kind, value in named:
            if not visible(scope, kind, value):
                raise Http404("Not found.")
        return None


def document_partner(document):
    """The partner whose collection (or a collection inside it) holds the document, or None."""
    from .models import Partner

    partner_collection = Collection.objects.filter(path=document.collection.path[: Collection.steplen * 2]).first()
    if partner_collection is None or partner_collection.depth != 2:
        return None
    return Partner.objects.filter(name=partner_collection.name).select_related("site__root_page").first()


def document_is_public(document) -> bool:
    """Linked from something people can read of the document's own partner: a live page of its
    site, or a live module of its own. (Another partner linking it makes nothing public.)"""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    from courses.models import Module

    partner = document_partner(document)
    if partner is None:
        return False
    references = ReferenceIndex.get_references_to(document).values_list("base_content_type_id", "object_id")
    page_type = ContentType.objects.get_for_model(Page).pk
    module_type = ContentType.objects.get_for_model(Module).pk
    page_ids = [object_id for type_id, object_id in references if type_id == page_type]
    module_ids = [object_id for type_id, object_id in references if type_id == module_type]
    return (
        Page.objects.filter(pk__in=page_ids, live=True, path__startswith=partner.site.root_page.path).exists()
        or Module.objects.filter(pk__in=module_ids, live=True, partner=partner).exists()
    )


def in_public_collection(document) -> bool:
    """In a partner's "Public documents" collection (see cms.services.public_documents_collection)."""
    from .services import PUBLIC_DOCUMENTS

    collection = document.collection
    return collection.name == PUBLIC_DOCUMENTS and collection.depth == 3


def document_may_be_served(document, request) -> bool:
    """A document is private to its partner's staff until a published page or module links to it,
    unless it was put in the partner's "Public documents" collection."""
    user = request.user
    # Staff count as staff only once past the second factor, as in the admin.
    verified = not getattr(settings, "STAFF_2FA_REQUIRED", False) or user.is_verified()
    if user.is_authenticated and verified and scope_for(request).owns_collection_path(document.collection.path):
        return True
    return in_public_collection(document) or document_is_public(document)

"""Partner isolation in Wagtail's own admin views, generated from the admin URLconf.

Every admin URL pattern (path and regex alike) whose arguments can name an object is reversed
against Betaford's objects of that kind (a draft page, a private module, an image, a document,
a collection) and requested as Alphaborough's coordinator-and-editor, on GET and on POST with a
CSRF token: the answer is 404 (or, where only superusers may go, a refusal), and never shows
Betaford's markers. The control is Betaford's own user: the guard lets them through to the same
objects, and the main screens answer them 200 with the object on the page. An argument the
generator does not know fails `test_every_admin_url_argument_is_known` until `cms.admin_guard`
says what it names. The staff viewsets (sessions, bookings…) have their own matrix in
test_isolation.py.
"""

import json
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse
from django.urls.exceptions import NoReverseMatch
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

from cms import admin_guard
from cms.models import StandardPage
from tests.factories import ModuleFactory, PartnerFactory, coordinator_of

pytestmark = pytest.mark.django_db

STAFF_VIEWSETS = {
    "staff_sessions",
    "staff_bookings",
    "safe_haven_venues",
    "safe_haven_certificates",
    "staff_interest",
    "staff_personal_data",
    "support_directory",
    "visits",
    "visit_checklist",
}  # fmt: skip  (test_isolation.py walks these)


def admin_patterns():
    """(full url name, pattern, argument names) for every named admin URL with arguments."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield (
                    f"{namespace}{pattern.name}",
                    prefix + str(pattern.pattern),
                    list(pattern.pattern.regex.groupindex),
                )

    found = {}
    for name, route, arguments in walk(get_resolver().url_patterns, "", ""):
        if route.startswith("admin/") and arguments and name.split(":")[0] not in STAFF_VIEWSETS:
            found.setdefault((name, tuple(sorted(arguments))), route)
    return sorted(found)


class Match:
    """Enough of a ResolverMatch for the guard's classification."""

    def __init__(self, name, kwargs):
        self.namespace, _, self.url_name = name.rpartition(":")
        self.kwargs = kwargs


def kinds_of(name, arguments):
    match = Match(name, dict.fromkeys(arguments, "1"))
    return {argument: admin_guard._kind_of(match, argument) for argument in arguments}


def unknown_arguments() -> list[str]:
    unknown = []
    for name, arguments in admin_patterns():
        namespace = name.rpartition(":")[0]
        if namespace.split(":")[0] in admin_guard.SUPERUSER_NAMESPACES:
            continue
        for argument, kind in kinds_of(name, arguments).items():
            if kind is None and argument not in admin_guard.NOT_PARTNER_OBJECTS:
                unknown.append(f"{name}: {argument}")
    return unknown


def test_every_admin_url_argument_is_known():
    unknown = unknown_arguments()
    assert not unknown, "say in cms.admin_guard what these URL arguments name: " + ", ".join(unknown)


# --- two partners with something private each -----------------------------------------------------


def _tenant(tag):
    partner = PartnerFactory(name=f"{tag}shire", host=f"{tag.lower()}.localhost")
    home = partner.site.root_page
    draft = home.add_child(instance=StandardPage(title=f"{tag} secret draft plan", slug="secret-draft", live=False))
    draft.save_revision()
    private = ModuleFactory(partner=partner, title=f"{tag} private module", shared=False)
    private.title = f"{tag} private module"
    private.save_revision()  # a draft revision as well as the live one
    shared = ModuleFactory(partner=partner, title=f"{tag} shared module", shared=True)
    collection = Collection.get_first_root_node().get_children().get(name=partner.name)
    image = get_image_model().objects.create(
        title=f"{tag} private image", file=get_test_image_file(), collection=collection
    )
    document = get_document_model().objects.create(
        title=f"{tag} private document", file=ContentFile(b"minutes", name=f"{tag.lower()}-minutes.txt"),
        collection=collection,
    )  # fmt: skip
    user = coordinator_of(partner, username=f"{tag.lower()}-staff")
    user.groups.add(partner.editors)
    return {
        "partner": partner, "home": home, "draft": draft, "module": private, "shared": shared,
        "image": image, "document": document, "collection": collection, "user": user,
        "markers": [draft.title, private.title, image.title, document.title],
    }  # fmt: skip


@pytest.fixture
def a(db):
    return _tenant("Alpha")


@pytest.fixture
def b(db):
    return _tenant("Beta")


def client_for(user):
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def object_for(kind, tenant):
    return {
        "page": tenant["draft"], "image": tenant["image"], "document": tenant["document"],
        "collection": tenant["collection"], "module": tenant["module"], "choosable_module": tenant["module"],
    }[kind]  # fmt: skip


def fill(name, arguments, tenant):
    """Arguments for reversing `name` at `tenant`'s objects; None when a value cannot be made."""
    kinds = kinds_of(name, arguments)
    named_kind = next((k for k in kinds.values() if k), None)
    values = {}
    for argument, kind in kinds.items():
        if kind:
            values[argument] = object_for(kind, tenant).pk
        elif argument.startswith("revision_id"):
            target = object_for(named_kind or "page", tenant)
            values[argument] = {"revision_id_a": "earliest", "revision_id_b": "latest"}.get(
                argument, target.latest_revision.pk
            )
        elif argument in ("app_label", "app_name", "content_type_app_name"):
            values[argument] = "courses" if "module" in name else "cms"
        elif argument in ("model_name", "content_type_model_name"):
            values[argument] = "module" if "module" in name else "standardpage"
        elif argument == "object_id":
            values[argument] = tenant["draft"].pk
        elif argument == "action_name":
            values[argument] = "approve"
        elif argument == "action":
            values[argument] = "delete"
        elif argument == "filter_spec":
            values[argument] = "original"
        else:
            values[argument] = 1
    return values


def object_urls(tenant):
    """(name, url, kinds) for every admin URL that names one of the tenant's objects."""
    urls = []
    for name, arguments in admin_patterns():
        kinds = {k for k in kinds_of(name, arguments).values() if k}
        if name == "wagtailadmin_editing_sessions:ping":
            kinds = {"page"}
        if not kinds:
            continue
        values = fill(name, arguments, tenant)
        try:
            url = reverse(name, kwargs=values)
        except NoReverseMatch as error:  # pragma: no cover - a new URL shape: teach fill() about it
            raise AssertionError(f"cannot fill {name} {values}: {error}") from error
        urls.append((name, url, kinds))
    return urls


def test_the_generator_reaches_the_leaky_corners(b):
    names = {name for name, _url, _kinds in object_urls(b)}
    assert {
        "wagtailsnippets_courses_module:revisions_compare",  # a regex pattern
        "wagtailsnippetchoosers_courses_module:chosen",
        "wagtailadmin_pages:move_confirm",
        "wagtailadmin_pages:confirm_workflow_cancellation",
        "wagtailadmin_choose_page_child",
        "wagtailadmin_api:images:detail",
        "wagtailadmin_api:documents:detail",
        "wagtaildocs:edit",
        "wagtailimages:edit",
        "wagtailadmin_pages:revisions_compare",
    } <= names


def test_no_admin_url_naming_another_partners_object_answers(a, b):
    intruder = client_for(a["user"])
    leaks = []
    for name, url, _kinds in object_urls(b):
        for method in ("get", "post"):
            response = getattr(intruder, method)(url)
            shown = response.content.decode(errors="replace") if response.status_code != 404 else ""
            if response.status_code != 404 or any(marker in shown for marker in b["markers"]):
                leaks.append(f"{method.upper()} {name} {url} → {response.status_code}")
    assert not leaks, "\n".join(leaks)


def test_control_the_guard_lets_each_partner_reach_its_own_objects(a, b):
    from django.test import RequestFactory

    for tenant in (a, b):
        request = RequestFactory().get("/admin/")
        request.user = tenant["user"]
        scope = admin_guard.scope_for(request)
        for kind in ("page", "image", "document", "collection", "module"):
            assert admin_guard.visible(scope, kind, object_for(kind, tenant).pk), kind


@pytest.mark.parametrize(
    "name,kind,marker",
    [
        ("wagtailadmin_pages:edit", "page", "draft"),
        ("wagtailsnippets_courses_module:edit", "module", "module"),
        ("wagtailimages:edit", "image", "image"),
        ("wagtaildocs:edit", "document", "document"),
    ],
)
def test_control_the_owner_gets_the_screen_with_the_object_on_it(b, name, kind, marker):
    response = client_for(b["user"]).get(reverse(name, args=[object_for(kind, b).pk]))
    assert response.status_code == 200
    assert object_for(kind, b).title in response.text


def test_control_revisions_compare_of_ones_own_module_shows_it(b):
    module = b["module"]
    url = reverse("wagtailsnippets_courses_module:revisions_compare", args=[module.pk, "earliest", "latest"])
    assert client_for(b["user"]).get(url).status_code == 200


def test_another_partners_shared_published_module_may_be_chosen(a, b):
    chosen = client_for(a["user"]).get(reverse("wagtailsnippetchoosers_courses_module:chosen", args=[b["shared"].pk]))
    assert chosen.status_code == 200 and b["shared"].title in chosen.text
    private = client_for(a["user"]).get(reverse("wagtailsnippetchoosers_courses_module:chosen", args=[b["module"].pk]))
    assert private.status_code == 404


LISTINGS = [
    ("wagtailadmin_explore_root", {}),
    ("wagtailadmin_choose_page", {}),
    ("wagtailadmin_choose_page_search", {"q": "secret"}),
    ("wagtailimages:index", {}),
    ("wagtailimages_chooser:choose", {}),
    ("wagtaildocs:index", {}),
    ("wagtaildocs_chooser:choose", {}),
    ("wagtailsnippets_courses_module:list", {}),
    ("wagtailsnippetchoosers_courses_module:choose", {}),
    ("wagtailsnippetchoosers_courses_module:choose_results", {"q": "module"}),
    ("wagtailadmin_home", {}),
    ("wagtailadmin_pages:search", {"q": "secret"}),
    ("wagtailadmin_api:pages:listing", {"search": "secret"}),
    ("wagtailadmin_api:images:listing", {}),
    ("wagtailadmin_api:documents:listing", {}),
]


@pytest.mark.parametrize("name,query", LISTINGS, ids=[name for name, _ in LISTINGS])
def test_lists_searches_and_choosers_show_nothing_of_another_partner(a, b, name, query):
    response = client_for(a["user"]).get(reverse(name), query, follow=True)  # the explorer goes to one's home
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    if response["Content-Type"].startswith("application/json") and "html" in text[:20]:
        text = json.loads(text)["html"]
    leaked = [marker for marker in b["markers"] if marker in text]
    assert not leaked, leaked
    own = client_for(b["user"]).get(reverse(name), query, follow=True).content.decode()
    if name.startswith(("wagtailimages", "wagtailadmin_api:images")):
        assert b["image"].title in own
    if name.startswith(("wagtaildocs", "wagtailadmin_api:documents")):
        assert b["document"].title in own


CHOSEN_BY_QUERY = [
    ("wagtailadmin_choose_page_chosen_multiple", "draft"),
    ("wagtailimages_chooser:chosen_multiple", "image"),
    ("wagtaildocs_chooser:chosen_multiple", "document"),
    ("wagtailsnippetchoosers_courses_module:chosen_multiple", "module"),
]


@pytest.mark.parametrize("name,key", CHOSEN_BY_QUERY, ids=[name for name, _ in CHOSEN_BY_QUERY])
def test_objects_named_in_the_query_string_are_guarded_too(a, b, name, key):
    mine, theirs = a[key], b[key]
    response = client_for(a["user"]).get(reverse(name), {"id": [mine.pk, theirs.pk]})
    assert response.status_code == 404 and theirs.title not in response.content.decode()
    own = client_for(a["user"]).get(reverse(name), {"id": [mine.pk]})
    assert own.status_code == 200 and mine.title in own.content.decode()


@pytest.mark.parametrize("disguise", ["+{}", " {}", "0{}", "{}.0"])
@pytest.mark.parametrize("name,key", CHOSEN_BY_QUERY, ids=[name for name, _ in CHOSEN_BY_QUERY])
def test_an_id_dressed_up_as_something_else_names_nothing(a, b, name, key, disguise):
    """The ORM reads "+5" or " 5" as 5, so anything but plain digits is refused outright."""
    response = client_for(a["user"]).get(reverse(name), {"id": [disguise.format(b[key].pk)]})
    assert response.status_code == 404 and b[key].title not in response.content.decode()


def test_a_bulk_action_on_another_partners_module_or_on_all_is_refused(a, b):
    url = reverse("wagtail_bulk_action", args=["courses", "module", "delete"])
    assert client_for(a["user"]).post(f"{url}?id={b['module'].pk}").status_code == 404
    assert client_for(a["user"]).post(f"{url}?id=%2B{b['module'].pk}").status_code == 404  # "+N"
    assert client_for(a["user"]).post(f"{url}?id=all").status_code == 404
    chosen = reverse("wagtailsnippetchoosers_courses_module:chosen", args=[f"+{b['module'].pk}"])
    assert client_for(a["user"]).get(chosen).status_code == 404
    assert type(b["module"]).objects.filter(pk=b["module"].pk).exists()


@pytest.mark.parametrize("name", ["wagtailadmin_reports:site_history", "wagtailadmin_reports:page_types_usage",
                                  "wagtailadmin_reports:aging_pages"])  # fmt: skip
def test_installation_wide_reports_are_for_superusers(a, b, name, admin_client):
    assert client_for(a["user"]).get(reverse(name)).status_code == 404
    assert admin_client.get(reverse(name)).status_code == 200


# --- a view added later is covered without editing this test ---------------------------------------


def _dummy_view(request, page_id):
    from django.http import HttpResponse
    from wagtail.models import Page

    return HttpResponse(Page.objects.get(pk=page_id).title)


urlpatterns = [
    path("admin/dummy/<int:page_id>/", _dummy_view, name="dummy_page_view"),
    path("admin/dummy/thing/<int:thing_id>/", _dummy_view, name="dummy_thing_view"),
]


@override_settings(ROOT_URLCONF="tests.staff.test_admin_isolation_urls")
def test_a_newly_registered_admin_view_naming_a_page_is_guarded(a, b):
    # The generator finds it (so the matrix above walks it) …
    assert "dummy_page_view" in {name for name, _url, _kinds in object_urls(b)}
    # … and an argument nobody has said anything about fails the matrix until someone does.
    assert unknown_arguments() == ["dummy_thing_view: thing_id"]
    url = reverse("dummy_page_view", args=[b["draft"].pk])
    assert client_for(a["user"]).get(url).status_code == 404
    own = client_for(b["user"]).get(url)
    assert own.status_code == 200 and own.text == b["draft"].title


# --- documents are private until a published page links to them ----------------------------------


def test_a_private_document_is_not_served_to_the_public_or_another_partner(a, b, client):
    document = b["document"]
    assert client.get(document.url).status_code == 404
    assert client_for(a["user"]).get(document.url).status_code == 404
    own = client_for(b["user"]).get(document.url)
    assert own.status_code == 200 and b"".join(own.streaming_content) == b"minutes"


def test_a_document_linked_from_a_published_page_is_public(b, client):
    document = b["document"]
    page = b["home"].add_child(
        instance=StandardPage(
            title="Minutes", slug="minutes",
            body=[("paragraph", f'<p><a linktype="document" id="{document.pk}">Minutes</a></p>')],
        )
    )  # fmt: skip
    page.save_revision().publish()
    assert client.get(document.url).status_code == 200
    page.unpublish()
    assert client.get(document.url).status_code == 404


def test_another_partner_linking_a_private_document_does_not_make_it_public(a, b, client):
    stolen = b["document"]
    page = a["home"].add_child(
        instance=StandardPage(
            title="Look", slug="look", body=[("paragraph", f'<p><a linktype="document" id="{stolen.pk}">x</a></p>')]
        )
    )
    page.save_revision().publish()
    assert client.get(stolen.url).status_code == 404


def test_a_document_needs_the_second_factor_as_well_as_the_password(b, settings):
    settings.STAFF_2FA_REQUIRED = True
    assert client_for(b["user"]).get(b["document"].url).status_code == 404  # signed in, not verified


def test_tag_suggestions_from_every_partner_are_for_superusers(a, admin_client):
    url = reverse("wagtailadmin_tag_autocomplete")
    assert client_for(a["user"]).get(url, {"term": "x"}).status_code == 404
    assert admin_client.get(url, {"term": "x"}).status_code == 200


def test_a_document_in_the_partners_public_documents_collection_is_public(b, client):
    public = b["collection"].get_children().get(name="Public documents")
    leaflet = get_document_model().objects.create(
        title="Leaflet", file=ContentFile(b"leaflet", name="leaflet.txt"), collection=public
    )
    assert client.get(leaflet.url).status_code == 200
    assert client.get(b["document"].url).status_code == 404  # the partner's other documents stay private


def test_document_urls_carry_no_guessable_public_file_path(b):
    assert re.match(r"^/documents/\d+/", b["document"].url)

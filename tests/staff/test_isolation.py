"""THE ISOLATION MATRIX: every staff URL, for each partner's coordinator, on their own and the other partner's data.

The URL list is read from the viewsets registered with the `register_admin_viewset` hook and their URL
patterns, so a URL added later is walked too (and a new viewset whose model this test does not know fails
loudly instead of being skipped). Every URL is walked both ways round (Alphaborough's staff, then
Betaford's):

- the owner (a coordinator of the partner whose object it is) gets 200 and a page that shows that object
  (its name or title); an export gives a CSV and an XLSX with at least one row, every row the owner's. A
  redirect is accepted only where REFUSED_BY_POLICY or REDIRECT_MEANT lists the URL, with the reason;
- the other partner's coordinator gets 404 for the owner's object, on GET and on POST, and the POST
  changes nothing; their own lists, exports and searches show none of the owner's data.
"""

import csv
import html
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.log_actions import log

from bookings.models import Booking, Session
from certificates.models import Certificate, Venue
from cms.models import InterestSubmission, SupportService
from tests.cms.directory_isolation import support_service_of
from tests.factories import coordinator_of
from tests.visits.isolation import visit_objects
from visits.models import Visit, VisitQuestion

pytestmark = pytest.mark.django_db

STAFF_NAMESPACES = {"staff_sessions", "staff_bookings", "safe_haven_venues", "safe_haven_certificates",
                    "staff_interest", "staff_personal_data", "visits", "visit_checklist"}  # fmt: skip
OBJECT_FOR_MODEL = {Session: "session", Booking: "booking", Venue: "venue", Certificate: "certificate",
                    InterestSubmission: "interest", Visit: "visit", VisitQuestion: "visit_question"}  # fmt: skip
STAFF_NAMESPACES.add("support_directory")  # the support directory (cms/directory_viewsets.py)
OBJECT_FOR_MODEL[SupportService] = "support_service"

# The owner's answer is "200, showing the object" everywhere except at the URLs below.
#
# Actions the permission policy does not offer on that model (see each app's wagtail_hooks.py): Wagtail
# refuses them to the owner too, with its permission-denied redirect to the dashboard (a 403 to an XHR).
REFUSED_BY_POLICY = {
    ("staff_interest", "add"): "registrations come from the public form only",
    ("staff_interest", "delete"): "registrations are kept; a person's data is erased under Personal data",
    ("staff_sessions", "delete"): "a session is cancelled (staff_sessions:cancel), never deleted",
    ("staff_bookings", "add"): "staff book someone through staff_sessions:book",
    ("staff_bookings", "edit"): "bookings change only through the services (staff_bookings:cancel)",
    ("staff_bookings", "delete"): "a booking is cancelled, never deleted",
    ("staff_bookings", "usage"): "Wagtail's usage view needs 'change'; the policy offers bookings 'view' only",
    ("safe_haven_venues", "add"): "venues come from course completions",
    ("safe_haven_venues", "delete"): "a duplicate venue is merged (safe_haven_venues:merge), never deleted",
    ("safe_haven_certificates", "add"): "certificates are issued by the service only",
    ("safe_haven_certificates", "edit"): "a certificate is revoked or re-sent, never edited",
    ("safe_haven_certificates", "delete"): "a certificate is revoked, never deleted",
    ("safe_haven_certificates", "usage"): "Wagtail's usage view needs 'change'; certificates are 'view' only",
    ("visits", "edit"): "a visit is a record of what was found: recorded, never edited",
    ("visits", "delete"): "a visit is a record of what was found: never deleted",
    ("visits", "usage"): "Wagtail's usage view needs 'change'; visits are 'view' and 'add' only",
}
# Redirects that are the view's own answer to its owner.
REDIRECT_MEANT = {
    ("staff_personal_data", "erase"): "POST only: its form is on the Personal data index, so a GET goes back "
    "there; the owner's POST erases the person and redirects to the index with the counts",
}
# The HTMX fragment of a history page lists the object's log entries, not its name: the owner's fragment
# must list entries, paginated under that object's own history URL.
LOG_ENTRY_FRAGMENTS = {"history_results"}

EXPORT_FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
PERMISSION_DENIED = "Sorry, you do not have permission to access this area."
# Every field the staff action forms read, so a POST that got past the scoping would act (and be seen to).
POST_DATA = {"reason": "x", "status": "contacted", "capacity": 1, "mark_all": "1", "sent_on": "2027-01-01"}


def registered_viewsets():
    for fn in hooks.get_hooks("register_admin_viewset"):
        registered = fn()
        for item in registered if isinstance(registered, list | tuple) else [registered]:
            yield from (item.items if isinstance(item, ViewSetGroup) else [item])


def our_viewsets():
    apps = {"cms", "bookings", "certificates", "visits"}
    return [v for v in registered_viewsets() if v.__module__.split(".")[0] in apps]


def patterns_of(namespace):
    """(url name, takes a pk) for every URL pattern in a viewset's namespace."""
    _prefix, resolver = get_resolver().namespace_dict[namespace]

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield pattern.name, "pk" in pattern.pattern.regex.groupindex

    return sorted(set(walk(resolver.url_patterns)))


def test_every_staff_viewset_is_in_the_matrix():
    namespaces = {viewset.url_namespace for viewset in our_viewsets()}
    assert namespaces == STAFF_NAMESPACES
    for viewset in our_viewsets():
        model = getattr(viewset, "model", None)
        assert model is None or model in OBJECT_FOR_MODEL, f"{viewset.url_namespace}: add {model} to the matrix"


def test_every_listed_exception_is_a_url_of_the_matrix():
    """An exception left behind by a renamed or removed view would excuse nothing; it must go."""
    urls = {
        (viewset.url_namespace, name) for viewset in our_viewsets() for name, _ in patterns_of(viewset.url_namespace)
    }
    assert set(REFUSED_BY_POLICY) | set(REDIRECT_MEANT) <= urls
    assert {name for _, name in urls} >= LOG_ENTRY_FRAGMENTS


def matrix():
    cases = []
    for viewset in our_viewsets():
        for name, takes_pk in patterns_of(viewset.url_namespace):
            cases.append(pytest.param(viewset.url_namespace, name, takes_pk, getattr(viewset, "model", None),
                                      id=f"{viewset.url_namespace}:{name}"))  # fmt: skip
    return cases


def objects_of(programme):
    return {
        "session": programme["session"],
        "booking": programme["bookings"][0],
        "venue": programme["venue"],
        "certificate": programme["certificate"],
        "interest": programme["interest"],
        "support_service": support_service_of(programme),
        **visit_objects(programme),
    }


def marker_of(programme, kind):
    """What a page about that object must show: its name (a session's is its course's title)."""
    return {
        "session": programme["course"].title,
        "booking": programme["bookings"][0].name,
        "venue": programme["venue"].name,
        "certificate": programme["certificate"].display_code,
        "interest": programme["interest"].form_data["name"],
        "support_service": support_service_of(programme).name,
        "visit": programme["venue"].name,
        "visit_question": visit_objects(programme)["visit_question"].text,
    }[kind]


def strings_of(programme):
    """Everything of a partner's that must never reach the other partner's staff."""
    certificate, interest = programme["certificate"], programme["interest"]
    return [
        programme["partner"].name,  # also the start of its area's name
        programme["course"].title,
        *(value for booking in programme["bookings"] for value in (booking.name, booking.email, booking.access_needs)),
        certificate.holder_name,
        certificate.holder_email,
        certificate.display_code,
        programme["venue"].name,
        interest.form_data["name"],
        interest.form_data["email"],
        support_service_of(programme).name,
        visit_objects(programme)["visit_question"].text,
        visit_objects(programme)["visit"].notes,
    ]


def state_of(programme):
    """The partner's objects (and every booking of its session) as stored."""
    rows = {
        kind: type(obj)._default_manager.filter(pk=obj.pk).values().get() for kind, obj in objects_of(programme).items()
    }
    rows["session bookings"] = list(Booking.objects.filter(session=programme["session"]).order_by("pk").values())
    return rows


def rows_of(response) -> list[list[str]]:
    content_type = response.get("Content-Type", "")
    if content_type.startswith(EXPORT_FORMATS["xlsx"]):
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    assert content_type.startswith(EXPORT_FORMATS["csv"]), content_type
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def text_of(response) -> str:
    """What a person would read: the page with its entities decoded, or a spreadsheet's cells."""
    if response.get("Content-Type", "").startswith(EXPORT_FORMATS["xlsx"]):
        return "\n".join("\t".join(row) for row in rows_of(response))
    return html.unescape(response.content.decode())


def assert_none_of(strings, text, where):
    shown = [value for value in strings if value in text]
    assert not shown, f"{where}: shows {shown}"


def is_export_form(text):
    return 'name="format"' in text


def assert_refused_by_policy(client, url, where):
    response = client.get(url)
    assert (response.status_code, response.get("Location")) == (302, reverse("wagtailadmin_home")), where
    assert PERMISSION_DENIED in [str(message).strip() for message in get_messages(response.wsgi_request)], where
    assert client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403, where


def assert_downloads_are_the_owners(client, url, owner, other, where):
    for file_format, content_type in EXPORT_FORMATS.items():
        response = client.get(url, {"format": file_format, "include_access_needs": "on"})
        assert response.status_code == 200, (where, file_format, response.status_code)
        assert response["Content-Type"].startswith(content_type), (where, file_format, response["Content-Type"])
        _headers, *rows = rows_of(response)
        assert rows, f"{where}: the owner's {file_format} export has no rows"
        for row in rows:
            assert any(value in cell for cell in row for value in strings_of(owner)), (where, file_format, row)
        assert_none_of(strings_of(other), text_of(response), f"{where} ({file_format})")


@pytest.fixture
def programmes(alpha, beta):
    """Both partners' programmes, each with a client logged in as its coordinator, and a log entry on
    every object so that history pages have something to list."""
    for programme in (alpha, beta):
        coordinator = coordinator_of(programme["partner"])
        programme["client"] = Client()
        programme["client"].force_login(coordinator)
        for obj in objects_of(programme).values():
            log(obj, "wagtail.edit", user=coordinator)
    return alpha, beta


@pytest.mark.parametrize("namespace,name,takes_pk,model", matrix())
def test_each_partner_reaches_its_own_and_nothing_of_the_other(programmes, namespace, name, takes_pk, model):
    alpha, beta = programmes
    for owner, other in ((alpha, beta), (beta, alpha)):
        where = f"{namespace}:{name} ({owner['tag']}'s, {other['tag']}'s staff)"
        if model is None:
            check_personal_data(namespace, name, owner, other, where)
        elif takes_pk:
            check_object_url(namespace, name, OBJECT_FOR_MODEL[model], owner, other, where)
        else:
            check_list_url(namespace, name, OBJECT_FOR_MODEL[model], owner, other, where)


def check_object_url(namespace, name, kind, owner, other, where):
    target = objects_of(owner)[kind]
    url = reverse(f"{namespace}:{name}", kwargs={"pk": target.pk})
    # The other partner's staff: 404, as for a pk that does not exist (a 403 would tell them it does).
    for params in ({}, {"format": "csv", "include_access_needs": "on"}):
        response = other["client"].get(url, params)
        assert response.status_code == 404, (where, "GET", params, response.status_code, response.get("Location"))
        assert_none_of(strings_of(owner), text_of(response), where)
    before = state_of(owner)
    response = other["client"].post(url, POST_DATA)
    assert response.status_code == 404, (where, "POST", response.status_code, response.get("Location"))
    assert state_of(owner) == before, f"{where}: the other partner's POST changed the owner's data"

    # The owner.
    if (namespace, name) in REFUSED_BY_POLICY:
        assert_refused_by_policy(owner["client"], url, where)
        return
    response = owner["client"].get(url)
    assert response.status_code == 200, (where, "owner GET", response.status_code, response.get("Location"))
    text = text_of(response)
    assert_none_of(strings_of(other), text, where)
    if name in LOG_ENTRY_FRAGMENTS:
        history = reverse(f"{namespace}:history", kwargs={"pk": target.pk})
        assert f"{history}?p=1" in text, f"{where}: the owner's fragment lists no log entries of the object"
    else:
        assert marker_of(owner, kind) in text, f"{where}: the owner's page does not show {marker_of(owner, kind)!r}"
    if is_export_form(text):
        assert_downloads_are_the_owners(owner["client"], url, owner, other, where)


def check_list_url(namespace, name, kind, owner, other, where):
    url = reverse(f"{namespace}:{name}")
    if (namespace, name) in REFUSED_BY_POLICY:
        assert_refused_by_policy(owner["client"], url, where)
        return
    # Searching for the other partner finds nothing of theirs.
    response = owner["client"].get(url, {"q": other["tag"]})
    assert response.status_code == 200, (where, "search", response.status_code, response.get("Location"))
    assert_none_of(strings_of(other), text_of(response), f"{where} (search)")

    response = owner["client"].get(url)
    assert response.status_code == 200, (where, "owner GET", response.status_code, response.get("Location"))
    text = text_of(response)
    assert_none_of(strings_of(other), text, where)
    if is_export_form(text):  # a form asking which format: what it shows is in the files
        assert_downloads_are_the_owners(owner["client"], url, owner, other, where)
        return
    marker = marker_of(owner, kind)
    assert marker in text, f"{where}: the owner's page does not show {marker!r}"
    # An export's parameters or a search for the owner change nothing about whose rows a page shows.
    for params in ({"format": "csv", "include_access_needs": "on"}, {"format": "xlsx", "include_access_needs": "on"},
                   {"q": owner["tag"]}):  # fmt: skip
        response = owner["client"].get(url, params)
        assert response.status_code == 200, (where, params, response.status_code, response.get("Location"))
        text = text_of(response)
        assert marker in text, (where, params)
        assert_none_of(strings_of(other), text, (where, params))


def check_personal_data(namespace, name, owner, other, where):
    url = reverse(f"{namespace}:{name}")
    index = reverse(f"{namespace}:index")
    person = owner["bookings"][0]
    owner_strings = [value for value in strings_of(owner) if value != person.email]  # the other staff typed it
    # The other partner's staff naming the owner's council: 404 on GET and POST, and nothing is erased.
    response = other["client"].get(url, {"partner": owner["partner"].pk, "email": person.email})
    assert response.status_code == 404, (where, "GET", response.status_code, response.get("Location"))
    assert_none_of(owner_strings, text_of(response), where)
    erase = {"erase-partner": owner["partner"].pk, "erase-email": person.email, "erase-confirm": "on"}
    before = state_of(owner)
    response = other["client"].post(url, erase)
    assert response.status_code == 404, (where, "POST", response.status_code, response.get("Location"))
    # Without naming it, their own council is the one searched and erased in: nothing of the owner's.
    response = other["client"].get(url, {"email": person.email})
    assert_none_of(owner_strings, text_of(response), f"{where} (own council)")
    if name == "subject_access":
        report = response.json()
        assert report["partner"] == other["partner"].name
        assert report["bookings"] == report["certificates"] == report["interest_registrations"] == []
    other["client"].post(url, {"erase-email": person.email, "erase-confirm": "on"})
    assert state_of(owner) == before, f"{where}: the other partner's POST changed the owner's data"

    # The owner.
    response = owner["client"].get(url)
    if (namespace, name) in REDIRECT_MEANT:
        assert (response.status_code, response.get("Location")) == (302, index), where
    else:
        assert response.status_code == 200, (where, "owner GET", response.status_code, response.get("Location"))
        assert_none_of(strings_of(other), text_of(response), where)
    if name == "index":
        # The forms offer the owner's council and no other.
        councils = set(re.findall(r'name="(?:erase-)?partner" value="([^"]*)"', response.content.decode()))
        assert councils == {str(owner["partner"].pk)}, (where, councils)
    elif name == "subject_access":
        response = owner["client"].get(url, {"email": person.email})
        assert response.status_code == 200, (where, "owner download", response.status_code)
        report = response.json()
        assert report["partner"] == owner["partner"].name
        assert [booking["session"] for booking in report["bookings"]] == [owner["course"].title]
        assert_none_of(strings_of(other), text_of(response), where)
    elif name == "erase":
        response = owner["client"].post(url, {"erase-email": person.email, "erase-confirm": "on"})
        assert (response.status_code, response.get("Location")) == (302, index), where
        assert [str(m) for m in get_messages(response.wsgi_request) if str(m).startswith("Erased:")], where
        assert not Booking.objects.filter(partner=owner["partner"], email=person.email).exists(), where
    else:
        pytest.fail(f"{where}: a new personal-data URL; add what its owner must get to the matrix")


def test_no_staff_page_links_to_an_action_it_refuses(programmes):
    """A page the owner can open offers no link that REFUSED_BY_POLICY refuses them."""
    alpha, _beta = programmes
    refused, pages = {}, {}
    for viewset in our_viewsets():
        model = getattr(viewset, "model", None)
        for name, takes_pk in patterns_of(viewset.url_namespace):
            kwargs = {"pk": objects_of(alpha)[OBJECT_FOR_MODEL[model]].pk} if takes_pk else {}
            url = reverse(f"{viewset.url_namespace}:{name}", kwargs=kwargs)
            target = refused if (viewset.url_namespace, name) in REFUSED_BY_POLICY else pages
            target[url] = f"{viewset.url_namespace}:{name}"
    offered = []
    for url, page in pages.items():
        response = alpha["client"].get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            links = set(re.findall(r'href="([^"?#]*)', response.content.decode()))
            offered += [f"{page} links to {refused[link]}" for link in sorted(links & refused.keys())]
    assert offered == []


def test_lists_of_a_show_a_and_not_b(staff_client, alpha, beta):
    for namespace in ["staff_sessions", "staff_bookings", "safe_haven_venues", "safe_haven_certificates",
                      "staff_interest"]:  # fmt: skip
        response = staff_client.get(reverse(f"{namespace}:index"))
        assert response.status_code == 200
        assert_none_of(strings_of(beta), text_of(response), namespace)
    assert "Alpha Person 0" in staff_client.get(reverse("staff_bookings:index")).text
    assert "Alpha Holder" in staff_client.get(reverse("safe_haven_certificates:index")).text
    assert "Alpha Enquirer" in staff_client.get(reverse("staff_interest:index")).text
    export = staff_client.get(reverse("safe_haven_venues:export"), {"format": "csv"})
    names = [row[1] for row in csv.reader(io.StringIO(export.content.decode("utf-8-sig")))]
    assert "Alpha Books" in names and "Beta Books" not in names


def test_people_without_a_partner_get_nothing(client, alpha):
    from tests.factories import UserFactory, editor_of

    for user in (UserFactory(), editor_of(alpha["partner"])):
        client.force_login(user)
        for namespace, name in [("staff_sessions", "index"), ("staff_bookings", "index"), ("staff_interest", "index"),
                                ("staff_personal_data", "index"), ("safe_haven_venues", "export")]:  # fmt: skip
            response = client.get(reverse(f"{namespace}:{name}"))
            assert response.status_code in (302, 403), (namespace, name)
            assert b"Alpha Person" not in response.content


ADMIN_ONLY = [("cms", "user"), ("auth", "group"), ("wagtailcore", "site"), ("cms", "brandingsettings"),
              ("wagtailcore", "workflow"), ("wagtailcore", "task")]  # fmt: skip


def test_partner_groups_have_no_power_over_users_groups_sites_or_settings(alpha, client):
    from tests.factories import editor_of

    partner = alpha["partner"]
    for group in (partner.coordinators, partner.editors):
        perms = set(group.permissions.values_list("content_type__app_label", "content_type__model"))
        assert not perms & set(ADMIN_ONLY), group
        assert (
            not group.permissions.exclude(codename="access_admin")
            .filter(content_type__app_label__in=["auth", "wagtailusers", "wagtailcore", "sites"])
            .exists()
        )
    assert Permission.objects.filter(group=partner.coordinators).count() >= 1  # access_admin, so the check is real
    for user in (
        __import__("tests.factories", fromlist=["coordinator_of"]).coordinator_of(partner),
        editor_of(partner),
    ):
        client.force_login(user)
        for path in ["/admin/users/", "/admin/groups/", "/admin/sites/", "/admin/settings/cms/brandingsettings/",
                     "/admin/users/new/"]:  # fmt: skip
            response = client.get(path)
            assert response.status_code in (302, 403), path
            assert response.status_code != 200

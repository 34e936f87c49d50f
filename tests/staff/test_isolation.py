"""THE ISOLATION MATRIX: every staff URL, as a coordinator of partner A, against partner B.

The URL list is read from the viewsets registered with the `register_admin_viewset` hook and
their URL patterns, so a URL added later is walked too (and a new viewset whose model this test
does not know fails loudly instead of being skipped).
"""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from bookings.models import Booking, Session
from certificates.models import Certificate, Venue
from cms.models import InterestSubmission

pytestmark = pytest.mark.django_db

STAFF_NAMESPACES = {"staff_sessions", "staff_bookings", "safe_haven_venues", "safe_haven_certificates",
                    "staff_interest", "staff_personal_data"}  # fmt: skip
OBJECT_FOR_MODEL = {Session: "session", Booking: "booking", Venue: "venue", Certificate: "certificate",
                    InterestSubmission: "interest"}  # fmt: skip
B_STRINGS = [
    "Betaford", "Beta Person", "beta0@example.org", "beta1@example.org", "Beta Holder", "beta.holder@example.org",
    "Beta Books", "Beta Enquirer", "beta.enquirer@example.org", "Beta needs",
]  # fmt: skip


def registered_viewsets():
    for fn in hooks.get_hooks("register_admin_viewset"):
        registered = fn()
        for item in registered if isinstance(registered, list | tuple) else [registered]:
            yield from (item.items if isinstance(item, ViewSetGroup) else [item])


def our_viewsets():
    return [v for v in registered_viewsets() if v.__module__.split(".")[0] in {"cms", "bookings", "certificates"}]


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
    }


def assert_none_of_b(content: bytes, content_type: str):
    if "spreadsheetml" in content_type:
        sheet = load_workbook(io.BytesIO(content)).active
        text = "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    else:
        text = content.decode()
    for value in B_STRINGS:
        assert value not in text, value


@pytest.mark.parametrize("namespace,name,takes_pk,model", matrix())
def test_partner_a_cannot_reach_partner_b(staff_client, alpha, beta, namespace, name, takes_pk, model):
    if takes_pk:
        target = objects_of(beta)[OBJECT_FOR_MODEL[model]]
        url = reverse(f"{namespace}:{name}", kwargs={"pk": target.pk})
        assert staff_client.get(url).status_code == 404
        assert staff_client.post(url, {"reason": "x", "status": "contacted", "capacity": 1}).status_code == 404
        # and the same URL works for A's own object (or refuses an action the policy does not offer)
        own = objects_of(alpha)[OBJECT_FOR_MODEL[model]]
        assert staff_client.get(reverse(f"{namespace}:{name}", kwargs={"pk": own.pk})).status_code in (200, 302)
        return
    url = reverse(f"{namespace}:{name}")
    attempts = [
        {},
        {"format": "csv", "include_access_needs": "on"},
        {"format": "xlsx", "include_access_needs": "on"},
        {"q": "Beta"},
    ]
    for params in attempts:
        response = staff_client.get(url, params)
        assert response.status_code in (200, 302), (params, response.status_code)
        assert_none_of_b(response.content, response.get("Content-Type", ""))
    if name == "subject_access":
        for params in ({"email": "beta0@example.org"}, {"email": "beta0@example.org", "partner": alpha["partner"].pk}):
            report = staff_client.get(url, params).json()
            assert report["partner"] == "Alphaborough"
            assert report["bookings"] == report["certificates"] == report["interest_registrations"] == []
        assert staff_client.get(url, {"email": "beta0@example.org", "partner": beta["partner"].pk}).status_code == 404
        data = {"erase-partner": beta["partner"].pk, "erase-email": "beta0@example.org", "erase-confirm": "on"}
        erase = staff_client.post(reverse(f"{namespace}:erase"), data)
        assert erase.status_code == 404
        assert Booking.objects.filter(email="beta0@example.org").exists()


def test_lists_of_a_show_a_and_not_b(staff_client, alpha, beta):
    for namespace in ["staff_sessions", "staff_bookings", "safe_haven_venues", "safe_haven_certificates",
                      "staff_interest"]:  # fmt: skip
        response = staff_client.get(reverse(f"{namespace}:index"))
        assert response.status_code == 200
        assert_none_of_b(response.content, "text/html")
    assert "Alpha Person 0" in staff_client.get(reverse("staff_bookings:index")).text
    assert "Alpha Holder" in staff_client.get(reverse("safe_haven_certificates:index")).text
    assert "Alpha Enquirer" in staff_client.get(reverse("staff_interest:index")).text
    export = staff_client.get(reverse("safe_haven_venues:export"), {"format": "csv"})
    names = [row[1] for row in csv.reader(io.StringIO(export.content.decode()))]
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

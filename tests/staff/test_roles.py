"""The README's "Roles" table, row by row: each role opens a representative screen or is refused."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import UserFactory, coordinator_of, editor_of

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"
ROLES = ("Coordinator", "Editor", "Superuser")


def roles_table() -> dict[str, dict[str, bool]]:
    """{row: {role: allowed}} from the table under "### Roles" in the README."""
    section = README.read_text().split("### Roles", 1)[1]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header[1:] == list(ROLES), header
    table = {}
    for line in lines[2:]:  # after the header and the --- row
        what, *cells = (cell.strip() for cell in line.strip("|").split("|"))
        assert set(cells) <= {"Yes", "No"}, line
        table[what] = dict(zip(ROLES, (cell == "Yes" for cell in cells), strict=True))
    return table


# A representative screen (or several) for each row of the table, given the staff conftest's `alpha`.
SCREENS = {
    "Edit, preview and publish pages and images": lambda p: [
        reverse("wagtailadmin_pages:edit", args=[p["partner"].site.root_page_id]),
        reverse("wagtailadmin_pages:edit", args=[p["course"].pk]),
        reverse("wagtailimages:index"),
    ],
    "Edit training modules": lambda p: [reverse("wagtailsnippets_courses_module:list")],
    "Add and change sessions": lambda p: [
        reverse("staff_sessions:add"),
        reverse("staff_sessions:edit", args=[p["session"].pk]),
    ],
    "See bookings and the waiting list": lambda p: [
        reverse("staff_sessions:bookings", args=[p["session"].pk]),
        reverse("staff_bookings:index"),
    ],
    "Take the attendance register": lambda p: [reverse("staff_sessions:register", args=[p["session"].pk])],
    "Revoke and re-send certificates": lambda p: [
        reverse("safe_haven_certificates:revoke", args=[p["certificate"].pk]),
        reverse("safe_haven_certificates:resend", args=[p["certificate"].pk]),
    ],
    "Manage venues (edit, merge, suspend, sticker packs)": lambda p: [
        reverse("safe_haven_venues:edit", args=[p["venue"].pk]),
        reverse("safe_haven_venues:merge", args=[p["venue"].pk]),
    ],
    "Follow up interest registrations": lambda p: [reverse("staff_interest:index")],
    "Export bookings, registers, certificates and venues": lambda p: [
        reverse("staff_sessions:export", args=[p["session"].pk]),
        reverse("safe_haven_venues:export"),
    ],
    "Venue sign-in contacts": lambda p: [reverse("venue_contacts")],
    "Scheme settings (pledge, renewal, walking distance, visits, help log retention)": lambda p: [
        reverse("scheme_settings")
    ],
    "Keep the council's support directory": lambda p: [
        reverse("support_directory:index"),
        reverse("support_directory:add"),
    ],
    "Record spot checks and keep the visit checklist": lambda p: [
        reverse("visits:index"),
        reverse("visits:add"),
        reverse("visit_checklist:index"),
    ],
    "Export the help given log": lambda p: [reverse("help_given_export")],
    "Personal data requests (subject access, erasure)": lambda p: [
        reverse("staff_personal_data:index"),
        reverse("staff_personal_data:subject_access"),
    ],
    "Wagtail reports (locked pages, ageing pages, site history)": lambda p: [
        reverse("wagtailadmin_reports:locked_pages"),
        reverse("wagtailadmin_reports:aging_pages"),
        reverse("wagtailadmin_reports:site_history"),
    ],
    "Users, groups, sites and settings": lambda p: [
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_groups:index"),
        reverse("wagtailsites:index"),
        reverse("wagtailsettings:edit", args=["cms", "brandingsettings", p["partner"].site_id]),
    ],
}


def test_every_row_of_the_table_has_screens():
    assert list(roles_table()) == list(SCREENS)


@pytest.fixture
def users(alpha):
    partner = alpha["partner"]
    return {
        "Coordinator": coordinator_of(partner),
        "Editor": editor_of(partner),
        "Superuser": UserFactory(is_superuser=True, is_staff=True),
    }


def refused(response) -> bool:
    # Wagtail answers a missing permission with a redirect to the dashboard (403 to an XHR);
    # the partner scoping answers 404 or 403.
    if response.status_code == 302:
        return response["Location"] == reverse("wagtailadmin_home")
    return response.status_code in (403, 404)


@pytest.mark.parametrize("row", list(SCREENS))
@pytest.mark.parametrize("role", ROLES)
def test_roles_table(client, alpha, users, row, role):
    allowed = roles_table()[row][role]
    client.force_login(users[role])
    for url in SCREENS[row](alpha):
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, (role, row, url, response.status_code, response.get("Location"))
        else:
            assert refused(response), (role, row, url, response.status_code, response.get("Location"))


def test_an_editor_sees_no_names_on_the_dashboard(client, alpha):
    client.force_login(editor_of(alpha["partner"]))
    home = client.get(reverse("wagtailadmin_home")).text
    assert not re.search(r"Alpha (Person|Enquirer|Holder)", home)
    assert "Needs your attention" not in home

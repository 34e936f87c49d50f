import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from bookings.models import Booking, Session
from certificates.models import Certificate
from cms.exports import safe_cell

pytestmark = pytest.mark.django_db


def started(session):
    """Move a session into the past hour so its register can be taken."""
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(
        starts_at=now - datetime.timedelta(minutes=30), ends_at=now + datetime.timedelta(minutes=60)
    )
    session.refresh_from_db()
    return session


def test_coordinator_takes_the_register_and_completion_issues_a_certificate(
    staff_client, alpha, django_capture_on_commit_callbacks
):
    session = started(alpha["session"])
    first, second = alpha["bookings"][:2]
    page = staff_client.get(reverse("staff_sessions:register", args=[session.pk]))
    assert page.status_code == 200
    assert f'<span class="staff-register__name">{first.name}</span> <span class="staff-register__org">' in page.text
    assert f'<legend class="w-sr-only">Attendance of {first.name}</legend>' in page.text
    assert f'<label class="w-sr-only" for="note-{first.pk}">Note for {first.name}' in page.text
    assert session.check_in_code in page.text
    assert "Alpha Person 2" not in page.text  # waiting, not on the register
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("staff_sessions:register", args=[session.pk]),
            {
                f"attended-{first.pk}": "yes",
                f"note-{first.pk}": "Joined 20 minutes late",
                f"attended-{second.pk}": "no",
            },
        )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.attended is True and first.attendance_note == "Joined 20 minutes late" and first.completed_at
    assert second.attended is False
    assert Certificate.objects.filter(holder_email=first.email, partner=alpha["partner"]).count() == 1
    entry = ModelLogEntry.objects.filter(action="bookings.attendance", object_id=str(first.pk)).get()
    assert entry.user == staff_client.user
    after = staff_client.get(reverse("staff_sessions:register", args=[session.pk]))
    assert "1 attended, 1 absent, 0 not recorded." in after.text
    history = staff_client.get(reverse("staff_bookings:history", args=[second.pk]))
    assert "Attendance recorded" in history.text


def test_mark_all_attended_and_a_note_without_a_choice_is_an_error(staff_client, alpha):
    session = started(alpha["session"])
    first = alpha["bookings"][0]
    response = staff_client.post(
        reverse("staff_sessions:register", args=[session.pk]), {f"note-{first.pk}": "Left early"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<!doctype html>")
    assert f"Choose attended or absent for {first.name} to save the note." in response.text
    staff_client.post(reverse("staff_sessions:register", args=[session.pk]), {"mark_all": "1"})
    assert Booking.objects.filter(session=session, status="confirmed", attended=True).count() == 2


def test_the_register_of_a_session_not_yet_started_records_nothing(staff_client, alpha):
    session = alpha["session"]
    assert session.starts_at > timezone.now()
    first = alpha["bookings"][0]
    url = reverse("staff_sessions:register", args=[session.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    assert "You can record attendance once it has started." in page.text
    assert "Mark all not yet recorded as attended" not in page.text and "Save register" not in page.text
    assert f'<span class="staff-register__name">{first.name}</span>' in page.text  # who is booked is still listed
    assert "No one has a confirmed place" not in page.text
    marked = staff_client.post(url, {"mark_all": "1"}, follow=True)
    assert "Attendance can only be recorded once the session has started, at " in marked.text
    saved = staff_client.post(url, {f"attended-{first.pk}": "yes"})
    assert saved.status_code == 200
    assert f"{first.name}: Attendance can only be recorded once the session has started" in saved.text
    assert not Booking.objects.filter(session=session, attended__isnull=False).exists()
    assert not Certificate.objects.filter(holder_email=first.email).exists()


def parse_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_bookings_export_csv_and_xlsx_exclude_access_needs_unless_asked(staff_client, alpha):
    session = alpha["session"]
    Booking.objects.filter(pk=alpha["bookings"][0].pk).update(organisation='=HYPERLINK("http://evil")')
    url = reverse("staff_sessions:export", args=[session.pk])
    assert "Include access needs" in staff_client.get(url).text
    rows = parse_csv(staff_client.get(url, {"format": "csv"}))
    assert rows[0][:2] == ["Name", "Email"] and "Access needs" not in rows[0]
    assert {row[1] for row in rows[1:]} == {"alpha0@example.org", "alpha1@example.org", "alpha2@example.org"}
    assert not any("hearing loop" in cell for row in rows for cell in row)
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'
    waiting = next(row for row in rows if row[1] == "alpha2@example.org")
    assert waiting[8] == "1"

    with_needs = staff_client.get(url, {"format": "xlsx", "include_access_needs": "on"})
    assert with_needs["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(with_needs.content)).active
    values = list(sheet.values)
    assert values[0][-1] == "Access needs"
    assert values[1][-1] == "Alpha needs a hearing loop"
    logged = ModelLogEntry.objects.filter(action="cms.export", object_id=str(alpha["partner"].pk)).order_by("pk")
    assert [(e.data["format"], e.data["access_needs"], e.user) for e in logged] == [
        ("csv", False, staff_client.user),
        ("xlsx", True, staff_client.user),
    ]


def test_register_certificates_and_venues_exports(staff_client, alpha):
    session = started(alpha["session"])
    staff_client.post(reverse("staff_sessions:register", args=[session.pk]), {"mark_all": "1"})
    rows = parse_csv(staff_client.get(reverse("staff_sessions:register_export", args=[session.pk]), {"format": "csv"}))
    assert [row[3] for row in rows[1:]] == ["Attended", "Attended"]
    sheet = load_workbook(
        io.BytesIO(staff_client.get(reverse("safe_haven_certificates:export"), {"format": "xlsx"}).content)
    ).active
    holders = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Alpha Holder" in holders
    venues = parse_csv(staff_client.get(reverse("safe_haven_venues:export"), {"format": "csv"}))
    assert venues[0][1] == "Venue" and "Alpha Books" in [row[1] for row in venues]


@pytest.mark.parametrize(
    "value,expected",
    [("=1+2", "'=1+2"), ("+44 20", "'+44 20"), ("-cmd", "'-cmd"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
     ("Asha", "Asha"), (None, ""), (True, "Yes"), (3, 3)],
)  # fmt: skip
def test_cells_that_could_start_a_formula_are_made_inert(value, expected):
    assert safe_cell(value) == expected


def test_revoke_from_the_admin_is_logged_with_the_user(staff_client, alpha):
    certificate = alpha["certificate"]
    staff_client.post(reverse("safe_haven_certificates:revoke", args=[certificate.pk]), {"reason": "Issued in error"})
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    history = staff_client.get(reverse("safe_haven_certificates:history", args=[certificate.pk]))
    assert "Certificate revoked" in history.text


def test_interest_status_change(staff_client, alpha):
    interest = alpha["interest"]
    page = staff_client.get(reverse("staff_interest:edit", args=[interest.pk]))
    assert "Alpha Enquirer" in page.text
    staff_client.post(reverse("staff_interest:edit", args=[interest.pk]), {"status": "contacted"})
    interest.refresh_from_db()
    assert interest.status == "contacted"
    entry = ModelLogEntry.objects.get(action="cms.interest_status", object_id=str(interest.pk))
    assert entry.user == staff_client.user and entry.data == {"from": "new", "to": "contacted"}
    assert "Contacted" in staff_client.get(reverse("staff_interest:index")).text


def test_dashboard_panel(staff_client, alpha, beta):
    home = staff_client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert "Alphaborough: Safe Haven programme" in home.text
    assert "Betaford" not in home.text
    assert "1</strong> interest registrations not yet contacted" in home.text
    assert "Accreditations per month" in home.text and "<svg" in home.text
    assert " style=" not in home.text.split("staff-dashboard", 1)[1].split("</section>", 1)[0]


def test_register_and_export_say_who_has_not_taken_or_not_passed_the_knowledge_check(staff_client, alpha):
    from bookings.attendance import submit_knowledge_check
    from tests.factories import add_knowledge_check

    session = started(alpha["session"])
    questions = add_knowledge_check(session.page)
    untaken, failed = alpha["bookings"][:2]  # the two confirmed places
    staff_client.post(reverse("staff_sessions:register", args=[session.pk]), {"mark_all": "1"})
    submit_knowledge_check(booking=failed, answers={q.pk: 2 for q in questions})

    page = staff_client.get(reverse("staff_sessions:register", args=[session.pk])).text
    legend = (
        r'<span class="staff-register__name">{}</span> <span class="staff-register__org">\([^)]*\)</span>'
        r'\s*<span class="status-tag">{}</span>'
    )
    assert re.search(legend.format(untaken.name, "Attended – knowledge check not taken"), page)
    assert re.search(legend.format(failed.name, "Attended – knowledge check not passed"), page)
    rows = parse_csv(staff_client.get(reverse("staff_sessions:register_export", args=[session.pk]), {"format": "csv"}))
    assert {row[0]: row[3] for row in rows[1:]} == {
        untaken.name: "Attended – knowledge check not taken",
        failed.name: "Attended – knowledge check not passed",
    }

    submit_knowledge_check(booking=failed, answers={q.pk: q.correct_option for q in questions})
    page = staff_client.get(reverse("staff_sessions:register", args=[session.pk])).text
    assert re.search(legend.format(failed.name, "Completed").replace('status-tag"', 'status-tag primary"'), page)
    assert "knowledge check not passed" not in page


def test_exports_open_in_excel_with_accents_real_dates_and_readable_sheets(staff_client, alpha):
    from bookings.models import Booking

    session = alpha["session"]
    summer = datetime.datetime(2027, 6, 7, 9, 0, tzinfo=datetime.UTC)  # 10am in London
    Booking.objects.filter(pk=alpha["bookings"][0].pk).update(organisation="Café Nova", created_at=summer)
    url = reverse("staff_sessions:export", args=[session.pk])
    csv_bytes = staff_client.get(url, {"format": "csv"}).content
    assert csv_bytes.startswith("\ufeff".encode())  # Excel on Windows then reads UTF-8
    assert "Café Nova" in csv_bytes.decode("utf-8-sig")

    workbook = load_workbook(io.BytesIO(staff_client.get(url, {"format": "xlsx"}).content))
    sheet = workbook.active
    assert sheet.title.startswith("Bookings") and all(c not in sheet.title for c in "[]:*?/\\")
    headers = [cell.value for cell in sheet[1]]
    booked = [row[headers.index("Booked at")] for row in sheet.iter_rows(min_row=2)]
    assert all(isinstance(cell.value, datetime.datetime) for cell in booked)
    assert booked[0].number_format == "yyyy-mm-dd hh:mm"
    assert datetime.datetime(2027, 6, 7, 10, 0) in [cell.value for cell in booked]  # London time, not UTC
    assert sheet.column_dimensions["B"].width >= len("alpha0@example.org")
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert "Café Nova" in [row[headers.index("Organisation or venue")].value for row in sheet.iter_rows(min_row=2)]


def test_sheet_names_drop_what_excel_refuses():
    from cms.exports import sheet_name

    assert sheet_name("Register: Safe Haven [May/June]?") == "Register Safe Haven May June"
    assert len(sheet_name("x" * 50)) == 31

"""Rows are deleted after each council's retention period; running the purge again deletes nothing."""

import datetime

import pytest
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from helplog.models import HelpGiven, HelpGivenKind, Via
from helplog.services import months_before, purge_old_help, record_help

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def put(venue, day):
    return record_help(venue=venue, day=day, time_band="night", kinds=["let_in"], via=Via.ACCOUNT, today=day)


def test_months_before_keeps_the_day_or_the_months_last():
    assert months_before(datetime.date(2027, 11, 17), 24) == datetime.date(2025, 11, 17)
    assert months_before(datetime.date(2027, 3, 31), 1) == datetime.date(2027, 2, 28)
    assert months_before(datetime.date(2027, 1, 15), 1) == datetime.date(2026, 12, 15)


def test_rows_past_each_councils_retention_are_deleted_once(partner, other_partner, venue, far_venue):
    partner.help_log_retention_months = 12
    partner.save()
    kept = put(venue, datetime.date(2026, 11, 17))  # exactly 12 months: kept
    put(venue, datetime.date(2026, 11, 16))  # a day older: deleted
    put(venue, datetime.date(2020, 1, 1))
    other_kept = put(far_venue, datetime.date(2026, 1, 1))  # the other council keeps 24 months
    put(far_venue, datetime.date(2025, 11, 16))

    assert purge_old_help(today=TODAY) == {partner.slug: 2, other_partner.slug: 1}
    assert set(HelpGiven.objects.values_list("pk", flat=True)) == {kept.pk, other_kept.pk}
    assert HelpGivenKind.objects.count() == 2  # the kinds went with their rows
    assert purge_old_help(today=TODAY) == {partner.slug: 0, other_partner.slug: 0}
    assert HelpGiven.objects.count() == 2
    entries = ModelLogEntry.objects.filter(action="helplog.purged")
    assert sorted(entry.data["rows"] for entry in entries) == [1, 2]  # the second run logged nothing


def test_the_daily_command_reports_what_it_deleted(partner, venue, capsys):
    put(venue, datetime.date(2020, 1, 1))
    call_command("purge_help_log")
    assert f"{partner.slug}: 1 help-log rows deleted" in capsys.readouterr().out
    call_command("purge_help_log")
    assert f"{partner.slug}: 0 help-log rows deleted" in capsys.readouterr().out
    assert not HelpGiven.objects.exists()

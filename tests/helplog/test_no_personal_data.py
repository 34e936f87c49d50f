"""The help log holds nothing about the person helped: no field for it, and a note that looks like
it holds an email address, a phone number or a postcode is refused, saying why."""

import pytest

from helplog.models import HelpGiven, HelpGivenKind, HelpLogLink
from helplog.services import REMOVE_EMAIL, REMOVE_PHONE, REMOVE_POSTCODE, personal_data_in


def field_names(model):
    return {field.name for field in model._meta.get_fields()}


def test_a_help_given_row_has_only_the_allowed_fields():
    # Adding a field (a name, a contact, an address, the minute) must be a decision: it fails here first.
    assert field_names(HelpGiven) == {
        "id", "partner", "venue", "day", "time_band", "note", "signposted_to", "via", "created_on", "kinds",
    }  # fmt: skip
    assert field_names(HelpGivenKind) == {"id", "help_given", "code"}
    assert field_names(HelpLogLink) == {"id", "venue", "token_hash", "created_on", "revoked_on"}


def test_the_row_keeps_the_day_not_the_moment():
    from django.db import models

    assert isinstance(HelpGiven._meta.get_field("created_on"), models.DateField)
    assert not isinstance(HelpGiven._meta.get_field("created_on"), models.DateTimeField)
    assert not any(isinstance(field, models.DateTimeField) for field in HelpGiven._meta.get_fields())


@pytest.mark.parametrize(
    "note",
    ["Her email is jo.bloggs@example.com", "contact: JO@EXAMPLE.CO.UK please", "jo dot b at gmail dot com"],
)
def test_a_note_with_an_email_address_is_refused(note):
    assert personal_data_in(note) == REMOVE_EMAIL


@pytest.mark.parametrize(
    "note",
    [
        "Rang his mum on 07700 900123",
        "number 07700900123",
        "07700-900-123 is his sister",
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)20 8227 2000",
        "0044 7700 900123",
        "call back on (01892) 526121",
        "020 8227 2000",
        "03000 123 456",
        "7700 900123",
        "phoned 07700 900123 3 times",
    ],
)
def test_a_note_with_a_phone_number_is_refused(note):
    assert personal_data_in(note) == REMOVE_PHONE


@pytest.mark.parametrize("note", ["Lives at TN1 1YS", "postcode tn11ys", "near SW1A 1AA", "M1 1AE", "from rm10 8rb"])
def test_a_note_with_a_postcode_is_refused(note):
    assert personal_data_in(note) == REMOVE_POSTCODE


@pytest.mark.parametrize(
    "note",
    [
        "",
        "Called 999 and waited with them until the ambulance came at 11pm.",
        "Phoned 101, then gave directions to the bus station (route 2).",
        "Gave them the Childline number, 0800 1111, and a cup of tea.",
        "Two people, about 20 minutes; they were lost after the concert on 12.11.2027.",
        "Let them charge their phone to 100%.",
        "Sent them to the TN1 area bus stop",  # an outward code alone is a district, not an address
    ],
)
def test_an_ordinary_note_is_accepted(note):
    assert personal_data_in(note) is None

"""What a UK postcode looks like, stated once for every form and model that takes one.

The check is of shape only (outward code, space, inward code): "RM108AB", "rm10 8ab" and
" RM10  8AB " are all stored as "RM10 8AB". Whether the postcode exists is not checked here.
"""

import re

from django.core.exceptions import ValidationError

UK_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def normalise_uk_postcode(value: str) -> str | None:
    """ "rm10 8ab" → "RM10 8AB"; None when it is not the shape of a full UK postcode."""
    match = UK_POSTCODE.match(re.sub(r"\s+", "", value or "").upper())
    return f"{match.group(1)} {match.group(2)}" if match else None


def invalid_postcode_message(example: str = "") -> str:
    """The error a person sees, with the partner's own example (never another council's)."""
    return f"Enter a real postcode, like {example}" if example else "Enter a real UK postcode"


def validate_uk_postcode(value: str) -> None:
    if value and normalise_uk_postcode(value) is None:
        raise ValidationError(invalid_postcode_message())

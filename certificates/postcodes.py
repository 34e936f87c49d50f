"""Where a typed postcode is, for "near me", without calling a geocoding service.

The demo covers the partners' own postcode districts: an outward code maps to the district's
centre, which is close enough to sort Safe Havens by distance. A deployment that needs more
districts sets POSTCODE_DISTRICTS in settings (outward code → (latitude, longitude)).
"""

import math
import re

from django.conf import settings

DISTRICTS = {
    # Barking and Dagenham
    "IG11": (51.5365, 0.0810),  # Barking
    "RM6": (51.5700, 0.1290),  # Chadwell Heath
    "RM8": (51.5560, 0.1210),  # Becontree, Dagenham
    "RM9": (51.5380, 0.1380),  # Dagenham
    "RM10": (51.5430, 0.1580),  # Dagenham Heathway, Dagenham East
    # Tunbridge Wells
    "TN1": (51.1320, 0.2630),
    "TN2": (51.1350, 0.2850),
    "TN3": (51.1300, 0.2150),
    "TN4": (51.1500, 0.2550),  # St John's, Southborough
    "TN12": (51.1800, 0.3900),  # Paddock Wood
}

POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)(\s*[0-9][A-Z]{2})?$")


class UnknownPostcode(ValueError):
    pass


def districts() -> dict[str, tuple[float, float]]:
    return getattr(settings, "POSTCODE_DISTRICTS", DISTRICTS)


def locate_postcode(value: str) -> tuple[float, float]:
    """(latitude, longitude) of a full postcode or outward code, e.g. 'IG11 7AA' or 'rm10'."""
    match = POSTCODE.match(" ".join((value or "").upper().split()))
    if not match or match.group(1) not in districts():
        raise UnknownPostcode(value)
    return districts()[match.group(1)]


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle (haversine) distance."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))

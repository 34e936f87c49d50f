"""The register's GeoJSON as open data built once per change (cms/prebuilt.py): by the request that
finds it missing or in the background after a change of content, and each day (venues lapse at
midnight). Registered when the app is ready, so the background task knows it in any process."""

from django.utils import timezone

from cms import prebuilt
from cms.content_version import content_version

from .selectors import register_geojson_body

# The builder looks `register_geojson_body` up at call time, so tests can count builds.
REGISTER_GEOJSON = prebuilt.register_source(
    "register-geojson",
    stamp=lambda partner, now: f"{content_version()}:{timezone.localdate(now, partner.zone).isoformat()}",
    build=lambda partner, root, now: register_geojson_body(
        partner=partner, today=timezone.localdate(now, partner.zone), base_url=root
    ),
)

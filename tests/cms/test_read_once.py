"""What every public page reads and only a content change alters comes from the shared cache: the
content version once per request, the branding settings once per change."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms import content_version as versions
from cms.models import BrandingSettings

PATH = "/what-is-a-safe-haven/"


class CountingGets:
    def __init__(self, monkeypatch):
        self.keys = []
        real = cache.get

        def get(key, *args, **kwargs):
            self.keys.append(key)
            return real(key, *args, **kwargs)

        monkeypatch.setattr(cache, "get", get)


def test_a_page_reads_the_content_version_once(client, demo, monkeypatch):
    client.get(PATH)
    gets = CountingGets(monkeypatch)
    assert client.get(PATH).status_code == 200
    # The page cache (off in tests), the route, the branding and the menu all key on it.
    assert gets.keys.count(versions.VERSION_KEY) == 1


def test_within_a_request_a_change_it_makes_is_seen_at_once(db):
    with versions.read_once_per_request():
        before = versions.content_version()
        assert versions.content_version() == before
        versions.bump_content_version()
        assert versions.content_version() == before + 1
    # Outside a request every read asks the cache.
    versions.bump_content_version()
    assert versions.content_version() == before + 2


def test_branding_is_read_from_the_database_once_per_change(client, barking):
    client.get(PATH)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(PATH).status_code == 200
    assert not [q for q in captured.captured_queries if "cms_brandingsettings" in q["sql"]]

    branding = BrandingSettings.for_site(barking.site)
    branding.brand_colour = "#0b0c0c"
    branding.save()
    assert "--brand: #0b0c0c;" in client.get(PATH).text

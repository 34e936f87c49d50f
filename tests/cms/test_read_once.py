"""What every public page reads and only a content change alters comes from the shared cache: the
content version once per request, the branding settings once per change."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms import content_version as versions
from cms.models import BrandingSettings

PATH = "/what-is-a-safe-haven/"


class CountingGets:
    """Every key read from the cache, by `get` or with others by `get_many` (locmem's get_many
    calls its own get per key: not counted twice)."""

    def __init__(self, monkeypatch):
        self.keys = []
        self._inside = False
        real_get, real_get_many = cache.get, cache.get_many

        def get(key, *args, **kwargs):
            if not self._inside:
                self.keys.append(key)
            return real_get(key, *args, **kwargs)

        def get_many(keys, *args, **kwargs):
            self.keys.extend(keys)
            self._inside = True
            try:
                return real_get_many(keys, *args, **kwargs)
            finally:
                self._inside = False

        monkeypatch.setattr(cache, "get", get)
        monkeypatch.setattr(cache, "get_many", get_many)


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


class RoundTrips:
    """Calls to the cache as a client makes them (locmem's get_many calls its own get per key)."""

    def __init__(self, monkeypatch):
        self.calls = []
        self._inside = False
        for name in ("get", "get_many"):
            monkeypatch.setattr(cache, name, self._counted(name, getattr(cache, name)))

    def _counted(self, name, real):
        def call(*args, **kwargs):
            if self._inside:
                return real(*args, **kwargs)
            self.calls.append(name)
            self._inside = True
            try:
                return real(*args, **kwargs)
            finally:
                self._inside = False

        return call


COURSE = "/training/safe-haven-training/"


def test_a_page_miss_is_one_query_and_three_cache_round_trips(client, demo, monkeypatch):
    client.get(COURSE)
    trips = RoundTrips(monkeypatch)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(COURSE).status_code == 200
    # The content version with the route and the partner, menu, branding and site paths; the places
    # version with the sessions and their places taken (bookings/places.py); the modules.
    assert trips.calls == ["get_many", "get_many", "get"]
    # The page itself, nothing else: places left come from the cache until a booking changes them.
    sql = [q["sql"] for q in captured.captured_queries]
    assert len(sql) == 1, sql
    assert 'FROM "courses_coursepage"' in sql[0]


def test_a_new_menu_page_is_in_the_header_at_once(client, barking):
    from wagtail.models import Page

    from cms.models import StandardPage

    client.get(PATH)
    home = Page.objects.get(pk=barking.site.root_page_id)
    home.add_child(instance=StandardPage(title="Our volunteers", slug="our-volunteers", show_in_menus=True))
    header = client.get(PATH).text.split("</nav>", 1)[0]
    assert "Our volunteers" in header


def test_an_entry_kept_before_a_change_is_a_miss(db):
    versions.keep_current("thing", "as it was", 60)
    assert versions.read_current(["thing"]) == {"thing": "as it was"}
    versions.bump_content_version()
    assert versions.read_current(["thing"]) == {}


def test_a_page_cache_hit_is_one_cache_round_trip(client, demo, monkeypatch, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    assert client.get(PATH)["X-Page-Cache"] == "miss"
    trips = RoundTrips(monkeypatch)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(PATH)
    assert response["X-Page-Cache"] == "hit" and "Exit this page" in response.text
    assert trips.calls == ["get_many"]  # the content version, the page and the host's entry
    assert captured.captured_queries == []

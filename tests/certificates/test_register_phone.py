"""Finding a Safe Haven on a phone (issue 18): the Filter disclosure and the filters in use, miles
not kilometres, "open now" and directions on a venue page, the home page's first call to action."""

import datetime
import html as htmllib
import re

import pytest

from certificates.models import OpeningHours, Venue
from tests.conftest import MONDAY_MORNING

pytestmark = pytest.mark.django_db

SUNDAY_EVENING = datetime.datetime(2027, 6, 6, 18, 0, tzinfo=MONDAY_MORNING.tzinfo)


def get(client, path):
    response = client.get(path, HTTP_HOST="localhost")
    assert response.status_code == 200
    return response


def filter_details(html: str) -> str:
    """The opening tag of the register's Filter disclosure."""
    return re.search(r"<details[^>]*data-register-filters[^>]*>", html)[0]


def test_filters_are_closed_behind_filter_until_one_is_used(barking, client):
    html = get(client, "/safe-havens/").text
    assert " open" not in filter_details(html)
    assert "Filters in use" not in html
    assert "Skip to the results" not in html
    # A search alone is not a filter: the disclosure stays closed.
    html = get(client, "/safe-havens/?postcode=RM10+8AA").text
    assert " open" not in filter_details(html)
    # Any other filter opens it, and the filters in use are listed above the results.
    html = get(client, "/safe-havens/?area=parks&help=step_free").text
    assert " open" in filter_details(html)
    assert "Filter (2 in use)" in html
    assert "Filters in use" in html
    assert "Area: Parks" in html and "Help: Step-free access" in html
    assert 'href="#results-heading">Skip to the results (' in html


def test_each_filter_in_use_links_to_the_results_without_it(barking, client):
    html = get(client, "/safe-havens/?area=parks&open_now=on&help=step_free&help=accessible_toilet&page=2").text
    links = {
        label: href.replace("&amp;", "&")
        for href, label in re.findall(
            r'<a class="sh-filter-tag" href="([^"]+)"><span class="govuk-visually-hidden">Remove this filter: </span>'
            r"([^<]+)</a>",
            html,
        )
    }
    assert links == {
        "Area: Parks": "/safe-havens/?open_now=on&help=step_free&help=accessible_toilet",
        "Open now": "/safe-havens/?area=parks&help=step_free&help=accessible_toilet",
        "Help: Step-free access": "/safe-havens/?area=parks&open_now=on&help=accessible_toilet",
        "Help: Accessible toilet": "/safe-havens/?area=parks&open_now=on&help=step_free",
    }
    only_area = get(client, "/safe-havens/?area=parks").text
    assert (
        'href="/safe-havens/"><span class="govuk-visually-hidden">Remove this filter: </span>Area: Parks' in only_area
    )


def test_distances_on_the_register_are_in_miles_and_minutes_walked(barking, client):
    html = htmllib.unescape(get(client, "/safe-havens/?postcode=RM10+8AA").text)
    assert re.search(r"\d\.\d miles away, about \d+ minutes' walk", html)
    assert " km" not in html
    # From the park itself: never "0.0".
    html = htmllib.unescape(get(client, "/safe-havens/?lat=51.5452&lng=0.0880").text)
    assert "Less than 0.1 miles away, about 1 minute's walk" in html
    assert "0.0 " not in html


def test_the_map_marks_a_location_but_not_a_postcode(barking, client):
    here = get(client, "/safe-havens/?lat=51.5452&lng=0.0880").text
    assert 'data-here="51.54520,0.08800"' in here
    postcode = get(client, "/safe-havens/?postcode=RM10+8AA").text
    assert "data-here" not in postcode


def test_a_location_is_still_kept_out_of_the_page_cache(barking, client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = settings.PUBLIC_LIST_CACHE_SECONDS = 600
    for _ in range(2):
        response = get(client, "/safe-havens/?lat=51.5452&lng=0.0880")
        assert response.get("X-Page-Cache") is None
    get(client, "/safe-havens/?area=parks")
    assert get(client, "/safe-havens/?area=parks")["X-Page-Cache"] == "hit"


def test_venue_page_says_open_now_closed_now_or_not_known_by_the_clock(clock, barking, client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = settings.PUBLIC_LIST_CACHE_SECONDS = 600
    # Monday 10am: open 9am to 8pm.
    html = get(client, "/safe-havens/barking-learning-centre/").text
    assert "Open now" in html and "Closed now" not in html
    # Sunday evening: closed all Sunday. Not a copy kept from the morning.
    clock.move_to(SUNDAY_EVENING)
    html = get(client, "/safe-havens/barking-learning-centre/").text
    assert "Closed now" in html and "Open now" not in html
    OpeningHours.objects.filter(venue__slug="barking-learning-centre").delete()
    html = get(client, "/safe-havens/barking-learning-centre/").text
    assert "Opening hours not known" in html
    assert "Open now" not in html and "Closed now" not in html


def test_venue_page_links_to_walking_directions_without_tracking(clock, barking, client):
    venue = Venue.objects.get(slug="barking-learning-centre")
    html = get(client, "/safe-havens/barking-learning-centre/").text
    url = f"https://www.openstreetmap.org/directions?to={venue.latitude},{venue.longitude}"
    assert f'<a class="govuk-link" href="{url}" rel="noreferrer">Walking directions' in html
    Venue.objects.filter(pk=venue.pk).update(latitude=None, longitude=None)
    assert "Walking directions" not in get(client, "/safe-havens/barking-learning-centre/").text


def test_home_page_first_call_to_action_is_find_a_safe_haven(barking, client):
    html = get(client, "/").text
    main = html[html.index("<main") : html.index("</main>")]
    first_link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>\s*([^<]+?)\s*<', main)
    assert first_link.groups() == ("/safe-havens/", "Find a Safe Haven")
    assert "govuk-button--start" in main[: main.index("Find a Safe Haven")]
    assert main.index("/safe-havens/") < main.index("/training/")


def test_what_is_a_safe_haven_ends_with_the_next_step(barking, client):
    html = get(client, "/what-is-a-safe-haven/").text
    main = html[html.index("<main") : html.index("</main>")]
    last_heading = re.findall(r"<h2[^>]*>([^<]+)</h2>", main)[-1]
    assert last_heading.strip() == "What to do next"
    after = main[main.index("What to do next") :]
    assert 'href="/safe-havens/"' in after and 'href="/register-interest/"' in after

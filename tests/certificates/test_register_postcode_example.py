"""The register's postcode hint and error give the serving council's own example postcode."""

import pytest

TW_HOST = "tunbridgewells.localhost"


@pytest.mark.parametrize(("host", "own", "other"), [("localhost", "RM10 8AB", "TN1"), (TW_HOST, "TN1 1YS", "IG11")])
def test_the_example_postcode_is_the_councils_own(client, demo, host, own, other):
    blank = client.get("/safe-havens/", HTTP_HOST=host).text
    wrong = client.get("/safe-havens/?postcode=ZZ99+9ZZ", HTTP_HOST=host).text

    assert "To list the nearest Safe Havens first, for example " + own in blank
    assert "We do not recognise that postcode" in wrong
    assert f"like {own}" in wrong
    assert other not in blank.split("Postcode")[1].split("</div>")[0]
    assert f"like {other}" not in wrong

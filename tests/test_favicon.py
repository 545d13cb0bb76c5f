"""The browser's icon: /favicon.ico answers with our SVG instead of a 404 in every log."""

from __future__ import annotations

import pytest

from tests.conftest import release

pytestmark = pytest.mark.django_db


def test_favicon_ico_serves_the_svg_icon_to_anyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "max-age=86400" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    release(response)
    assert body.startswith(b"<svg") and b"<title>Scorecard</title>" in body


def test_favicon_refuses_other_methods(client):
    assert client.post("/favicon.ico").status_code == 405


def test_every_page_links_the_icon_and_loads_the_htmx_settings(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in html
    # The settings script must come after htmx itself, which it configures.
    assert html.index("htmx-2.min.js") < html.index("js/htmx-config.js")

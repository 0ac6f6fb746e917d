"""`serve`'s routes on a real server on 127.0.0.1: each checks the Host, the socket its Origin too."""

from __future__ import annotations

import base64
import http.client
import os

import pytest

from site_builder.preview.handlers import CLIENT_URL, SOCKET_URL
from site_builder.safety import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.slow


@pytest.fixture
def port(running):
    return running[0]


def request(port: int, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    for name, value in {"Host": f"127.0.0.1:{port}", **headers}.items():
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    response.read()  # a 101 has no body: read() returns at once
    connection.close()
    return response


def upgrade(origin: str | None) -> dict[str, str]:
    """The headers of a browser's websocket handshake, from a page at `origin`."""
    key = base64.b64encode(os.urandom(16)).decode()
    headers = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": key}
    return headers | ({"Origin": origin} if origin else {})


@pytest.mark.parametrize("path", ["/", "/claims/no-one-hurt/", CLIENT_URL, SOCKET_URL, "/assets/style.css"])
def test_every_route_refuses_a_foreign_host(port, path):
    response = request(port, path, {"Host": "evil.example", **(upgrade("http://evil.example")
                                                               if path == SOCKET_URL else {})})
    assert response.status == 421


def test_the_socket_opens_for_a_page_of_the_preview(port):
    assert request(port, SOCKET_URL, upgrade(f"http://127.0.0.1:{port}")).status == 101
    assert request(port, SOCKET_URL, upgrade(f"http://localhost:{port}") | {"Host": f"localhost:{port}"}
                   ).status == 101


@pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1:1", "null", "file://"])
def test_the_socket_refuses_another_origin(port, origin):
    """A page of another site (or another port of this machine) must not learn of every save."""
    assert request(port, SOCKET_URL, upgrade(origin)).status == 403


def test_pages_name_the_client_script_under_the_strict_policy(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/articles/harbour-fire/")
    response = connection.getresponse()
    page = response.read()
    connection.close()
    assert response.status == 200
    assert response.getheader("Content-Security-Policy") == CONTENT_SECURITY_POLICY
    assert int(response.getheader("Content-Length")) == len(page)  # the tag's bytes counted
    head = page.split(b"</head>")[0]
    assert head.endswith(f'<script src="{CLIENT_URL}" defer></script>'.encode())
    assert b"<script>" not in page and b"<script type" not in page  # no inline script anywhere

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", CLIENT_URL)
    script = connection.getresponse()
    body = script.read()
    connection.close()
    assert script.status == 200 and script.getheader("Content-Type").startswith("text/javascript")
    assert b"site-builder:replaced" in body

"""What the preview's tests share: a real `serve` on 127.0.0.1."""

from __future__ import annotations

import sys

import pytest
from servers import Process, free_port
from sitekit import SITES, copy_site


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """`site-builder serve` of the basic site, a real server on 127.0.0.1: (its port, its output)."""
    folder = tmp_path_factory.mktemp("serving")
    root = copy_site(SITES / "basic", folder / "site")
    port = free_port()
    server = Process([sys.executable, "-m", "site_builder", "serve", "--root", str(root), "--port", str(port)],
                     folder / "serve.log")
    try:
        server.wait_for_port(port)
        yield port, server
    finally:
        server.stop()

"""Browser tests run for real in Debian's Chromium; a missing browser fails the run, never skips it."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import Process, StaticSite
from sitekit import REPO, SITES, copy_site

CHROMIUM = ("/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    found = os.environ.get("CHROMIUM_PATH") or next((p for p in CHROMIUM if os.path.exists(p)), None)
    if found is None:
        pytest.fail("No Chromium found for the browser tests. Install Debian's: "
                    "`apt-get update && apt-get install -y chromium` (or set CHROMIUM_PATH).", pytrace=False)
    return {**browser_type_launch_args, "executable_path": found}


@pytest.fixture(scope="session")
def base_url() -> None:
    """Replaces pytest-playwright's fallback fixture (deprecated form under pytest 9)."""
    return None


@pytest.fixture
def server_log(request: pytest.FixtureRequest) -> Iterator[list[Process]]:
    """Servers registered here are stopped after the test, and their output printed if it failed."""
    servers: list[Process] = []
    yield servers
    failed = getattr(request.node, "rep_call", None)
    for server in servers:
        server.stop()
        if failed is not None and failed.failed:
            sys.stderr.write(f"\n--- server output ---\n{server.log_path.read_text(errors='replace')}\n")


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, StaticSite]]:
    """The fixture site and the real site, built once and served with netlify.toml's headers."""
    from site_builder.build import build

    fixture = copy_site(SITES / "basic", tmp_path_factory.mktemp("fixture") / "basic")
    build(fixture)
    real_out = tmp_path_factory.mktemp("real") / "public"
    build(REPO, real_out)
    servers = {"fixture": StaticSite(fixture / "public", REPO / "netlify.toml"),
               "real": StaticSite(real_out, REPO / "netlify.toml")}
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def fixture_url(built_sites: dict[str, StaticSite]) -> str:
    return built_sites["fixture"].url


@pytest.fixture(scope="session")
def real_url(built_sites: dict[str, StaticSite]) -> str:
    return built_sites["real"].url


@pytest.fixture
def csp_violations(page) -> list[str]:
    """Console errors and CSP violations seen by the page during a test (checked by the test)."""
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen

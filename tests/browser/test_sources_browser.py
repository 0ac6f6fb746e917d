"""The archive's three states as a reader sees them, on a claim page and a source page, in Chromium."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from servers import StaticSite
from sitekit import REPO
from sourcekit import WAYBACK, FixtureServer, states_site

from site_builder.build import build


def test_each_archive_state_on_claim_and_source_pages(page: Page, make_site, csp_violations) -> None:
    sources = FixtureServer()
    try:
        root = states_site(make_site, sources)
    finally:
        sources.stop()  # the built site must not need the sources' server
    build(root, search=False)
    site = StaticSite(root / "public", REPO / "netlify.toml")
    try:
        page.goto(site.url + "claims/ten-people/")
        items = page.locator("ol.sources > li")
        expect(items).to_have_count(3)
        expect(items.nth(0).locator(".archive-state")).to_have_text(
            re.compile(r"^Quote verified in our copy of \d{1,2} [A-Z][a-z]+ \d{4}\.$"))
        expect(items.nth(0).get_by_role("link", name="archived copy")).to_have_attribute("href", WAYBACK)
        expect(items.nth(1).locator(".archive-state")).to_have_text(
            re.compile(r"^Quote not verified: it could not be found in our copy of \d{1,2} [A-Z][a-z]+ \d{4}\.$"))
        expect(items.nth(2).locator(".archive-state")).to_have_text(
            "Not archived: we keep no copy of this source, so this quote is not verified by us.")
        for item in range(3):
            expect(items.nth(item).locator(".archive-state")).to_be_visible()

        page.goto(site.url + "sources/verified/")
        expect(page.locator(".archive-state")).to_have_text(re.compile(r"^Quote verified in our copy of "))
        expect(page.locator("dl.details")).to_contain_text("Our copy")
        page.goto(site.url + "sources/unverified/")
        expect(page.locator(".archive-state")).to_have_text(re.compile(r"^Quote not verified"))
        page.goto(site.url + "sources/never/")
        expect(page.locator(".archive-state")).to_have_text(re.compile(r"^Not archived"))
        expect(page.locator("dl.details")).not_to_contain_text("Our copy")
        assert csp_violations == []
        for path in ("archive/index.json", "archive/"):  # the desk's copies are not on the site
            response = page.goto(site.url + path)
            assert response is not None and response.status == 404
    finally:
        site.stop()

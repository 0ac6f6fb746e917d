"""axe-core finds no WCAG 2.2 A/AA violation on any page type, light and dark, desktop and phone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
PAGE_TYPES = {
    "home": "", "article": "articles/karlov-ankara/", "claim": "claims/gunman-special-forces-bullet/",
    "claims": "claims/", "source": "sources/reuters-gunman-riot-police-minister/", "sources": "sources/",
    "verdict": "verdicts/accurate/", "verdicts": "verdicts/", "tag": "tags/numbers/", "tags": "tags/",
    "page": "methodology/", "search": "search/", "404": "no-such-page/",
    "page-with-form": "corrections/",  # the correction-request form
    "claim-with-table": "fixture:claims/grain-tonnes/",  # the fixture site's claim whose body holds a table
}
VIEWPORTS = {"desktop": {"width": 1400, "height": 900}, "mobile": {"width": 375, "height": 812}}


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def test_a_misspelt_rule_tag_would_not_hide_violations(axe: Axe, browser: Browser) -> None:
    """Guard: axe with our tags does report a real violation (an image without alt text)."""
    page = browser.new_page()
    page.set_content('<html lang="en"><title>t</title><main><h1>x</h1><img src="data:,"></main></html>')
    result = axe.run(page, options=WCAG)
    assert result.violations_count == 1, result.generate_report()
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_no_violations(axe: Axe, browser: Browser, real_url: str, fixture_url: str, kind: str, viewport: str,
                       scheme: str) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    path = PAGE_TYPES[kind]
    page.goto(fixture_url + path.removeprefix("fixture:") if path.startswith("fixture:") else real_url + path)
    if kind == "article":
        page.click("#q-gunman-special-forces-bullet")  # an open note is checked too
    if kind == "search":
        page.fill("#q", "Aleppo")
        page.click("button[type=submit]")
        page.locator(".search-results li").first.wait_for()
    result = axe.run(page, options=WCAG)
    assert result.violations_count == 0, result.generate_report()
    context.close()

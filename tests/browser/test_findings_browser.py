"""The findings lead: above the fold on desktop, within the first phone screen, in light, dark and print.

Screenshots go to test-artifacts/screenshots/findings-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from screens import assert_picture_of_the_viewport
from sitekit import REPO

ARTIFACTS = REPO / "test-artifacts" / "screenshots"
VIEWS = {"desktop": (1440, 900, "light"), "phone": (390, 844, "light"), "dark": (1440, 900, "dark"),
         "phone-dark": (390, 844, "dark")}


@pytest.mark.parametrize("name", list(VIEWS))
def test_the_findings_and_the_claim_boxes_are_on_the_first_screen(browser: Browser, real_url: str,
                                                                 name: str) -> None:
    width, height, scheme = VIEWS[name]
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(real_url + "articles/karlov-ankara/")
    findings = page.locator("#findings")
    expect(findings.locator("h2")).to_have_text("What we found")
    top = findings.bounding_box()
    assert top is not None and top["y"] < height * 0.75, top  # it starts on the first screen
    first = findings.locator(".finding-list > li").first
    expect(first.locator(".badge")).to_have_text("Inaccurate")
    if name == "desktop":
        box = first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= height  # the worst finding is above the fold
    page.screenshot(path=str(ARTIFACTS / f"findings-article-{name}.png"))
    assert_picture_of_the_viewport(page, ARTIFACTS / f"findings-article-{name}.png")
    page.goto(real_url + "claims/gunman-special-forces-bullet/")
    expect(page.locator("h1")).to_contain_text("Inaccurate: Claim:")
    verdict = page.locator(".verdict-box").bounding_box()
    assert verdict is not None and verdict["y"] < height, verdict  # both boxes start on the first screen
    page.screenshot(path=str(ARTIFACTS / f"findings-claim-{name}.png"))
    assert_picture_of_the_viewport(page, ARTIFACTS / f"findings-claim-{name}.png")
    context.close()


@pytest.mark.parametrize("path", ["articles/karlov-ankara/", "claims/gunman-special-forces-bullet/"])
def test_the_findings_print(browser: Browser, real_url: str, path: str) -> None:
    """Printed, the article leads with what we found and the claim page with its verdict box, on the first page."""
    context = browser.new_context(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
    page = context.new_page()
    page.emulate_media(media="print")
    page.goto(real_url + path)
    lead = page.locator("#findings" if path.startswith("articles/") else ".verdict-box")
    expect(lead).to_be_visible()
    box = lead.bounding_box()
    assert box is not None and 0 <= box["y"] < 1123 * 0.75, box
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"findings-{path.split('/')[0].removesuffix('s')}-print.png"
    page.screenshot(path=str(target))
    assert_picture_of_the_viewport(page, target)
    expect(page.locator(".site-header nav")).to_be_hidden()  # the print styles are in force
    context.close()

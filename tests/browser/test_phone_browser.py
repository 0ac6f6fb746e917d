"""On a phone (390x844): what we found starts on the first screen, and every tap target is 24x24 CSS px or more
(WCAG 2.5.8), measured on the box of every link, button, form control and marker Chromium lays out (a link
wrapped over two lines is measured as a whole)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

PHONE = {"width": 390, "height": 844}
TARGETS = """() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [role=button]')]
    .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
    .map(e => { const r = e.getBoundingClientRect();
                return {what: e.outerHTML.slice(0, 90), w: r.width, h: r.height}; })"""


@pytest.mark.parametrize("path", ["articles/karlov-ankara/", "claims/gunman-special-forces-bullet/", "",
                                  "sources/", "fixture:articles/harbour-fire/"])
def test_every_tap_target_is_at_least_24_pixels(browser: Browser, real_url: str, fixture_url: str,
                                                path: str) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(fixture_url + path.removeprefix("fixture:") if path.startswith("fixture:") else real_url + path)
    if "articles/" in path:
        page.locator(".marker").nth(1).tap()  # an open note's links and button count too
        page.locator(".note").wait_for()
    boxes = page.evaluate(TARGETS)
    assert len(boxes) > 10
    small = [box for box in boxes if box["w"] < 24 - 0.01 or box["h"] < 24 - 0.01]
    assert small == [], small[:10]
    context.close()


def test_the_findings_start_on_the_first_phone_screen(browser: Browser, real_url: str) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(real_url + "articles/karlov-ankara/")
    first = page.locator("#findings .finding-list > li").first.bounding_box()
    assert first is not None and first["y"] < PHONE["height"], first  # the worst finding, not only the heading
    context.close()

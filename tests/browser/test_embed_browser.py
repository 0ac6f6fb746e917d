"""A claim's embed page loads inside another site's <iframe>; every other page refuses to be framed.

Both pages are served with netlify.toml's headers (tests/servers.py), the parent from another origin.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from servers import StaticSite

CLAIM = "he-alleged-misattribution"


def test_an_embed_loads_in_another_sites_iframe_and_a_claim_page_is_refused(page: Page, real_url: str,
                                                                            tmp_path: Path) -> None:
    parent = tmp_path / "parent"
    parent.mkdir()
    (tmp_path / "none.toml").write_text("")
    (parent / "index.html").write_text(
        '<!doctype html><html lang="en"><title>Another site</title>'
        f'<iframe id="embed" title="embed" src="{real_url}claims/{CLAIM}/embed/"></iframe>'
        f'<iframe id="page" title="page" src="{real_url}claims/{CLAIM}/"></iframe></html>')
    other = StaticSite(parent, tmp_path / "none.toml")
    try:
        assert other.url.rstrip("/") != real_url.rstrip("/")  # another origin (another port)
        refused: list[str] = []
        page.on("console", lambda message: refused.append(message.text) if "frame-ancestors" in message.text
                else None)
        page.goto(other.url)
        embed = page.frame_locator("#embed")
        expect(embed.locator("h1")).to_have_text(
            "Claim: Putin said the killing aimed to foil Erdoğan's visit, now to be postponed.")
        expect(embed.locator(".badge")).to_have_text("Inaccurate")
        expect(embed.locator("a")).to_have_attribute("href", f"https://annotated-record.netlify.app/claims/{CLAIM}/")
        page.wait_for_timeout(500)
        framed = page.locator("#page").element_handle().content_frame()
        assert framed is not None and framed.locator("article.claim").count() == 0
        assert len(refused) == 1 and "frame-ancestors 'none'" in refused[0], refused  # the claim page, only
    finally:
        other.stop()


def test_the_embed_code_on_a_claim_page_works_without_javascript(browser, real_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(real_url + f"claims/{CLAIM}/")
    page.locator(".embed-code summary").click()
    code = page.locator(".embed-code code").inner_text()
    assert code.startswith(f'<iframe src="https://annotated-record.netlify.app/claims/{CLAIM}/embed/" '
                           'title="Inaccurate: Putin said the killing aimed to foil Erdoğan&#x27;s visit')
    context.close()

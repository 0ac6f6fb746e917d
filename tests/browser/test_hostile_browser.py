"""Hostile content in a real browser: every payload in every text field stays inert."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from crawl import crawl
from playwright.sync_api import Page
from servers import StaticSite
from sitekit import REPO, SITES, copy_site

from site_builder.build import build


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on") or (name in ("href", "src", "action") and value and
                                         re.match(r"\s*(javascript|data|vbscript):", value, re.I)):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag in ("iframe", "img", "style", "object", "embed", "base", "input") and not (
                tag == "input" and dict(attrs).get("type") in ("checkbox", "search")):
            self.found.append(f"<{tag}>")
        if tag == "svg" and dict(attrs).get("class") != "tally-bar":
            self.found.append("<svg>")
        if tag == "form" and "action" in dict(attrs):
            self.found.append("<form action>")
        if tag == "script" and dict(attrs).get("type") != "application/ld+json" and not dict(attrs).get("src"):
            self.found.append("<script> inline")


def test_no_payload_runs_on_any_page(page: Page, tmp_path: Path) -> None:
    root = copy_site(SITES / "hostile", tmp_path / "site")
    build(root)
    public = root / "public"
    for html in public.rglob("*.html"):
        tags = _Tags()
        tags.feed(html.read_text())
        assert tags.found == [], html
    server = StaticSite(public, REPO / "netlify.toml")
    try:
        report = crawl(page, server.url)
        assert report.faults == []  # no CSP violation or console error anywhere: nothing even tried to run
        assert len(report.pages) >= 14
        for url in report.pages:
            page.goto(url)
            if "/articles/" in url and "coverage" not in url:
                page.click(".marker >> nth=0")  # notes are built from notes.json: still text
                page.locator(".note").first.wait_for()
            page.mouse.move(10, 10)
            assert page.evaluate("typeof window.__pwned") == "undefined", url
        page.goto(server.url + "claims/img-quote/")
        assert "<svg/onload=window.__pwned='claim'>" in page.locator("h1").inner_text()
        page.goto(server.url + "claims/literal-text/")
        heading = page.locator("h1").inner_text()  # verdict first, then the claim, as typed: never 49
        assert heading.endswith("Claim: {{ 7*7 }} is not evaluated.") and "49" not in heading
    finally:
        server.stop()

"""`site-builder serve` in a real browser: edits show up without a reload; errors show and clear."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from servers import Process, free_port
from sitekit import SITES, copy_site

CLAIM = "content/articles/harbour-fire/claims/crews-hours.yaml"


@pytest.fixture
def preview(tmp_path: Path, server_log: list[Process]) -> tuple[str, Path]:
    root = copy_site(SITES / "basic", tmp_path / "site")
    port = free_port()
    server = Process([sys.executable, "-m", "site_builder", "serve", "--root", str(root), "--port", str(port)],
                     tmp_path / "serve.log")
    server_log.append(server)
    server.wait_for_port(port)
    return f"http://127.0.0.1:{port}/", root


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_edit_shows_without_reload_then_error_then_recovery(page: Page, preview: tuple[str, Path]) -> None:
    url, root = preview
    page.goto(url + "claims/crews-hours/")
    summary = page.locator(".summary")
    expect(summary).to_have_text("The fire service log lists twelve crews and a six-hour operation.")
    page.evaluate("window.__stayed = true")  # a full navigation by the user would clear this

    edit(root, CLAIM, "The fire service log lists", "The brigade's own log lists")
    expect(summary).to_have_text("The brigade's own log lists twelve crews and a six-hour operation.",
                                 timeout=10_000)
    assert page.evaluate("window.__stayed") is True  # swapped in place: no reload

    good = (root / CLAIM).read_text()
    (root / CLAIM).write_text(good.replace("verdict: accurate", "verdict: accurate: [x"))
    heading = page.locator("h1")
    expect(heading).to_contain_text("Build failed", timeout=10_000)
    expect(page.locator(".problems")).to_contain_text(f"{CLAIM}:4:18")
    expect(page.locator(".problems .hit")).to_contain_text("4 | verdict: accurate: [x")

    (root / CLAIM).write_text(good)
    expect(summary).to_have_text("The brigade's own log lists twelve crews and a six-hour operation.",
                                 timeout=10_000)
    expect(page.locator(".badge-draft")).to_have_count(0)


TWELVE = "content/articles/harbour-fire/claims/twelve-crews.yaml"


def test_a_summary_edit_on_the_article_page_keeps_the_scroll_and_the_open_note(
        page: Page, preview: tuple[str, Path], csp_violations: list[str]) -> None:
    url, root = preview
    page.set_viewport_size({"width": 420, "height": 320})  # the article runs past the screen: there is a scroll
    page.goto(url + "articles/harbour-fire/")
    page.evaluate("window.__stayed = true")
    marker = page.locator('.marker[data-claim="twelve-crews"]')
    marker.click()
    note = page.locator("#note-twelve-crews")
    expect(note).to_contain_text("Twelve crews attended, but only eight at the same time.")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 3)")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 100

    edit(root, TWELVE, "summary: Twelve crews attended, but", "summary: Twelve crews came, but")
    expect(page.locator(".finding-list")).to_contain_text("Twelve crews came, but only eight", timeout=10_000)
    expect(note).to_contain_text("Twelve crews came, but only eight at the same time.")  # open, from new notes
    assert page.evaluate("window.__stayed") is True  # no reload
    assert page.evaluate("window.scrollY") == scrolled
    expect(marker).to_have_attribute("aria-expanded", "true")

    # article.js started again on the new content, once: one key press moves one passage on
    markers = page.locator(".marker")
    markers.nth(0).focus()
    page.keyboard.press("n")
    expect(markers.nth(1)).to_be_focused()
    page.locator("#note-twelve-crews .note-close").click()
    expect(note).to_have_count(0)
    assert csp_violations == []  # the client is a file, allowed by the strict policy; nothing failed


def test_an_edit_of_the_page_frame_loads_the_page_again(page: Page, preview: tuple[str, Path]) -> None:
    url, root = preview
    page.goto(url + "articles/harbour-fire/")
    page.evaluate("window.__stayed = true")
    edit(root, "templates/base.html", "<p>Published by", "<p>Put out by")
    expect(page.locator(".site-footer")).to_contain_text("Put out by", timeout=10_000)
    assert page.evaluate("window.__stayed") is None  # the footer is outside <main>: a swap would miss it


def test_template_and_stylesheet_edits_take_effect(page: Page, preview: tuple[str, Path]) -> None:
    url, root = preview
    page.goto(url + "claims/crews-hours/")
    expect(page.locator("#finding")).to_have_text("Our finding")
    edit(root, "templates/claim.html", '<h2 id="finding">Our finding</h2>', '<h2 id="finding">What we found</h2>')
    expect(page.locator("#finding")).to_have_text("What we found", timeout=10_000)

    page.evaluate("window.__stayed = true")
    edit(root, "assets/style.css", "h2 { line-height: 1.25;", "h2 { letter-spacing: 3px; line-height: 1.25;")
    expect(page.locator("#finding")).to_have_css("letter-spacing", "3px", timeout=10_000)
    assert page.evaluate("window.__stayed") is True  # the stylesheet was swapped in place, no reload


def test_drafts_are_previewed_with_a_badge(page: Page, preview: tuple[str, Path]) -> None:
    url, _ = preview
    page.goto(url + "claims/no-one-hurt/")
    expect(page.locator("h1 .badge-draft")).to_have_text("Draft")


def test_serves_only_the_preview_folder(page: Page, preview: tuple[str, Path]) -> None:
    url, _ = preview
    for path in ("../content/site.yaml", "%2e%2e/%2e%2e/etc/passwd", "..%2fcontent%2fsite.yaml",
                 "claims/..%5c..%5ccontent", "content/site.yaml", "nowhere/"):
        response = page.request.get(url + path)
        assert response.status == 404, path
        assert "Page not found" in response.text(), path


def test_whole_site_data_is_served_current(page: Page, preview: tuple[str, Path]) -> None:
    """claims.json and the other downloads are made when asked for, from the latest save."""
    import json
    url, root = preview
    page.goto(url + "claims/crews-hours/")
    expect(page.locator(".summary")).to_contain_text("The fire service log lists")
    edit(root, CLAIM, "The fire service log lists", "The brigade's own log lists")
    expect(page.locator(".summary")).to_contain_text("The brigade's own log lists", timeout=10_000)
    response = page.request.get(url + "claims.json")
    assert response.status == 200 and response.headers["content-type"] == "application/json"
    summaries = {claim["id"]: claim["summary"] for claim in json.loads(response.body())["claims"]}
    assert summaries["crews-hours"].startswith("The brigade's own log lists")
    csv = page.request.get(url + "claims.csv")
    assert csv.status == 200 and "The brigade's own log lists" in csv.text()


def rebuilds(server_output: str) -> int:
    return server_output.count("] rebuilt in ")


def wait_for(condition, timeout: float = 10.0) -> None:
    import time
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_rename_saves_and_double_saves_give_one_rebuild(preview: tuple[str, Path],
                                                       server_log: list[Process]) -> None:
    import os
    import time
    _, root = preview
    server = server_log[0]
    claim = root / CLAIM
    good = claim.read_text()

    # an editor that writes a temporary file, then renames it over the original (vim, JetBrains, ...)
    temporary = claim.with_name(".crews-hours.yaml.tmp")
    temporary.write_text(good.replace("The fire service log lists", "The log lists"))
    os.replace(temporary, claim)
    wait_for(lambda: rebuilds(server.output()) == 1)
    time.sleep(1.0)
    assert rebuilds(server.output()) == 1, server.output()

    # two saves in quick succession
    claim.write_text(good.replace("The fire service log lists", "One log lists"))
    claim.write_text(good.replace("The fire service log lists", "Two logs list"))
    wait_for(lambda: rebuilds(server.output()) == 2)
    time.sleep(1.0)
    assert rebuilds(server.output()) == 2, server.output()

"""Search in Chromium against the built Karlov site: typed results, clean excerpts, filters in the address."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from playwright.sync_api import Browser, Page, expect
from sitekit import REPO

CLAIMS = REPO / "content/articles/karlov-ankara/claims"
LABELS = {verdict["id"]: verdict["label"] for verdict in
          yaml.safe_load((REPO / "content/site.yaml").read_text(encoding="utf-8"))["verdicts"]}
# A metadata label run into its value, as the source pages' details gave it ("PublisherReuters Published19 ...").
RUN_TOGETHER = re.compile(r"(Publisher|Published|Kind|Language|Address|Archived copy|Our copy)[A-Z0-9]")
METADATA = ("http://", "https://", "Checked by", "Embed this check", "Not archived", "Quote verified", "Previous:",
            "Next:", "Claimed by")


def verdict_of(claim_id: str) -> str:
    return LABELS[yaml.safe_load((CLAIMS / f"{claim_id}.yaml").read_text(encoding="utf-8"))["verdict"]]


def results(page: Page) -> list[dict]:
    """Every result shown, read as a reader sees it: its type line, its link's text and address, its excerpt."""
    expect(page.locator(".search-status")).not_to_have_text(re.compile("^(Searching…)?$"), timeout=15_000)
    while page.locator(".search-more").is_visible():
        before = page.locator(".search-results li").count()
        page.click(".search-more button")
        expect(page.locator(".search-results li")).not_to_have_count(before)
    return page.locator(".search-results li").evaluate_all("""items => items.map(li => ({
        kind: li.querySelector('.search-kind').textContent, type: li.dataset.type,
        link: li.querySelector('a').textContent, path: li.querySelector('a').pathname,
        badge: li.querySelector('a .badge') ? li.querySelector('a .badge').textContent : null,
        excerpt: li.querySelector('.search-excerpt').textContent}))""")


def test_a_query_gives_typed_results_and_a_claim_its_verdict(page: Page, real_url: str, csp_violations) -> None:
    page.goto(real_url + "search/?q=Karlov")
    found = results(page)
    kinds = {"claim": "Claim", "source": "Source", "article": "Article", "page": "Page"}
    assert {result["type"] for result in found} == set(kinds)  # Karlov is named in each kind of page
    for result in found:
        assert result["kind"] == kinds[result["type"]]
        folder = {"claim": "/claims/", "source": "/sources/", "article": "/articles/"}.get(result["type"])
        assert result["path"].startswith(folder) if folder else result["path"].count("/") == 2, result
        if result["type"] == "claim":  # the verdict the claim file gives, first in the link's name
            label = verdict_of(result["path"].split("/")[2])
            assert result["badge"] == label
            assert result["link"].startswith(label + ": ")
        else:
            assert result["badge"] is None
    assert csp_violations == []


def test_excerpts_are_readable_text_not_metadata(page: Page, real_url: str) -> None:
    for query in ("Reuters", "Karlov", "Gulen"):  # a publisher (in every source's details), a name, a topic
        page.goto(real_url + "search/?q=" + query)
        found = results(page)
        assert len(found) > 10
        for result in found:
            assert not RUN_TOGETHER.search(result["excerpt"]), result
            assert not any(words in result["excerpt"] for words in METADATA), result


def test_filters_narrow_the_results_and_survive_a_reload(page: Page, real_url: str, csp_violations) -> None:
    page.goto(real_url + "search/?q=Karlov")
    everything = results(page)
    page.select_option("#search-type", "claim")
    expect(page).to_have_url(re.compile(r"[?&]type=claim"))
    claims = results(page)
    assert 0 < len(claims) < len(everything)
    assert {result["path"] for result in claims} == {r["path"] for r in everything if r["type"] == "claim"}
    page.select_option("#search-verdict", "mostly-accurate")
    expect(page).to_have_url(re.compile(r"\?q=Karlov&type=claim&verdict=mostly-accurate$"))
    rated = results(page)
    assert 0 < len(rated) < len(claims)
    assert {result["path"] for result in rated} == {r["path"] for r in claims if r["badge"] == "Mostly accurate"}
    page.reload()
    expect(page.locator("#q")).to_have_value("Karlov")
    expect(page.locator("#search-type")).to_have_value("claim")
    expect(page.locator("#search-verdict")).to_have_value("mostly-accurate")
    assert results(page) == rated
    assert csp_violations == []


def test_a_verdict_alone_lists_every_claim_given_it(page: Page, real_url: str) -> None:
    """Without a query, ?verdict= lists exactly the claims whose file gives that verdict."""
    inaccurate = {f"/claims/{path.stem}/" for path in CLAIMS.glob("*.yaml") if verdict_of(path.stem) == "Inaccurate"}
    assert len(inaccurate) == 4
    page.goto(real_url + "search/?verdict=inaccurate")
    found = results(page)
    assert {result["path"] for result in found} == inaccurate
    expect(page.locator(".search-status")).to_have_text("4 results among rated Inaccurate.")


def test_without_javascript_the_search_page_offers_links_that_work(browser: Browser, real_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(real_url + "search/")
    browse = page.locator(".search-browse")
    for name in ["Every claim", "Every source", *LABELS.values()]:
        link = browse.get_by_role("link", name=name, exact=True)
        expect(link).to_have_count(1)
        href = link.get_attribute("href")
        assert href is not None
        response = page.request.get(real_url + "search/" + href)
        assert response.status == 200, href
        assert "<h1" in response.text()
    context.close()


def test_no_excerpt_source_on_disk_runs_metadata_together(built_sites) -> None:
    """The pages' indexed text itself (Pagefind's fragments), not only what one query shows."""
    import gzip
    import json
    folder: Path = built_sites["real"].folder / "pagefind/fragment"
    contents = [json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):]) for path in folder.iterdir()]
    assert len(contents) > 250
    for fragment in contents:
        assert not RUN_TOGETHER.search(fragment["content"]), fragment["url"]
        assert not any(words in fragment["content"] for words in METADATA), fragment["url"]
        assert fragment["meta"]["type"] in ("claim", "source", "article", "page"), fragment["url"]

"""Site-wide gates: every page reached by a crawler is sound, valid HTML, fast and accessible."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from crawl import crawl, sitemap_urls
from playwright.sync_api import Browser, Page
from screens import assert_screenshot_shows
from servers import StaticSite
from sitekit import REPO, SITES, copy_site

from site_builder.build import build

VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"
LIGHTHOUSE = REPO / "node_modules/.bin/lighthouse"
ARTIFACTS = REPO / "test-artifacts"
INSTALL = "run `bash scripts/test` once (it installs Java, vnu-jar and lighthouse), or `npm ci`"


def test_crawl_real_site(page: Page, real_url: str) -> None:
    report = crawl(page, real_url)
    assert report.faults == []
    assert set(report.pages) == sitemap_urls(page, real_url, "https://annotated-record.netlify.app/")
    assert len(report.pages) > 250


def test_crawl_fixture_site(page: Page, fixture_url: str) -> None:
    report = crawl(page, fixture_url)
    assert report.faults == []
    assert set(report.pages) == sitemap_urls(page, fixture_url, "https://checks.example.org/")


def test_site_works_from_a_sub_path(page: Page, tmp_path: Path) -> None:
    root = copy_site(SITES / "basic", tmp_path / "site")
    config = root / "content/site.yaml"
    config.write_text(config.read_text().replace("https://checks.example.org/", "https://example.org/checks/"))
    build(root)
    server = StaticSite(root / "public", REPO / "netlify.toml", prefix="/checks/")
    try:
        report = crawl(page, server.url)
        assert report.faults == []
        assert set(report.pages) == sitemap_urls(page, server.url, "https://example.org/checks/")
        page.goto(server.url + "no/such/page/")
        page.get_by_role("link", name="home page").click()  # the 404 page links home from any depth
        assert page.url == server.url
        page.goto(server.url + "search/?q=grain")
        page.locator(".search-results a").first.click()
        assert page.url.startswith(server.url)
    finally:
        server.stop()


def test_every_html_file_validates(built_sites: dict[str, StaticSite]) -> None:
    assert VNU.is_file(), f"The Nu HTML Checker is missing: {INSTALL}"
    assert shutil.which("java"), f"Java is missing: {INSTALL}"
    for site in built_sites.values():
        done = subprocess.run(["java", "-jar", str(VNU), "--skip-non-html", "--errors-only", "--format", "json",
                               "--stdout", str(site.folder)], capture_output=True, text=True, check=False)
        messages = json.loads(done.stdout or '{"messages": []}')["messages"]
        assert [f"{m.get('url')}: {m.get('message')}" for m in messages] == [], done.stderr
        assert done.returncode == 0


@pytest.mark.parametrize("kind", ["home", "article", "claim"])
def test_lighthouse_scores(real_url: str, tmp_path: Path, kind: str) -> None:
    assert LIGHTHOUSE.exists(), f"Lighthouse is missing: {INSTALL}"
    path = {"home": "", "article": "articles/karlov-ankara/", "claim": "claims/nine-shots/"}[kind]
    output = tmp_path / "report.json"
    chrome = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    command = [str(LIGHTHOUSE), real_url + path, "--quiet", "--output=json", f"--output-path={output}",
               "--only-categories=performance,accessibility,best-practices,seo",
               "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking "
               "--disable-component-update --disable-sync --no-first-run"]
    runs = [_lighthouse(command, chrome, output) for _run in range(3)]
    # Lighthouse's performance score varies from run to run on one machine (its docs advise the median of
    # several runs); the other categories do not, and every run must give 100 in each.
    scores = {**runs[0][0], "performance": statistics.median(run[0]["performance"] for run in runs)}
    for run_scores, run_result in runs:
        failing = {a["id"]: a.get("title") for a in run_result["audits"].values()
                   if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary"}
        assert run_scores["accessibility"] == 100 and run_scores["best-practices"] == 100 \
            and run_scores["seo"] == 100, failing
    print(f"\nLighthouse {kind}: {scores}")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"lighthouse-{kind}.json").write_text(json.dumps(scores))
    assert scores["performance"] >= 95, [run[0] for run in runs]


def _lighthouse(command: list[str], chrome: str, output: Path) -> tuple[dict[str, int], dict]:
    """One Lighthouse run: its scores (0-100) and its report."""
    for _attempt in range(3):  # Lighthouse's own trace recorder sometimes fails (NO_NAVSTART): run it again
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": chrome},
                              timeout=180, check=False)
        if done.returncode == 0 or "NO_NAVSTART" not in done.stderr:
            break
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(output.read_text())
    return {name: round(category["score"] * 100) for name, category in result["categories"].items()}, result


PAGE_TYPES = {"home": "", "article": "articles/karlov-ankara/", "claim": "claims/nine-shots/",
              "claims": "claims/", "source": "sources/reuters-gunman-riot-police-minister/", "sources": "sources/",
              "verdict": "verdicts/needs-context/", "verdicts": "verdicts/", "tag": "tags/numbers/", "tags": "tags/",
              "page": "methodology/", "search": "search/?q=Aleppo", "404": "no-such-page/"}


@pytest.mark.parametrize("viewport", ["desktop", "mobile"])
def test_screenshots_of_every_page_type(browser: Browser, real_url: str, viewport: str) -> None:
    size = {"desktop": {"width": 1400, "height": 1000}, "mobile": {"width": 375, "height": 812}}[viewport]
    context = browser.new_context(viewport=size, is_mobile=viewport == "mobile", has_touch=viewport == "mobile")
    page = context.new_page()
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for kind, path in PAGE_TYPES.items():
        page.goto(real_url + path)
        if kind == "search":
            page.locator(".search-results li").first.wait_for()
        target = folder / f"{kind}-{viewport}.png"
        page.screenshot(path=str(target), full_page=False)
        assert_screenshot_shows(page, target, ".search-results li" if kind == "search" else "h1")
    context.close()


def test_the_gates_catch_a_broken_site(page: Page, tmp_path: Path) -> None:
    """A broken link, an inline script and a form control without a label are each caught."""
    root = copy_site(SITES / "basic", tmp_path / "site")
    build(root)
    public = root / "public"
    claim = public / "claims/built-1962/index.html"
    claim.write_text(claim.read_text().replace('href="../../tags/dates-and-times/"', 'href="../../tags/no-such-tag/"'))
    about = public / "about/index.html"
    about.write_text(about.read_text().replace("</main>", "<script>document.title = 'x'</script></main>"))
    search = public / "search/index.html"
    search.write_text(search.read_text().replace('<label for="q">Search the checks, sources and articles</label>',
                                                 ""))
    server = StaticSite(public, REPO / "netlify.toml")
    try:
        faults = "\n".join(crawl(page, server.url).faults)
        assert "claims/built-1962/: broken link" in faults and "tags/no-such-tag/" in faults
        assert "about/: inline style or script" in faults
        assert "about/: console error: Executing inline script violates" in faults  # the CSP blocked it
        page.goto(server.url + "search/")
        violations = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
        assert "label" in violations.generate_report()
        assert violations.violations_count >= 1
    finally:
        server.stop()


def test_pages_are_served_with_netlify_headers(page: Page, real_url: str) -> None:
    response = page.goto(real_url + "claims/nine-shots/")
    assert response is not None
    headers = response.headers
    assert headers["content-security-policy"].startswith("default-src 'none'; script-src 'self'")
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["strict-transport-security"].startswith("max-age=")
    css = page.locator("link[rel=stylesheet]").get_attribute("href")
    asset = page.request.get(real_url + "claims/nine-shots/" + str(css))
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_the_data_files_and_only_they_can_be_read_from_another_origin(page: Page, real_url: str,
                                                                     tmp_path: Path) -> None:
    """A page of another site (another port: another origin) fetches the shared data, and nothing else."""
    (tmp_path / "index.html").write_text("<!doctype html><title>elsewhere</title>")
    (tmp_path / "no-headers.toml").write_text("")
    elsewhere = StaticSite(tmp_path, tmp_path / "no-headers.toml")
    try:
        page.goto(elsewhere.url)
        read = "async (url) => { try { return (await fetch(url)).status; } catch (e) { return 'refused'; } }"
        shared = ["claims.json", "claims.csv", "annotations.jsonld", "feed.xml", "feed/2.xml",
                  "schemas/claims.schema.json", "articles/karlov-ankara/text.txt"]
        assert {path: page.evaluate(read, real_url + path) for path in shared} == dict.fromkeys(shared, 200)
        for private in ("", "claims/nine-shots/", "articles/karlov-ankara/notes.json", "sitemap.xml"):
            assert page.evaluate(read, real_url + private) == "refused", private
    finally:
        elsewhere.stop()

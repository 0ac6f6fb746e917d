"""The links readers look for: every page's footer leads to the site's pages, the feed and the data files."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from crawl import crawl
from playwright.sync_api import Page

DATA = {"Feed of new checks": "feed.xml", "All claims (JSON)": "claims.json", "All claims (CSV)": "claims.csv",
        "Annotations (JSON-LD)": "annotations.jsonld"}
PAGES = {"About": "about/", "Methodology": "methodology/"}  # the fixture site's pages


def test_every_footer_link_resolves_from_every_page(page: Page, fixture_url: str) -> None:
    """The crawler visits every page; each page's footer holds the same links, and each leads where it says."""
    report = crawl(page, fixture_url)
    assert report.faults == []
    assert len(report.pages) > 20
    page.goto(fixture_url + "no/such/page/")  # the 404 page too, from any depth
    footers = {url: facts["footer"] for url, facts in report.pages.items()}
    footers["404"] = page.locator("footer a[href]").evaluate_all("links => links.map(a => [a.textContent, a.href])")
    expected = {name: fixture_url + path for name, path in {**PAGES, **DATA}.items()}
    for url, links in footers.items():
        named = {name: href for name, href in links if name in expected}
        assert named == expected, url
    for name, path in PAGES.items():
        assert fixture_url + path in report.pages  # crawled: it answered 200 with a page
        assert report.pages[fixture_url + path]["title"].startswith(name)
    body = {name: page.request.get(fixture_url + path) for name, path in DATA.items()}
    assert {name: response.status for name, response in body.items()} == dict.fromkeys(DATA, 200)
    feed = ET.fromstring(body["Feed of new checks"].body())
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    claims = json.loads(body["All claims (JSON)"].body())
    rows = list(csv.DictReader(io.StringIO(body["All claims (CSV)"].text())))
    assert len(rows) == len(claims["claims"]) > 0
    annotations = json.loads(body["Annotations (JSON-LD)"].body())
    assert "@context" in annotations

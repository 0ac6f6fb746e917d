"""annotations.jsonld read by a real Web Annotation client: Apache Annotator anchors every selector in Chromium.

The client is @apache-annotator/dom from npm, bundled for the page by esbuild; it resolves each
annotation's TextQuoteSelector and TextPositionSelector on the DOM of the resource the target names.
"""

from __future__ import annotations

import json
import subprocess
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page
from sitekit import REPO

ANCHOR_ALL = """async (annotations) => {
  const {createTextQuoteSelectorMatcher, createTextPositionSelectorMatcher} = window.apacheAnnotator;
  const results = [];
  for (const annotation of annotations) {
    const [quote, position] = annotation.target.selector;
    const byQuote = [];
    for await (const range of createTextQuoteSelectorMatcher(quote)(document.body)) byQuote.push(range);
    const byPosition = [];
    for await (const range of createTextPositionSelectorMatcher(position)(document.body)) byPosition.push(range);
    results.push({id: annotation.id, quotes: byQuote.map(r => r.toString()),
                  position: byPosition.map(r => r.toString()),
                  sameRange: byQuote.length === 1 && byPosition.length === 1
                    && byQuote[0].compareBoundaryPoints(Range.START_TO_START, byPosition[0]) === 0
                    && byQuote[0].compareBoundaryPoints(Range.END_TO_END, byPosition[0]) === 0});
  }
  return results;
}"""


@pytest.fixture(scope="session")
def annotator(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Apache Annotator's DOM package as one script that sets `window.apacheAnnotator`."""
    out = tmp_path_factory.mktemp("annotator") / "annotator.js"
    subprocess.run([str(REPO / "node_modules/.bin/esbuild"), str(Path(__file__).with_name("annotator_entry.js")),
                    "--bundle", "--format=iife", f"--outfile={out}", "--log-level=warning"], check=True, cwd=REPO)
    return out.read_text()


@pytest.mark.parametrize("site, slug", [("fixture", "harbour-fire"), ("real", "karlov-ankara")])
def test_apache_annotator_anchors_every_annotation_on_its_target(page: Page, built_sites, annotator: str,
                                                                  site: str, slug: str) -> None:
    url = built_sites[site].url
    with urllib.request.urlopen(url + "annotations.jsonld") as response:
        items = json.load(response)["first"]["items"]
    mine = [item for item in items if item["target"]["scope"]["id"].endswith(f"/articles/{slug}/")]
    assert mine and all(item["target"]["source"]["id"].endswith(f"/articles/{slug}/text.txt") for item in mine)
    page.goto(url + f"articles/{slug}/text.txt")  # the target's source, at this server's address
    page.evaluate(annotator)
    results = page.evaluate(ANCHOR_ALL, mine)
    exact = {item["id"]: item["target"]["selector"][0]["exact"] for item in mine}
    failed = [r for r in results if r["quotes"] != [exact[r["id"]]] or r["position"] != [exact[r["id"]]]
              or not r["sameRange"]]
    assert len(results) == len(mine) and failed == []

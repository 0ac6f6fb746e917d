"""A claim page leads with the finding, and every link that lists claims is named verdict-first."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from sitekit import REPO

from site_builder.build import build

pytestmark = pytest.mark.slow  # every test reads the Karlov site, built once (about a second)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


@pytest.fixture(scope="module")
def karlov(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("karlov") / "out"
    build(REPO, out, search=False, workers=1)
    return out


def _claim(claim_id: str) -> dict:
    return yaml.safe_load((REPO / f"content/articles/karlov-ankara/claims/{claim_id}.yaml").read_text())


def test_the_h1_is_verdict_first_and_the_two_boxes_come_before_the_explanation(karlov: Path):
    page = (karlov / "claims/gunman-special-forces-bullet/index.html").read_text(encoding="utf-8")
    claim = _claim("gunman-special-forces-bullet")
    h1 = _text(re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1))
    assert h1 == f"Inaccurate: Claim: {claim['claim']}"
    claimed = page.index('<h2 id="claimed-heading">What was claimed</h2>')
    verdict = page.index('<h2 id="verdict-heading">Our verdict</h2>')
    assert page.index("</h1>") < claimed < verdict < page.index('id="in-context"') < page.index('id="finding"')
    box = page[claimed:verdict]
    assert html.escape(claim["quote"], quote=True).replace("&#x27;", "&#39;") in box
    assert "Claimed by MailOnline" in _text(box) and "19 December 2016" in _text(box)
    box = _text(page[verdict:page.index('id="in-context"')])
    assert "Inaccurate" in box and " ".join(claim["summary"].split()) in box


def test_lists_of_claims_name_their_links_verdict_first_and_show_the_finding(karlov: Path):
    page = (karlov / "verdicts/inaccurate/index.html").read_text(encoding="utf-8")
    items = re.findall(r'<li class="claim-item">(.*?)</li>', page, re.S)
    assert len(items) == 4
    for item in items:
        claim_id = re.search(r'href="\.\./\.\./claims/([^/]+)/"', item).group(1)
        claim = _claim(claim_id)
        name = _text(re.search(r"<a [^>]*>(.*?)</a>", item, re.S).group(1))
        assert name == f"Inaccurate: {' '.join(claim['claim'].split())}"
        assert " ".join(claim["summary"].split()) in _text(item)
    claim_page = (karlov / "claims/caption-gunman-burst-in/index.html").read_text(encoding="utf-8")
    pager = re.findall(r'<a rel="(?:prev|next)" [^>]*>(.*?)</a>', claim_page)
    assert pager and all(re.match(r"(Previous|Next): (Accurate|Mostly accurate|Needs context|Unproven or disputed|"
                                  r"Inaccurate|Opinion|Not checkable): ", _text(name)) for name in pager)

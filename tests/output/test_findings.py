"""The article page leads with what we found: the rated claims below the top of the scale, worst first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from sitekit import REPO

from site_builder.build import build, compile_site
from site_builder.output.findings import article_findings


def _claims_below_top(root: Path, slug: str) -> list[tuple[int, str]]:
    """(rating, claim id) of the article's rated claims below the best rating, read from the files themselves."""
    config = yaml.safe_load((root / "content/site.yaml").read_text(encoding="utf-8"))
    ratings = {verdict["id"]: verdict.get("rating") for verdict in config["verdicts"]}
    best = max(rating for rating in ratings.values() if rating is not None)
    found = []
    for path in sorted((root / "content/articles" / slug / "claims").glob("*.yaml")):
        claim = yaml.safe_load(path.read_text(encoding="utf-8"))
        rating = ratings[claim["verdict"]]
        if rating is not None and rating < best and claim.get("status", "published") == "published":
            found.append((rating, path.stem))
    return found


def _listed(page: str) -> list[str]:
    section = page[page.index('<section id="findings"'):]
    section = section[:section.index("</section>")]
    return re.findall(r'<a class="finding-link" href="\.\./\.\./claims/([^/]+)/">', section)


@pytest.mark.slow
def test_the_karlov_page_lists_every_claim_below_accurate_worst_first(tmp_path: Path):
    build(REPO, tmp_path / "out", search=False, workers=1)
    page = (tmp_path / "out/articles/karlov-ankara/index.html").read_text(encoding="utf-8")
    listed = _listed(page)
    expected = _claims_below_top(REPO, "karlov-ankara")
    assert sorted(listed) == sorted(claim_id for _, claim_id in expected)
    rating = dict((claim_id, value) for value, claim_id in expected)
    assert [rating[claim_id] for claim_id in listed] == sorted(rating[claim_id] for claim_id in listed)
    assert rating[listed[0]] == 1 and len(listed) == 48
    # before the article text and its tally, and the article's finding is its description for shared links
    assert page.index('id="findings"') < page.index('class="tally"') < page.index('class="article-text"')
    finding = yaml.safe_load((REPO / "content/articles/karlov-ankara/article.yaml").read_text())["finding"]
    assert finding.startswith("Most of what the article reports holds up")
    assert '<meta name="description" content="Most of what the article reports holds up' in page
    # the label leads each link's name, and unrated checks are counted, not listed
    assert 'href="../../claims/he-alleged-misattribution/"><span class="badge r-1">Inaccurate</span>' in page
    assert "61 checks rated <a" in page and "2 not rated (opinion or not checkable)" in page
    assert 'href="../../claims/diken-unnamed-witness/"' not in page[:page.index('class="tally"')]


def test_another_scale_lists_below_its_own_top_and_skips_drafts(basic_site: Path):
    graph = compile_site(basic_site).graph
    findings = article_findings(graph, "harbour-fire")
    assert findings.listed == ("friday-fire", "twelve-crews")  # inaccurate (1) before needs context (3)
    assert (findings.top, findings.top_id, findings.unrated) == (4, "accurate", 1)


def test_a_scale_without_a_five_has_its_own_top(make_site):
    root = make_site({"content/site.yaml": """
        title: Mini
        base_url: https://mini.example/
        language: en
        description: A minimal site.
        publisher: {name: Mini Desk, url: "https://mini.example/"}
        verdicts:
          - {id: correct, label: "True", description: Correct., rating: 4}
          - {id: half, label: Half true, description: Partly., rating: 2}
        """, "content/articles/story/claims/ten-people.yaml": """
        quote: Ten people saw it.
        claim: Ten people saw the sky.
        verdict: correct
        summary: The almanac counts ten.
        sources:
          - source: almanac
            quote: ten witnesses
        """})
    findings = article_findings(compile_site(root).graph, "story")
    assert (findings.listed, findings.top, findings.top_label) == ((), 1, "True")


def _mark_classes(page: str) -> dict[str, set[str]]:
    """Each highlighted passage's classes, by the first claim it carries."""
    return {claims.split()[0]: set(classes.split()) for classes, claims
            in re.findall(r'<mark class="([^"]*)" data-claims="([^"]*)">', page)}


@pytest.mark.slow
def test_passages_at_the_top_of_any_scale_are_quiet(tmp_path: Path):
    """The quiet class follows the site's own best rating: 5 on the fixture's 5/3/1 scale, 3 once 5 is gone."""
    from sitekit import SITES, copy_site
    root = copy_site(SITES / "basic", tmp_path / "basic")
    build(root, tmp_path / "out", search=False, workers=1, cards=False)
    marks = _mark_classes((tmp_path / "out/articles/harbour-fire/index.html").read_text(encoding="utf-8"))
    assert "top" in marks["grain-tonnes"] and "r-5" in marks["grain-tonnes"]  # accurate
    assert "top" not in marks["best-response"] and "top" not in marks["twelve-crews"]
    site = root / "content/site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("    rating: 5\n", ""), encoding="utf-8")
    build(root, tmp_path / "out2", search=False, workers=1, cards=False)
    marks = _mark_classes((tmp_path / "out2/articles/harbour-fire/index.html").read_text(encoding="utf-8"))
    assert "r-none" in marks["grain-tonnes"] and "top" not in marks["grain-tonnes"]  # accurate, now unrated
    needs_context = [claim for claim, classes in marks.items() if "r-3" in classes]
    assert needs_context and all("top" in marks[claim] for claim in needs_context)


def _article_page(tmp_path: Path, edit=None) -> str:
    """The fixture's article page, built after `edit(root)` changed its copy of the site."""
    from sitekit import SITES, copy_site
    root = copy_site(SITES / "basic", tmp_path / "site")
    if edit:
        edit(root / "content/articles/harbour-fire")
    build(root, tmp_path / "out", search=False, workers=1, cards=False)
    return (tmp_path / "out/articles/harbour-fire/index.html").read_text(encoding="utf-8")


def test_a_headline_opening_the_text_is_not_shown_twice(tmp_path: Path):
    """text.md opens with `# Headline`: the headline is the text's first heading and the h1 names the check."""
    title = "Fire breaks out at Eastport harbour warehouse"
    page = _article_page(tmp_path / "a")
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S) == ["Fact-check of an article by The Eastport Courier"]
    headings = re.findall(r"<h[2-6] class=\"block\">(.*?)</h[2-6]>", page, re.S)
    assert title in re.sub(r"<[^>]+>", "", headings[0])
    assert "<h1" in page and re.sub(r"<[^>]+>", "", page).count(title) == 1 + page.count(f"<title>Fact-check: {title}")

    def headline_as_a_paragraph(folder: Path) -> None:
        text = folder / "text.md"
        text.write_text(text.read_text(encoding="utf-8").replace(f"# {title}", title, 1), encoding="utf-8")
    page = _article_page(tmp_path / "b", headline_as_a_paragraph)
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S) == [title]  # the text has no headline: the h1 is it
    assert '<p class="kicker">Fact-check of an article by The Eastport Courier</p>' in page


def test_the_meta_line_has_no_stray_dot_without_date_or_author(tmp_path: Path):
    def no_date_author_or_address(folder: Path) -> None:
        meta = folder / "article.yaml"
        kept = [line for line in meta.read_text(encoding="utf-8").splitlines(keepends=True)
                if not line.startswith(("published:", "authors:", "url:"))]
        meta.write_text("".join(kept), encoding="utf-8")
    page = _article_page(tmp_path, no_date_author_or_address)
    line = re.search(r'<p class="meta"[^>]*>(.*?)</p>', page, re.S)
    assert line is not None
    assert re.sub(r"<[^>]+>", "", line.group(1)).strip() == "7 checks what we checked and why"  # "·" is drawn by CSS
    assert line.group(1).startswith("<span>7 checks</span>")


def test_each_marker_is_named_verdict_first_with_its_place(tmp_path: Path):
    page = _article_page(tmp_path)
    names = dict(re.findall(r'data-claim="([^"]+)" aria-label="([^"]+)"', page))
    assert names["friday-fire"] == "Inaccurate: check 2 of 7"
    assert names["twelve-crews"].startswith("Needs context: check ")
    assert set(names) == {"headline", "friday-fire", "crews-hours", "best-response", "built-1962", "grain-tonnes",
                          "twelve-crews"}  # the draft (no-one-hurt) is left out

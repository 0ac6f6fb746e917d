"""The desk (issue 21): claimants with report cards, repeats linked both ways, possible repeats, sign-off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sitekit import add_theme, as_written, write_files

from site_builder.build import compile_site
from site_builder.cli import main
from site_builder.errors import BuildFailed

SITE = """
    title: Desk
    base_url: https://desk.example/
    language: en
    description: Two articles.
    publisher: {name: Desk Checks, url: "https://desk.example/"}
    verdicts:
      - {id: accurate, label: Accurate, description: Correct., rating: 5}
      - {id: inaccurate, label: Inaccurate, description: Wrong., rating: 1}
    """
FIRST = "content/articles/first/claims/"
SECOND = "content/articles/second/claims/"
FILES = {
    "content/site.yaml": SITE,
    "content/sources/almanac.yaml": """
        title: The Almanac
        publisher: Almanac Press
        url: https://almanac.example/sky
        kind: reference
        """,
    "content/claimants/ann-lee.yaml": """
        name: Ann Lee
        description: Mayor of Harbourtown
        kind: Person
        url: https://harbourtown.example/mayor
        aliases: [Mayor Lee]
        """,
    "content/people/first-pass.yaml": "name: First pass\nrole: the first check\n",
    "content/articles/first/article.yaml": "title: First\npublisher: The Paper\nsummary: One.\n",
    "content/articles/first/text.md": """
        # First

        The harbour bridge carried nine thousand cars every single day last year. Ann Lee said so.

        Rain fell on Tuesday.
        """,
    FIRST + "bridge-cars.yaml": """
        quote: The harbour bridge carried nine thousand cars every single day last year.
        claim: The bridge carried 9,000 cars a day.
        claimant: ann-lee
        verdict: inaccurate
        summary: The count was 6,000.
        checked: 2024-01-02
        sources: [{source: almanac, quote: six thousand}]
        """,
    FIRST + "rain.yaml": """
        quote: Rain fell on Tuesday.
        claim: It rained on Tuesday.
        claimant: Bob Stone
        verdict: accurate
        summary: It did.
        checked: 2024-01-03
        sources: [{source: almanac, quote: rain}]
        """,
    "content/articles/second/article.yaml": "title: Second\npublisher: The Courier\nsummary: Two.\n",
    "content/articles/second/text.md": """
        # Second

        Ann Lee repeated that the harbour bridge carried nine thousand cars every single day last year.

        The bridge was busy last year and every day many cars crossed.

        She also said taxes fell.
        """,
    SECOND + "taxes.yaml": """
        quote: She also said taxes fell.
        claim: Taxes fell.
        claimant: Mayor Lee
        verdict: accurate
        summary: They fell.
        checked: 2024-02-01
        sources: [{source: almanac, quote: taxes}]
        """,
}


def make(tmp_path: Path, changes: dict[str, str] | None = None) -> Path:
    return add_theme(write_files(tmp_path / "site", {**FILES, **(changes or {})}))


def test_a_claimant_with_claims_in_both_articles_gets_one_page_with_the_counts(tmp_path, capsys):
    root = make(tmp_path)
    assert main(["build", "--no-search", "--root", str(root)]) == 0
    page = (root / "public/claimants/ann-lee/index.html").read_text()
    assert "2 statement(s) checked" in page  # one per article, the alias `Mayor Lee` included
    assert "Inaccurate: 1" in page and "Accurate: 1" in page
    assert page.index("Taxes fell.") < page.index("The bridge carried 9,000 cars a day.")  # newest first
    index = (root / "public/claimants/index.html").read_text()
    assert index.index("Ann Lee") < index.index("Bob Stone")
    claim_page = (root / "public/claims/taxes/index.html").read_text()
    assert '<a href="../../claimants/ann-lee/">Ann Lee</a>' in claim_page
    review = json.loads(claim_page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Ann Lee",
                                                "sameAs": "https://harbourtown.example/mayor"}
    assert review["author"]["name"] == "Desk Checks"


def test_a_free_text_claimant_gets_a_page_and_a_warning(tmp_path, capsys):
    root = make(tmp_path, {"content/claimants/bob-stones.yaml": "name: Bob Stones\n"})
    assert main(["build", "--no-search", "--root", str(root)]) == 0
    err = capsys.readouterr().err
    assert (f"{FIRST}rain.yaml:3:11: warning[unknown-claimant]: claimant 'Bob Stone' has no file in "
            "content/claimants/") in err
    assert "did you mean 'bob-stones'?" in err
    assert "1 statement(s) checked" in (root / "public/claimants/bob-stone/index.html").read_text()


def test_repeat_of_links_both_ways_and_counts_on_the_card(tmp_path):
    root = make(tmp_path, {SECOND + "bridge-again.yaml": """
        quote: Ann Lee repeated that the harbour bridge carried nine thousand cars every single day last year.
        claim: The bridge carried 9,000 cars a day.
        claimant: Ann Lee
        verdict: inaccurate
        summary: Still 6,000.
        repeat_of: bridge-cars
        sources: [{source: almanac, quote: six thousand}]
        """})
    assert main(["build", "--no-search", "--root", str(root)]) == 0
    repeat = (root / "public/claims/bridge-again/index.html").read_text()
    assert "Checked before" in repeat and 'href="../../claims/bridge-cars/"' in repeat
    first = (root / "public/claims/bridge-cars/index.html").read_text()
    assert "Repeated in" in first and 'href="../../claims/bridge-again/"' in first
    card = (root / "public/claimants/ann-lee/index.html").read_text()
    assert "3 statement(s) checked, 1 of them repeats" in card


@pytest.mark.parametrize(("target", "where", "expected"), [
    ("nowhere", SECOND, "error[unknown-repeat]: 'repeat_of' names no other claim: 'nowhere'"),
    ("rain", FIRST, "error[repeat-same-article]: 'rain' is in the same article (first)"),
    ("bridge-again", SECOND, "error[repeat-of-repeat]: 'bridge-again' is itself a repeat of 'bridge-cars'"),
])
def test_repeat_of_errors(tmp_path, capsys, target, where, expected):
    files = {SECOND + "bridge-again.yaml": "quote: She also said taxes fell.\nclaim: Taxes.\nverdict: accurate\n"
             "summary: S.\nrepeat_of: bridge-cars\nsources: [{source: almanac, quote: x}]\n",
             where + "bad.yaml": "quote: Rain fell on Tuesday.\nclaim: Rain.\nverdict: accurate\nsummary: S.\n"
             f"repeat_of: {target}\nsources: [{{source: almanac, quote: x}}]\n"}
    root = make(tmp_path, files)
    assert main(["check", "--root", str(root)]) == 1
    assert f"{where}bad.yaml:5:12: {expected}" in capsys.readouterr().err


def test_a_near_verbatim_repeat_is_noted_and_common_words_are_not(tmp_path):
    compiled = compile_site(make(tmp_path))
    notes = [problem for problem in compiled.problems if problem.code == "possible-repeat"]
    assert [(note.origin.path, note.origin.line) for note in notes] == [("content/articles/second/text.md", 3)]
    assert "claim 'bridge-cars' (content/articles/first/claims/bridge-cars.yaml)" in notes[0].message
    assert notes[0].severity == "info"


REVIEWED = {"content/site.yaml": as_written(SITE) + "review: {required: 1}\n",
            FIRST + "rain.yaml": as_written(FILES[FIRST + "rain.yaml"])
            + "checked_by: [first-pass]\nreviewed_by: [Editor Two]\n",
            SECOND + "taxes.yaml": as_written(FILES[SECOND + "taxes.yaml"]) + "checked_by: [Ann]\nreviewed_by: [Bo]\n"}


@pytest.mark.parametrize(("signoff", "expected"), [
    ("checked_by: [first-pass]\n", f"{FIRST}bridge-cars.yaml:1:1: error[unreviewed]: this claim is not reviewed"),
    ("checked_by: [first-pass]\nreviewed_by: [first-pass]\n",
     f"{FIRST}bridge-cars.yaml:9:14: error[unreviewed]: this claim is reviewed only by its checkers"),
])
def test_review_rule_fails_the_build_passes_with_drafts_and_lists_the_claim(tmp_path, capsys, signoff, expected):
    files = {**REVIEWED, FIRST + "bridge-cars.yaml": as_written(FILES[FIRST + "bridge-cars.yaml"]) + signoff}
    root = make(tmp_path, files)
    assert main(["build", "--no-search", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert expected in err and err.count("error[unreviewed]") == 1
    assert main(["build", "--no-search", "--drafts", "--root", str(root)]) == 0
    assert "Not yet reviewed" in (root / "public/claims/bridge-cars/index.html").read_text()
    assert "Not yet reviewed" not in (root / "public/claims/rain/index.html").read_text()
    assert '<a href="../../desk/#first-pass">First pass</a>' in (root / "public/claims/rain/index.html").read_text()
    capsys.readouterr()
    assert main(["claims", "--root", str(root), "--status", "unreviewed", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [row["id"] for row in listed] == ["bridge-cars"]
    assert main(["claims", "--root", str(root), "--strict"]) == 1


def test_claims_lists_the_work_and_filters(tmp_path, capsys):
    root = make(tmp_path, REVIEWED)
    with pytest.raises(BuildFailed):
        compile_site(root)  # bridge-cars has no checker yet
    assert main(["claims", "--root", str(root), "--by", "Bo", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "id,article,verdict,status,checked_by,reviewed_by,checked,file"
    assert out[1:] == ["taxes,second,accurate,published,Ann,Bo,2024-02-01,content/articles/second/claims/taxes.yaml"]
    assert main(["claims", "--root", str(root), "--claimant", "ann-lee", "--verdict", "inaccurate"]) == 0
    table = capsys.readouterr().out
    assert "bridge-cars" in table and "taxes" not in table


def test_shingles_fold_case_and_accents():
    from site_builder.repeats import shingles
    assert shingles("Erdoğan SAID the Gülen movement") == shingles("erdogan said the gulen movement")
    assert ("erdogan", "said", "the") in shingles("Erdoğan said the")
    assert shingles("two words") == set()

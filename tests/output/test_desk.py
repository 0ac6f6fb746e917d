"""The desk (issue 21, output/desk.py and desk_pages.py): claimants with report cards, repeats linked both ways."""

from __future__ import annotations

import json

from deskkit import FIRST, SECOND, make

from site_builder.commands.cli import main


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

"""The desk's fixture site (issue 21): two articles, a claimant file with an alias, a person, a free-text claimant."""

from __future__ import annotations

from pathlib import Path

from sitekit import add_theme, as_written, write_files

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


REVIEWED = {"content/site.yaml": as_written(SITE) + "review: {required: 1}\n",
            FIRST + "rain.yaml": as_written(FILES[FIRST + "rain.yaml"])
            + "checked_by: [first-pass]\nreviewed_by: [Editor Two]\n",
            SECOND + "taxes.yaml": as_written(FILES[SECOND + "taxes.yaml"]) + "checked_by: [Ann]\nreviewed_by: [Bo]\n"}

"""`rename claim|source OLD NEW`: the file and every reference, edited in place (comments and layout kept)."""

from __future__ import annotations

import pytest

from site_builder.commands.cli import main

STORY = "content/articles/story"
BLUE = """\
# A second check; the first one is related.
quote: The sky was blue on Monday.
occurrence: 1
claim: The sky was blue.
verdict: opinion
summary: A view of the sky.
related:
  - ten-people   # the count of witnesses
  - "ten-people"
"""


@pytest.mark.slow
def test_renaming_a_claim_moves_its_file_and_rewrites_every_related_id(make_site, capsys):
    root = make_site({f"{STORY}/claims/blue-sky.yaml": BLUE})
    assert main(["build", "--root", str(root), "--no-search"]) == 0
    capsys.readouterr()
    assert main(["rename", "--root", str(root), "claim", "ten-people", "ten-witnesses"]) == 0
    assert capsys.readouterr().out == (f"{STORY}/claims/ten-people.yaml -> {STORY}/claims/ten-witnesses.yaml\n"
                                       f"{STORY}/claims/blue-sky.yaml:8: ten-people -> ten-witnesses\n"
                                       f"{STORY}/claims/blue-sky.yaml:9: ten-people -> ten-witnesses\n")
    assert (root / STORY / "claims/blue-sky.yaml").read_text() == BLUE.replace("ten-people", "ten-witnesses")
    assert not (root / STORY / "claims/ten-people.yaml").exists()
    assert main(["build", "--root", str(root), "--no-search"]) == 0
    assert (root / "public/claims/ten-witnesses/index.html").is_file()


def test_renaming_a_source_rewrites_each_citation_and_keeps_the_rest(make_site, capsys):
    root = make_site()
    claim = root / STORY / "claims/ten-people.yaml"
    before = claim.read_text()
    assert main(["rename", "--root", str(root), "source", "almanac", "sky-almanac"]) == 0
    assert capsys.readouterr().out == ("content/sources/almanac.yaml -> content/sources/sky-almanac.yaml\n"
                                       f"{STORY}/claims/ten-people.yaml:6: almanac -> sky-almanac\n")
    assert claim.read_text() == before.replace("source: almanac", "source: sky-almanac")
    assert main(["check", "--root", str(root)]) == 0


def test_rename_refuses_a_taken_or_unsafe_id_and_an_unknown_one(make_site, capsys):
    root = make_site({f"{STORY}/claims/blue-sky.yaml": BLUE})
    assert main(["rename", "--root", str(root), "claim", "ten-people", "blue-sky"]) == 2
    assert capsys.readouterr().err == "site-builder: error: a claim 'blue-sky' already exists; nothing was changed\n"
    assert main(["rename", "--root", str(root), "claim", "ten-people", "Ten People"]) == 2
    assert "is not a safe id" in capsys.readouterr().err
    assert main(["rename", "--root", str(root), "source", "almanack", "x"]) == 2
    assert capsys.readouterr().err == ("site-builder: error: there is no source 'almanack' "
                                       "(content/sources/almanack.yaml)\n")
    assert (root / STORY / "claims/ten-people.yaml").is_file() and (root / STORY / "claims/blue-sky.yaml").read_text() \
        == BLUE

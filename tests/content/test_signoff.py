"""The desk's rules across claims (content/signoff.py): `repeat_of` points at a first check, checks are signed off."""

from __future__ import annotations

import json

import pytest
from deskkit import FILES, FIRST, REVIEWED, SECOND, make
from sitekit import as_written

from site_builder.commands.cli import main


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


@pytest.mark.slow
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

"""The build cache's parsed files: an unchanged claim file is neither parsed nor checked again, a changed one
(or one whose article, scale or sources changed) is; an article whose files are unchanged is not anchored
again (anchored/); a damaged, foreign or planted file is ignored with one warning and never unpickled into
code; warm output and problems are those of a cold build."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from test_page_cache import edit, outcome, snapshot

from site_builder.build import build
from site_builder.content import checks
from site_builder.parallel import anchor, fanout, parsed_cache
from site_builder.parallel.page_cache import tool_version

CLAIMS = "content/articles/harbour-fire/claims"


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The claim files parsed (not taken from the cache) and checked, in this process."""
    seen: list[str] = []
    real_parse, real_claim = fanout.parse_file, checks._claim

    def parse(path: str, data: bytes):  # type: ignore[no-untyped-def]
        seen.append("parsed " + path)
        return real_parse(path, data)

    def claim(records, file, *rest):  # type: ignore[no-untyped-def]
        seen.append("checked " + file.path)
        return real_claim(records, file, *rest)

    monkeypatch.setattr(fanout, "parse_file", parse)
    monkeypatch.setattr(checks, "_claim", claim)
    return seen


def claim_files(root: Path) -> list[str]:
    return sorted(f"{CLAIMS}/{name}" for name in os.listdir(root / CLAIMS))


@pytest.mark.slow
def test_an_edited_claim_file_is_read_again_and_an_unchanged_one_is_not(basic_site, tmp_path, parsed):
    cache = tmp_path / "cache"
    build(basic_site, tmp_path / "first", drafts=True, search=False, workers=1, page_cache=cache)
    everything = claim_files(basic_site)
    assert sorted(p.split(" ", 1)[1] for p in parsed if p.startswith("parsed ")) == everything
    parsed.clear()
    build(basic_site, tmp_path / "again", drafts=True, search=False, workers=1, page_cache=cache)
    assert parsed == []
    edit(basic_site, f"{CLAIMS}/crews-hours.yaml", "lists twelve crews and", "lists 12 crews and")
    warm = outcome(basic_site, tmp_path / "warm", cache)
    assert parsed == [f"parsed {CLAIMS}/crews-hours.yaml", f"checked {CLAIMS}/crews-hours.yaml"]
    assert warm == outcome(basic_site, tmp_path / "cold", None)


@pytest.mark.slow
@pytest.mark.parametrize("path, old, new", [
    ("content/site.yaml", "rating: 3", "rating: 2"),  # the scale every claim is checked against
    ("content/sources/src-data.yaml", None, None),  # a source cited by claims is gone
    ("content/articles/harbour-fire/article.yaml", "title: Fire breaks out", "title: Fire at"),  # their article
])
def test_what_every_claim_is_checked_against_changing_checks_them_all_again(basic_site, tmp_path, parsed,
                                                                            path, old, new):
    cache = tmp_path / "cache"
    build(basic_site, tmp_path / "first", drafts=True, search=False, workers=1, page_cache=cache)
    if old is None:
        (basic_site / path).unlink()
    else:
        edit(basic_site, path, old, new)
    parsed.clear()
    warm = outcome(basic_site, tmp_path / "warm", cache)
    assert sorted(p.split(" ", 1)[1] for p in parsed if p.startswith("checked ")) == claim_files(basic_site)
    assert warm == outcome(basic_site, tmp_path / "cold", None)


@pytest.mark.slow
def test_a_fanned_out_warm_build_is_the_cold_build(basic_site, tmp_path, monkeypatch):
    """Workers in other processes read and write the same parsed files."""
    monkeypatch.setattr(fanout, "FAN_OUT_FROM", 0)
    cache = tmp_path / "cache"
    build(basic_site, tmp_path / "first", drafts=True, search=False, workers=2, page_cache=cache)
    assert list((cache / "parsed").iterdir())
    edit(basic_site, f"{CLAIMS}/crews-hours.yaml", "verdict: accurate", "verdict: misleading")  # an error
    edit(basic_site, f"{CLAIMS}/twelve-crews.yaml", "", "\n# a comment\n")
    warm = build_outcome(basic_site, tmp_path / "warm", cache, 2)
    assert warm[0] == "failed" and warm == build_outcome(basic_site, tmp_path / "cold", None, 2)


def build_outcome(root: Path, out: Path, cache: Path | None, workers: int):
    from site_builder.errors import BuildFailed
    try:
        result = build(root, out, drafts=True, search=False, workers=workers, page_cache=cache)
    except BuildFailed as failed:
        return "failed", failed.problems
    return snapshot(out), result.warnings


class Planted:
    """A pickle that would run a command if it were unpickled as pickle.load does."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return os.system, (f"touch {self.marker}",)


def planted(marker: Path) -> bytes:
    stamp = parsed_cache._stamp(tool_version())
    return pickle.dumps({"format": parsed_cache.FORMAT, "stamp": stamp, "entries": Planted(marker)})


@pytest.mark.slow
@pytest.mark.parametrize("damage, why", [
    (lambda files, _: [f.write_bytes(b"\x80\x05not a pickle") for f in files], "a parsed file is damaged"),
    (lambda files, _: [f.write_bytes(f.read_bytes()[:40]) for f in files], "a parsed file is damaged"),
    (lambda files, _: [f.write_bytes(pickle.dumps({"format": "site-builder parsed-file cache 0", "entries": {}}))
                       for f in files], "a parsed file was written by another version of site-builder"),
    (lambda files, marker: [f.write_bytes(planted(marker)) for f in files], "a parsed file is damaged"),
])
def test_a_damaged_parsed_file_is_ignored_with_one_warning_and_rewritten(basic_site, tmp_path, damage, why):
    cache, marker = tmp_path / "cache", tmp_path / "ran"
    build(basic_site, tmp_path / "first", drafts=True, search=False, workers=1, page_cache=cache)
    files = sorted((cache / "parsed").iterdir())
    assert files
    damage(files, marker)
    warm = build(basic_site, tmp_path / "warm", drafts=True, search=False, workers=1, page_cache=cache)
    cold = build(basic_site, tmp_path / "cold", drafts=True, search=False, workers=1)
    assert not marker.exists()
    assert [w.message for w in warm.warnings if w.code == "cache-ignored"] == [f"the build cache was not used: {why}"]
    assert [w for w in warm.warnings if w.code != "cache-ignored"] == cold.warnings
    assert snapshot(tmp_path / "warm") == snapshot(tmp_path / "cold")
    again = build(basic_site, tmp_path / "again", drafts=True, search=False, workers=1, page_cache=cache)
    assert not [w for w in again.warnings if w.code == "cache-ignored"]


@pytest.mark.slow
def test_parsed_files_behind_a_symbolic_link_are_neither_read_nor_written(basic_site, tmp_path):
    cache, outside = tmp_path / "cache", tmp_path / "outside"
    build(basic_site, tmp_path / "first", drafts=True, search=False, workers=1, page_cache=cache)
    (cache / "parsed").rename(outside)
    (cache / "parsed").symlink_to(outside)
    before = {path.name: path.read_bytes() for path in outside.iterdir()}
    edit(basic_site, f"{CLAIMS}/crews-hours.yaml", "lists twelve crews and", "lists 12 crews and")
    warm = build(basic_site, tmp_path / "warm", drafts=True, search=False, workers=1, page_cache=cache)
    assert [w.message for w in warm.warnings if w.code == "cache-ignored"] == [
        "the build cache was not used: it holds a symbolic link; delete it (`site-builder cache clear`)"]
    assert {path.name: path.read_bytes() for path in outside.iterdir()} == before


# The anchorings (anchored/, parallel/anchor.py): kept through the same class, and checked the same way.

ARTICLE = "content/articles/harbour-fire"


@pytest.fixture
def anchored(monkeypatch) -> list[str]:
    """The articles anchored (not taken from the cache), in this process."""
    seen: list[str] = []
    real = anchor.anchor_afresh

    def anchor_afresh(article, *rest):  # type: ignore[no-untyped-def]
        seen.append(article.slug)
        return real(article, *rest)

    monkeypatch.setattr(anchor, "anchor_afresh", anchor_afresh)
    return seen


@pytest.mark.slow
def test_an_article_is_anchored_again_only_when_its_files_change(basic_site, tmp_path, anchored):
    cache = tmp_path / "cache"
    build(basic_site, tmp_path / "first", drafts=True, search=False, workers=1, page_cache=cache)
    assert anchored == ["harbour-fire"] and list((cache / "anchored").iterdir())
    anchored.clear()
    build(basic_site, tmp_path / "again", drafts=True, search=False, workers=1, page_cache=cache)
    assert anchored == []
    edit(basic_site, f"{ARTICLE}/claims/crews-hours.yaml", "lists twelve crews and", "lists 12 crews and")
    warm = outcome(basic_site, tmp_path / "warm", cache)
    assert anchored == ["harbour-fire"]
    assert warm == outcome(basic_site, tmp_path / "cold", None)


@pytest.mark.slow
@pytest.mark.parametrize("path, old, new", [
    (f"{ARTICLE}/text.md", "Twelve fire crews", "Twelve crews"),  # a quote no longer found: an error
    (f"{ARTICLE}/claims/crews-hours.yaml", 'quote: "Twelve fire crews fought', 'quote: "Twelve fire  crews fought'),
    (f"{ARTICLE}/text.md", "", "\n\nOne more sentence nobody checked.\n"),  # a new unchecked-sentence warning
])
def test_a_warm_build_after_an_edit_anchoring_reads_is_the_cold_build(basic_site, tmp_path, path, old, new):
    cache = tmp_path / "cache"
    build(basic_site, tmp_path / "first", drafts=True, search=False, workers=1, page_cache=cache)
    edit(basic_site, path, old, new)
    assert outcome(basic_site, tmp_path / "warm", cache) == outcome(basic_site, tmp_path / "cold", None)
    edit(basic_site, path, new, old) if old else (basic_site / path).write_text(
        (basic_site / path).read_text(encoding="utf-8").replace(new, ""), encoding="utf-8")
    assert outcome(basic_site, tmp_path / "back", cache) == outcome(basic_site, tmp_path / "cold2", None)


def misshapen(file: Path) -> bytes:
    data = pickle.loads(file.read_bytes())  # our own file, just written: safe to load in full
    data["entries"] = {key: ("not", "an anchoring") for key in data["entries"]}
    return pickle.dumps(data)


@pytest.mark.slow
@pytest.mark.parametrize("damage", [
    lambda files, _: [f.write_bytes(b"\x80\x05not a pickle") for f in files],
    lambda files, _: [f.write_bytes(f.read_bytes()[:40]) for f in files],
    lambda files, _: [f.write_bytes(misshapen(f)) for f in files],
    lambda files, marker: [f.write_bytes(planted(marker)) for f in files],
])
def test_a_damaged_anchoring_is_ignored_with_one_warning_and_rewritten(basic_site, tmp_path, damage, anchored):
    cache, marker = tmp_path / "cache", tmp_path / "ran"
    build(basic_site, tmp_path / "first", drafts=True, search=False, workers=1, page_cache=cache)
    damage(sorted((cache / "anchored").iterdir()), marker)
    anchored.clear()
    warm = build(basic_site, tmp_path / "warm", drafts=True, search=False, workers=1, page_cache=cache)
    cold = build(basic_site, tmp_path / "cold", drafts=True, search=False, workers=1)
    assert not marker.exists() and anchored == ["harbour-fire"]  # the cold build anchors in text/anchor.py
    assert [w.message for w in warm.warnings if w.code == "cache-ignored"] == [
        "the build cache was not used: a parsed file is damaged"]
    assert [w for w in warm.warnings if w.code != "cache-ignored"] == cold.warnings
    assert snapshot(tmp_path / "warm") == snapshot(tmp_path / "cold")
    anchored.clear()
    again = build(basic_site, tmp_path / "again", drafts=True, search=False, workers=1, page_cache=cache)
    assert not [w for w in again.warnings if w.code == "cache-ignored"] and anchored == []

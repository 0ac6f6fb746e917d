"""A large build reads, validates and anchors in workers: the same site, and the same problems."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sitekit import REPO, SITES, copy_site
from test_errors_table import CASES

from site_builder.build import build, compile_site
from site_builder.errors import BuildFailed, Problem


@pytest.fixture
def fan_out_always(monkeypatch) -> list[int]:
    """Every site counts as large, so the workers run even for a fixture site; lists each fan-out's workers."""
    from site_builder.parallel import fanout as module
    monkeypatch.setattr(module, "FAN_OUT_FROM", 0)
    runs: list[int] = []
    real = module.load_and_remember

    def spy(root: Path, drafts: bool, workers: int, parsed=None):  # type: ignore[no-untyped-def]
        runs.append(workers)
        return real(root, drafts, workers, parsed)

    monkeypatch.setattr(module, "load_and_remember", spy)
    return runs


def outcome(root: Path, workers: int, drafts: bool = False) -> list[Problem]:
    """Every problem compiling `root` finds, errors or warnings, in a stable order."""
    try:
        return sorted(compile_site(root, drafts=drafts, workers=workers).problems)
    except BuildFailed as failed:
        return sorted(failed.problems)


@pytest.mark.slow
@pytest.mark.parametrize("site", ["basic", "versions", "karlov"])
@pytest.mark.parametrize("drafts", [False, True])
def test_fanned_out_build_is_the_same_build(site, drafts, tmp_path, fan_out_always):
    root = REPO if site == "karlov" else copy_site(SITES / site, tmp_path / site)
    serial = build(root, drafts=drafts, write=False, search=False, workers=1)
    fanned = build(root, drafts=drafts, write=False, search=False, workers=2)
    assert fanned.files == serial.files
    assert fanned.warnings == serial.warnings
    assert fan_out_always == [2]  # the serial build did not fan out; the other did


def test_fanned_out_build_reports_what_one_process_reports(tmp_path, fan_out_always):
    root = copy_site(SITES / "basic", tmp_path / "basic")
    claims = root / "content/articles/harbour-fire/claims"
    (claims / "crews-hours.yaml").write_text("quote: [unclosed\n")
    (claims / "leak.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    (tmp_path / "elsewhere.yaml").write_text("quote: secret\n")
    (claims / "notes.txt").write_text("not a claim\n")
    found = outcome(root, workers=2)
    assert found == outcome(root, workers=1) and fan_out_always == [2]
    assert {"yaml-syntax", "unsafe-path", "unexpected-file"} <= {problem.code for problem in found}


@pytest.mark.slow
@pytest.mark.parametrize("files", [case[1] for case in CASES], ids=[case[0] for case in CASES])
def test_every_broken_input_is_reported_the_same(make_site, fan_out_always, files):
    root = make_site(files)
    assert outcome(root, workers=2) == outcome(root, workers=1)
    assert fan_out_always == [2]


def test_sources_are_validated_once_not_once_per_article(tmp_path, monkeypatch):
    """With 2,000 sources and 1,000 articles, validating the sources for each article cost 1.2 s a process."""
    from site_builder.parallel import fanout
    root = copy_site(SITES / "basic", tmp_path / "basic")
    shutil.copytree(root / "content/articles/harbour-fire", root / "content/articles/harbour-fire-again")
    looked_at: list[int] = []
    real = fanout.scale_and_sources

    def spy(records, raw, problems):  # type: ignore[no-untyped-def]
        looked_at.append(len(raw.sources))
        return real(records, raw, problems)

    monkeypatch.setattr(fanout, "scale_and_sources", spy)
    fanout.load_and_remember(root, drafts=False, workers=1)
    assert len(looked_at) == 1 and looked_at[0] > 0


@pytest.mark.slow
def test_a_fanned_out_build_holds_each_quoted_passage_once(fan_out_always):
    """The claim's quote, its span and the article's segment are one string, not copies from each process."""
    graph = compile_site(REPO, workers=2).graph
    shared = 0
    for claim_id, claim in graph.claims.items():
        span = graph.anchored[claim.article].claim_spans[claim_id][0]
        if span.exact != claim.quote:  # a quote that differs in typography is its own string
            continue
        segments = [segment.text for view in graph.blocks[claim.article] for segment in view.segments
                    if segment.text == span.exact]
        assert span.exact is claim.quote and all(text is claim.quote for text in segments)
        shared += 1
    assert shared > 50 and fan_out_always == [2]

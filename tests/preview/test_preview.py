"""`Preview.rebuild` hands the pages the browsers show to `show` first, with the bytes it writes."""

from __future__ import annotations

from sitekit import SITES, copy_site

from site_builder.preview.preview import Preview

CLAIM = "content/articles/harbour-fire/claims/twelve-crews.yaml"
ARTICLE = "articles/harbour-fire/index.html"


def test_the_viewed_page_is_shown_first_with_the_bytes_written(tmp_path):
    root = copy_site(SITES / "basic", tmp_path / "site")
    preview = Preview(root, tmp_path / "out")
    assert not preview.rebuild().failed
    claim = root / CLAIM
    claim.write_text(claim.read_text().replace("summary: Twelve crews attended", "summary: Twelve crews came"))
    shown: list[tuple[str, bytes]] = []
    viewed = {ARTICLE, "claims/twelve-crews/index.html", "about/index.html"}  # the last one is not changed
    report = preview.rebuild({CLAIM}, viewed, lambda path, page: shown.append((path, page)))
    assert not report.failed
    assert {path for path, _ in shown} == {ARTICLE, "claims/twelve-crews/index.html"}
    assert report.rendered[:2] == [path for path, _ in shown]  # made before any other page
    for path, page in shown:
        assert page == (tmp_path / "out" / path).read_bytes() and b"Twelve crews came" in page
    assert len(report.rendered) > 2  # the lists showing the summary were made too, after


def test_without_viewers_the_order_and_the_bytes_are_the_plan_s(tmp_path):
    for name, viewed in (("alone", set()), ("viewed", {ARTICLE})):
        root = copy_site(SITES / "basic", tmp_path / name / "site")
        preview = Preview(root, tmp_path / name / "out")
        preview.rebuild()
        claim = root / CLAIM
        claim.write_text(claim.read_text().replace("summary: Twelve crews attended", "summary: Twelve crews came"))
        report = preview.rebuild({CLAIM}, viewed, lambda path, page: None)
        pages = {path: (tmp_path / name / "out" / path).read_bytes() for path in report.rendered}
        if name == "alone":
            alone, alone_order = pages, report.rendered
        else:
            assert pages == alone  # the same bytes, whatever comes first
            assert report.rendered[0] == ARTICLE and sorted(report.rendered) == sorted(alone_order)
            assert alone_order[0] != ARTICLE  # else the first test's ordering would prove nothing


def test_a_rebuild_swaps_in_a_whole_new_shown_and_leaves_the_old_one_as_it_was(tmp_path):
    import dataclasses

    import pytest
    root = copy_site(SITES / "basic", tmp_path / "site")
    preview = Preview(root, tmp_path / "out")
    preview.rebuild()
    old = preview.shown
    old_hashes, old_graph = dict(old.hashes), old.graph
    claim = root / CLAIM
    claim.write_text(claim.read_text().replace("summary: Twelve crews attended", "summary: Twelve crews came"))
    during = []
    preview.rebuild({CLAIM}, {ARTICLE}, lambda path, page: during.append(preview.shown))
    assert during == [old] and during[0] is old  # mid-rebuild, a request still sees the last rebuild's
    new = preview.shown
    assert new is not old and new.graph is not old_graph
    assert dict(old.hashes) == old_hashes and old.graph is old_graph  # the old one was not changed
    assert new.hashes[ARTICLE] != old_hashes[ARTICLE]
    with pytest.raises(dataclasses.FrozenInstanceError):
        new.graph = None  # type: ignore[misc]
    with pytest.raises(TypeError):
        new.hashes[ARTICLE] = "x"  # type: ignore[index]

    claim.write_text(claim.read_text().replace("verdict: needs-context", "verdict: needs-context: [x"))
    assert preview.rebuild({CLAIM}).failed
    failed = preview.shown
    assert failed.problems and failed.compiled is None  # the next save looks at every file again
    assert failed.graph is new.graph and failed.hashes == new.hashes  # the pages on disk are still those

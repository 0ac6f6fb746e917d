"""The build cache: a warm build gives the bytes a cold build gives, for every kind of edit the preview
knows; a corrupt, foreign or half-written cache is ignored with one warning; --no-cache and cache clear."""

from __future__ import annotations

import json
from pathlib import Path

import deskkit
import pytest
from editkit import EDITS

from site_builder.build import build, compile_site
from site_builder.commands.cli import main
from site_builder.errors import BuildFailed
from site_builder.output import render
from site_builder.output.inputs import job_inputs
from site_builder.output.plan import plan
from site_builder.parallel.page_cache import PageCache

MORE_EDITS = {  # what else a page reads: the templates, the assets, the archive, an article's versions
    "template": ("templates/base.html", "</body>", "<!-- edited --></body>"),
    "asset": ("assets/style.css", "}", "}\n/* edited */"),
    "page": ("content/pages/about.md", "", "\n\nOne more line.\n"),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, (relative, old)
    path.write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")


def outcome(root: Path, out: Path, cache: Path | None):
    """The files written, or the problems that stopped the build."""
    try:
        result = build(root, out, drafts=True, search=False, workers=1, page_cache=cache)
    except BuildFailed as failed:
        return "failed", failed.problems
    return snapshot(out), result.warnings


@pytest.mark.slow
@pytest.mark.parametrize("name", [*EDITS, *MORE_EDITS])
def test_a_warm_build_is_byte_identical_to_a_cold_one(basic_site, tmp_path, name):
    path, old, new = (EDITS[name][:3] if name in EDITS else MORE_EDITS[name])
    cache = tmp_path / "cache"
    build(basic_site, tmp_path / "first", drafts=True, search=False, workers=1, page_cache=cache)
    edit(basic_site, path, old, new)
    warm = outcome(basic_site, tmp_path / "warm", cache)
    cold = outcome(basic_site, tmp_path / "cold", None)
    assert warm == cold


DESK_EDITS = {  # the desk's own files (content/claimants/, content/people/): read beside the content, not in it
    "claimant description": ("content/claimants/ann-lee.yaml", "Mayor of Harbourtown", "Mayor of Harbour Town"),
    "claimant name": ("content/claimants/ann-lee.yaml", "name: Ann Lee", "name: Ann Lee-Stone"),
    "claimant alias": ("content/claimants/ann-lee.yaml", "aliases: [Mayor Lee]", "aliases: [Mayor Lee, Bob Stone]"),
    "claimant added": ("content/claimants/bob-stone.yaml", None, "name: Bob Stone\ndescription: A sailor\n"),
    "claimant removed": ("content/claimants/ann-lee.yaml", "", None),
    "person name": ("content/people/first-pass.yaml", "name: First pass", "name: Jo First"),
    "person role": ("content/people/first-pass.yaml", "role: the first check", "role: the first reading"),
    "person added": ("content/people/second.yaml", None, "name: Editor Two\nrole: the review\n"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", DESK_EDITS)
def test_a_warm_build_after_a_desk_edit_is_byte_identical_to_a_cold_one(tmp_path, name):
    path, old, new = DESK_EDITS[name]
    root = deskkit.make(tmp_path, deskkit.REVIEWED)
    cache = tmp_path / "cache"
    build(root, tmp_path / "first", drafts=True, search=False, workers=1, page_cache=cache)
    if new is None:
        (root / path).unlink()
    elif old is None:
        (root / path).write_text(new, encoding="utf-8")
    else:
        edit(root, path, old, new)
    warm = outcome(root, tmp_path / "warm", cache)
    cold = outcome(root, tmp_path / "cold", None)
    assert warm[0] != "failed" and warm == cold


@pytest.mark.slow
def test_a_warm_build_renders_only_the_pages_an_edit_reaches(basic_site, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    build(basic_site, tmp_path / "first", search=False, workers=1, page_cache=cache)
    rendered = []
    real = render.render_job
    monkeypatch.setattr(render, "render_job", lambda env, graph, job, assets: rendered.append(job.url)
                        or real(env, graph, job, assets))
    build(basic_site, tmp_path / "again", search=False, workers=1, page_cache=cache)
    assert rendered == []
    edit(basic_site, "content/articles/harbour-fire/claims/crews-hours.yaml", "lists twelve crews and",
         "lists 12 crews and")
    build(basic_site, tmp_path / "edited", search=False, workers=1, page_cache=cache)
    assert "claims/crews-hours/" in rendered and "claims/crews-hours/embed/" in rendered and "claims/" in rendered
    assert "methodology/" not in rendered and len(rendered) < 21  # 20 with the claim's embed page (issue 20)
    build(basic_site, tmp_path / "cold", search=False, workers=1)
    assert snapshot(tmp_path / "edited") == snapshot(tmp_path / "cold")


def test_a_page_key_changes_with_each_file_the_page_reads_and_no_other(basic_site, tmp_path):
    """The key is a hash of the set of files a page reads (`job_inputs`, and the articles of the claims it shows):
    a changed digest of any one of them, and of nothing else, gives the page a new key."""
    compiled = compile_site(basic_site, drafts=True)
    graph, digests = compiled.graph, compiled.digests
    jobs = plan(graph)
    cache = PageCache(tmp_path / "cache", "stamp", "tool", {}, [])
    keys = cache.keys(jobs, graph, digests)
    assert len(set(keys.values())) == len(jobs)
    articles = {slug: {a.origin.path, a.text_path, *(v.path for v in a.versions)} for slug, a in graph.articles.items()}
    of_claim = {claim.origin.path: articles[claim.article] for claim in graph.claims.values()}
    reads = {}
    for job in jobs:
        inputs = job_inputs(job, graph)
        reads[job.url] = inputs.union(*(of_claim[path] for path in inputs if path in of_claim))
    for path in digests:
        changed = cache.keys(jobs, graph, {**digests, path: "0" * 40})
        assert {url for url in keys if changed[url] != keys[url]} == {url for url in keys if path in reads[url]}, path
    assert cache.keys(jobs, graph, dict(reversed(digests.items()))) == keys


def warm_after(basic_site: Path, tmp_path: Path, damage) -> tuple[dict[str, bytes], list, dict[str, bytes]]:
    """Build with a cache, `damage` it, build again: (warm output, its warnings, a cold build's output)."""
    cache = tmp_path / "cache"
    build(basic_site, tmp_path / "first", search=False, workers=1, page_cache=cache)
    damage(cache)
    result = build(basic_site, tmp_path / "warm", search=False, workers=1, page_cache=cache)
    cold = build(basic_site, tmp_path / "cold", search=False, workers=1)
    assert [w for w in result.warnings if w.code != "cache-ignored"] == cold.warnings
    return snapshot(tmp_path / "warm"), [w for w in result.warnings if w.code == "cache-ignored"], \
        snapshot(tmp_path / "cold")


def blobs(cache: Path) -> list[Path]:
    return sorted(path for path in (cache / "pages").rglob("*") if path.is_file())


@pytest.mark.slow
@pytest.mark.parametrize("damage, why", [
    (lambda cache: (cache / "pages.json").write_bytes(b"\x00{not json"), "pages.json is damaged (not JSON)"),
    (lambda cache: (cache / "pages.json").write_text(json.dumps({"format": "site-builder page cache 0",
                                                                  "stamp": "x", "pages": {}})),
     "it was written by another version of site-builder"),
    (lambda cache: (cache / "pages.json").unlink(), "pages.json is missing (a build cut short?)"),
    (lambda cache: [blob.write_bytes(b"<p>tampered</p>") for blob in blobs(cache)],
     "a kept page is missing or damaged"),
    (lambda cache: [blob.unlink() for blob in blobs(cache)[::3]], "a kept page is missing or damaged"),
])
def test_a_damaged_cache_is_ignored_with_one_warning(basic_site, tmp_path, damage, why):
    warm, warnings, cold = warm_after(basic_site, tmp_path, damage)
    assert warm == cold
    assert [(w.origin.path, w.severity, w.message) for w in warnings] == [
        (str(tmp_path / "cache"), "warning", f"the build cache was not used: {why}")]


@pytest.mark.slow
def test_a_cache_with_a_symbolic_link_is_neither_read_nor_written(basic_site, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious").write_text("mine")

    def plant(cache: Path) -> None:
        bucket = blobs(cache)[0].parent
        (bucket / "elsewhere").symlink_to(outside)

    warm, warnings, cold = warm_after(basic_site, tmp_path, plant)
    assert warm == cold
    assert [w.message for w in warnings] == [
        "the build cache was not used: it holds a symbolic link; delete it (`site-builder cache clear`)"]
    assert (outside / "precious").read_text() == "mine" and (tmp_path / "cache" / "pages.json").is_file()


@pytest.mark.slow
def test_a_cache_restored_with_new_times_is_checked_by_digest_and_used(basic_site, tmp_path):
    import os

    def restore(cache: Path) -> None:  # as actions/cache or Netlify bring it back: same bytes, new times
        for blob in blobs(cache):
            os.utime(blob, ns=(10**18, 10**18))

    warm, warnings, cold = warm_after(basic_site, tmp_path, restore)
    assert warm == cold and warnings == []


@pytest.mark.slow
def test_the_next_build_after_a_damaged_cache_uses_the_rewritten_one(basic_site, tmp_path):
    warm_after(basic_site, tmp_path, lambda cache: (cache / "pages.json").write_text("[]"))
    result = build(basic_site, tmp_path / "third", search=False, workers=1, page_cache=tmp_path / "cache")
    assert not [w for w in result.warnings if w.code == "cache-ignored"]


@pytest.mark.slow
def test_the_command_line_keeps_a_cache_and_no_cache_neither_reads_nor_writes_it(basic_site, capsys):
    cache = basic_site / ".site-builder-cache"
    assert main(["build", "--root", str(basic_site), "--no-search", "--no-cache"]) == 0
    assert not cache.exists()
    assert main(["build", "--root", str(basic_site), "--no-search"]) == 0
    assert (cache / "pages.json").is_file() and (cache / "CACHEDIR.TAG").is_file()
    (cache / "pages.json").write_text("broken")
    assert main(["build", "--root", str(basic_site), "--no-search", "--no-cache"]) == 0
    assert "cache-ignored" not in capsys.readouterr().err
    assert main(["build", "--root", str(basic_site), "--no-search"]) == 0
    assert capsys.readouterr().err.count("warning[cache-ignored]") == 1
    assert main(["cache", "clear", "--root", str(basic_site)]) == 0
    assert capsys.readouterr().out == f"{cache}: cleared\n"
    assert not cache.exists()


def test_cache_clear_leaves_a_folder_that_is_not_a_cache(basic_site, tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    assert main(["cache", "clear", "--root", str(basic_site), "--cache-dir", str(mine)]) == 0
    assert (mine / "notes.txt").read_text() == "keep me"
    assert "not a site-builder cache" in capsys.readouterr().out


def test_the_cache_is_ignored_by_git():
    ignored = (Path(__file__).resolve().parents[2] / ".gitignore").read_text().splitlines()
    assert ".site-builder-cache/" in ignored


def test_the_tool_in_the_stamp_is_the_whole_package_not_only_its_own_room():
    """A page reads code from every room: the cache's stamp hashes all of site_builder/, not parallel/ alone."""
    import site_builder
    from site_builder.parallel import page_cache
    assert Path(site_builder.__file__).resolve().parent == page_cache._PACKAGE

"""`patch`: the previous graph with edited claims in it must be exactly what a full compile gives."""

from __future__ import annotations

import pytest
from editkit import EDITS

from site_builder.build import compile_site
from site_builder.output.plan import plan
from site_builder.preview.recompile import recompile


@pytest.mark.slow
@pytest.mark.parametrize("name", EDITS)
def test_patched_graph_is_what_a_full_compile_gives(basic_site, name):
    path, old, new, patchable = EDITS[name]
    cache: dict = {}
    records: dict = {}
    before = compile_site(basic_site, drafts=True, cache=cache, records=records)
    target = basic_site / path
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new, 1))
    try:
        full = compile_site(basic_site, drafts=True)
    except Exception as error:  # an edit that breaks the site must break it the same way
        with pytest.raises(type(error)) as raised:
            recompile(basic_site, before, {path}, cache, records)
        assert sorted(raised.value.problems) == sorted(error.problems)
        assert not patchable
        return
    patched = recompile(basic_site, before, {path}, cache, records)
    assert ("patch" in patched.timings) == patchable
    assert bool(patched.unpatched) == (not patchable), patched.unpatched  # a full compile says why
    assert patched.graph == full.graph
    assert sorted(patched.problems) == sorted(full.problems)
    assert patched.digests == {file.path: file.digest for file in full.raw.files()}


def compiled_around(root, *names: str, modified: set[str] | None = None):
    """The site compiled, then compiled again as `serve` does after the edits `names` (or a save of `modified`)."""
    cache: dict = {}
    records: dict = {}
    before = compile_site(root, drafts=True, cache=cache, records=records)
    for name in names:
        path, old, new, _ = EDITS[name]
        (root / path).write_text((root / path).read_text().replace(old, new))
    saved = modified if modified is not None else {EDITS[name][0] for name in names}
    return before, recompile(root, before, saved, cache, records)


def test_patched_graph_keeps_what_did_not_change(basic_site):
    """Later stages find their results by identity: only the edited claim may be a new object."""
    before, after = compiled_around(basic_site, "summary")
    assert after.graph.claims["crews-hours"] is not before.graph.claims["crews-hours"]
    for claim_id, claim in after.graph.claims.items():
        assert (claim is before.graph.claims[claim_id]) == (claim_id != "crews-hours")
    assert after.graph.anchored == before.graph.anchored
    assert all(after.graph.anchored[slug] is before.graph.anchored[slug] for slug in before.graph.anchored)
    assert after.graph.order is before.graph.order and after.graph.by_tag is before.graph.by_tag
    assert after.graph.sources is before.graph.sources
    assert plan(after.graph) is plan(before.graph)  # so serve compares no page list


def test_patched_source_keeps_the_claims(basic_site):
    before, after = compiled_around(basic_site, "source title")
    assert after.graph.sources["src-data"].title == "A data source"
    assert after.graph.claims is before.graph.claims and after.graph.by_source is before.graph.by_source
    assert plan(after.graph) is plan(before.graph)


def test_patched_article_keeps_the_page_list(basic_site):
    before, after = compiled_around(basic_site, "article title")
    assert after.graph.articles["harbour-fire"].title == "Fire at at Eastport harbour warehouse"
    assert after.graph.anchored["harbour-fire"].article is after.graph.articles["harbour-fire"]
    assert all(after.graph.claims[claim_id] is not before.graph.claims[claim_id]  # checked against the article
               for claim_id in after.graph.by_article["harbour-fire"])
    assert plan(after.graph) is plan(before.graph) and after.graph.order is before.graph.order


def test_two_saved_claims_are_patched_together(basic_site):
    _, after = compiled_around(basic_site, "summary", "draft")
    assert "patch" in after.timings
    full = compile_site(basic_site, drafts=True)
    assert after.graph == full.graph and sorted(after.problems) == sorted(full.problems)


def test_template_edit_keeps_the_graph(basic_site):
    before, after = compiled_around(basic_site, modified={"templates/claim.html", "assets/style.css"})
    assert after.graph is before.graph and after.changed == set()


def test_an_edited_version_is_patched_in(tmp_path):
    """A version's words change what a check was made against: its drift, not its place."""
    from sitekit import SITES, copy_site
    root = copy_site(SITES / "versions", tmp_path / "versions")
    cache: dict = {}
    records: dict = {}
    before = compile_site(root, drafts=True, cache=cache, records=records)
    version = "content/articles/report/versions/2024-05-01.md"
    (root / version).write_text((root / version).read_text().replace("It was a long meeting.",
                                                                     "The meeting ran late."))
    after = recompile(root, before, {version}, cache, records)
    full = compile_site(root, drafts=True)
    assert "patch" in after.timings
    assert after.graph == full.graph and sorted(after.problems) == sorted(full.problems)

"""The render plan: which pages each content file feeds, read both ways; and whose fault a failed page is."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import REPO, SITES, copy_site

from site_builder import render
from site_builder.build import build, compile_site
from site_builder.render import dependants, job_inputs, plan


@pytest.mark.parametrize("site", ["basic", "versions", "karlov"])
def test_dependants_are_job_inputs_read_backwards(site: str, tmp_path: Path):
    root = REPO if site == "karlov" else copy_site(SITES / site, tmp_path / site)
    graph = compile_site(root, drafts=True).graph
    jobs = plan(graph)
    inputs = {job.url: job_inputs(job, graph) for job in jobs}
    files = set().union(*inputs.values())
    assert any("/versions/" in path for path in files) or site != "versions"
    for path in sorted(files):
        expected = {url for url, used in inputs.items() if path in used}
        assert dependants(graph, path) == expected, path
    assert dependants(graph, "content/articles/nowhere/claims/gone.yaml") == set()


def test_a_fault_outside_the_templates_is_not_blamed_on_them(basic_site: Path, monkeypatch):
    """A template's mistake is the author's problem to fix; a fault in site-builder's own code is raised."""
    def broken(*args):
        raise KeyError("a fault of our own")
    monkeypatch.setattr(render, "_context", broken)
    with pytest.raises(KeyError, match="a fault of our own"):
        build(basic_site, write=False, search=False, workers=1)

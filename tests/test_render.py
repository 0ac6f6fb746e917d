"""The render plan: which pages each content file feeds, read both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import REPO, SITES, copy_site

from site_builder.build import compile_site
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

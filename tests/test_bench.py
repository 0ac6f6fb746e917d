"""The side-by-side benchmark still runs: tiny sites, one round, figures of every builder, Hugo's page count.

Nothing here is timed; it only keeps `bench/run.py --vs-hugo` from rotting.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
ROW = re.compile(r"^  (site-builder|Hugo 0\.168\.0|plain Python) +([\d,]+) +([\d.]+) +([\d.]+) +(\d+) +(\d+)$")
RATIO = re.compile(r"^  ours / (Hugo|plain) +([\d.]+)x +([\d.]+)x +([\d.]+)x +([\d.]+)x$")


def pages_of_model(site: Path) -> int:
    """The pages Hugo should make of a synthetic site, counted from its content files (read back, not generated)."""
    content = site / "content"
    claims = [yaml.safe_load(path.read_text()) for path in content.glob("articles/*/claims/*.yaml")]
    published = [claim for claim in claims if claim.get("status") != "draft"]
    sources = {cited["source"] for claim in published for cited in claim.get("sources", [])}
    tags = {tag for claim in published for tag in claim["tags"]}
    verdicts = {claim["verdict"] for claim in published}
    articles = list(content.glob("articles/*/article.yaml"))
    plain_pages = list(content.glob("pages/*.md"))
    claim_pages = 2 * len(published)  # the claim's page and its embed page
    return 1 + len(plain_pages) + len(articles) + claim_pages + len(sources) + len(tags) + len(verdicts)


@pytest.mark.slow
def test_vs_hugo_prints_every_builder_and_hugo_builds_every_page(tmp_path):
    subprocess.run([sys.executable, str(REPO / "bench/synth.py"), str(tmp_path / "model"), "--articles", "2"],
                   check=True, capture_output=True)
    expected = pages_of_model(tmp_path / "model")
    workdir = tmp_path / "work"
    workdir.mkdir()
    result = subprocess.run([sys.executable, str(REPO / "bench/run.py"), "--vs-hugo", "--sizes", "2", "--runs", "1",
                             "--workdir", str(workdir)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    rows = {match[1]: match.groups()[1:] for match in map(ROW.match, lines) if match}
    assert set(rows) == {"site-builder", "Hugo 0.168.0", "plain Python"}, result.stdout
    for name, (pages, wall, cpu, rss, pss) in rows.items():
        assert int(pages.replace(",", "")) > 0 and float(wall) > 0 and float(cpu) > 0, name
        assert int(rss) > 0 and int(pss) > 0, name
    assert int(rows["Hugo 0.168.0"][0]) == int(rows["plain Python"][0]) == expected
    assert int(rows["site-builder"][0]) > expected  # ours also writes coverage, index and search pages
    ratios = {match[1]: [float(cell) for cell in match.groups()[1:]] for match in map(RATIO.match, lines) if match}
    assert set(ratios) == {"Hugo", "plain"} and all(cell > 0 for row in ratios.values() for cell in row)
    assert "Hugo 0.168.0;" in result.stdout and "Python 3." in result.stdout
    warm = [re.match(r"  ours, warm +([\d.]+) +([\d.]+) .*: ([\d.]+)x Hugo's clean build", line) for line in lines]
    assert [float(cell) > 0 for found in warm if found for cell in found.groups()] == [True] * 3, result.stdout
    assert os.listdir(workdir) == []  # the sites and outputs are removed


ORPHAN = """
import os, time
if os.fork() == 0:
    started = time.process_time()
    while time.process_time() - started < 1.0:
        pass
os._exit(0)
"""


@pytest.mark.slow
def test_cpu_time_counts_workers_that_outlive_their_parent(tmp_path):
    """A worker still burning CPU after its parent exits is adopted and counted (the build's forked workers)."""
    script = f"""
import os, sys
from pathlib import Path
sys.path.insert(0, {str(REPO / "bench")!r})
import vs_hugo
vs_hugo.become_subreaper()
run = vs_hugo.run_tree([sys.executable, "-c", {ORPHAN!r}], dict(os.environ), Path({str(tmp_path / "log")!r}), False)
print(run.cpu_s, run.wall_s)
"""
    cpu, wall = map(float, subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                                          text=True).stdout.split())
    assert cpu >= 1.0 > wall

"""The build, as the list of its stages: load -> validate -> anchor -> link -> render -> write."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .anchor import anchor_site, parse_article_texts
from .errors import BuildFailed, Origin, Problem
from .link import Graph, link
from .load import RawFile, load_content
from .render import fingerprint_assets, make_environment, plan, render_pages
from .validate import validate
from .write import check_output, problems_writing, write_output

__all__ = ["BuildResult", "build"]


@dataclass
class BuildResult:
    graph: Graph
    files: dict[str, bytes]
    warnings: list[Problem]
    out: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return sum(1 for path in self.files if path.endswith(".html"))


def build(root: Path, out: Path | None = None, *, drafts: bool = False, write: bool = True,
          cache: dict[str, RawFile] | None = None) -> BuildResult:
    """Build the site at `root` into `out` (default root/public); raise BuildFailed with every problem."""
    root = root.resolve()
    out = (out or root / "public").resolve()
    timings: dict[str, float] = {}
    problems: list[Problem] = []
    clock = time.perf_counter()

    def stage(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now
        if any(problem.is_error for problem in problems):
            raise BuildFailed(sorted(problems))

    if write:
        problems += check_output(root, out)
    for folder in ("templates",):
        if not (root / folder).is_dir():
            problems.append(Problem(Origin(folder), "missing-folder", f"there is no {folder}/ folder in {root}",
                                    "a site folder holds content/, templates/ and assets/"))
    raw = load_content(root, cache)
    stage("load")
    site, found = validate(raw, drafts=drafts)
    problems += found
    stage("validate")
    assert site is not None
    anchored = anchor_site(site, parse_article_texts(site), problems)
    for article in anchored.values():
        for sentence in article.uncovered:
            words = article.text.plain[sentence.start:sentence.end]
            where = Origin(article.article.text_path, sentence.line, sentence.col)
            problems.append(Problem(where, "unchecked-sentence",
                                    f"sentence neither checked nor listed as unchecked: \"{_clip(words)}\"",
                                    "write a claim that quotes it, or add it to `unchecked:` in article.yaml "
                                    "with a reason", "warning"))
    stage("anchor")
    graph = link(site, anchored)
    stage("link")
    env = make_environment(root / "templates")
    assets, files = fingerprint_assets(root / "assets")
    files.update(render_pages(env, graph, plan(graph), assets, root / "templates", problems))
    stage("render")
    if write:
        try:
            write_output(files, out)
        except OSError as error:
            problems.append(problems_writing(error))
        stage("write")
    return BuildResult(graph, files, [problem for problem in problems if not problem.is_error],
                       out if write else None, timings)


def _clip(words: str, limit: int = 80) -> str:
    words = " ".join(words.split())
    return words if len(words) <= limit else words[:limit - 1] + "…"


def verdict_counts(graph: Graph) -> list[tuple[str, int]]:
    counts = Counter(claim.verdict for claim in graph.claims.values())
    return [(verdict.label, counts[verdict.id]) for verdict in graph.site.config.verdicts]

"""The build, as the list of its stages: load -> validate -> anchor -> link -> render -> write."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .anchor import anchor_site, parse_article_texts
from .data import CLAIM_REVIEW_LIMIT
from .errors import BuildFailed, Origin, Problem
from .link import Graph, link
from .load import RawFile, load_content
from .render import fingerprint_assets, make_environment, plan, render_pages
from .search import index_search
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


@dataclass
class Compiled:
    """The checked, anchored and linked site: everything a page needs, nothing written yet."""

    graph: Graph
    digests: dict[str, str]  # content file path -> hash of its bytes
    problems: list[Problem]  # warnings only: errors raise BuildFailed
    timings: dict[str, float]


def compile_site(root: Path, *, drafts: bool = False, cache: dict[str, RawFile] | None = None,
                 problems: list[Problem] | None = None) -> Compiled:
    """load -> validate -> anchor -> link; raise BuildFailed with every problem found."""
    problems = problems if problems is not None else []
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def stage(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now
        if any(problem.is_error for problem in problems):
            raise BuildFailed(sorted(problems))

    if not (root / "templates").is_dir():
        problems.append(Problem(Origin("templates"), "missing-folder", f"there is no templates/ folder in {root}",
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
    problems += structured_data_warnings(graph)
    stage("link")
    return Compiled(graph, {file.path: file.digest for file in raw.files()}, problems, timings)


class _SearchFailed(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def _index(folder: Path) -> None:
    problem = index_search(folder)
    if problem is not None:
        raise _SearchFailed(problem)


def build(root: Path, out: Path | None = None, *, drafts: bool = False, write: bool = True,
          search: bool = True, cache: dict[str, RawFile] | None = None) -> BuildResult:
    """Build the site at `root` into `out` (default root/public); raise BuildFailed with every problem."""
    root = root.resolve()
    out = (out or root / "public").resolve()
    problems: list[Problem] = check_output(root, out) if write else []
    compiled = compile_site(root, drafts=drafts, cache=cache, problems=problems)
    timings = compiled.timings
    clock = time.perf_counter()
    env = make_environment(root / "templates")
    assets, files = fingerprint_assets(root / "assets")
    files.update(render_pages(env, compiled.graph, plan(compiled.graph), assets, root / "templates", problems))
    if any(problem.is_error for problem in problems):
        raise BuildFailed(sorted(problems))
    timings["render"] = time.perf_counter() - clock
    if write:
        clock = time.perf_counter()
        try:
            write_output(files, out, _index if search else None)
        except OSError as error:
            raise BuildFailed(sorted(problems + [problems_writing(error)])) from None
        except _SearchFailed as failed:
            raise BuildFailed(sorted(problems + [failed.problem])) from None
        timings["write"] = time.perf_counter() - clock
    return BuildResult(compiled.graph, files, [problem for problem in problems if not problem.is_error],
                       out if write else None, timings)


def structured_data_warnings(graph: Graph) -> list[Problem]:
    """Where a claim page's ClaimReview would fall short of Google's fact-check guidance."""
    found = []
    publisher = graph.site.config.publisher.name
    for claim_id in graph.order:
        claim = graph.claims[claim_id]
        if len(claim.claim) > CLAIM_REVIEW_LIMIT:
            found.append(Problem(claim.claim_origin, "claim-too-long",
                                 f"'claim' has {len(claim.claim)} characters; search engines show at most "
                                 f"{CLAIM_REVIEW_LIMIT} (ClaimReview claimReviewed)", "state the claim more briefly",
                                 "warning"))
        if (claim.claimant or graph.articles[claim.article].publisher) == publisher:
            found.append(Problem(claim.origin, "claimant-is-us",
                                 "the claimant is the site's own publisher; a ClaimReview needs who made the claim",
                                 "set `claimant:` to the person or outlet that made the claim", "warning"))
    return found


def _clip(words: str, limit: int = 80) -> str:
    words = " ".join(words.split())
    return words if len(words) <= limit else words[:limit - 1] + "…"


def verdict_counts(graph: Graph) -> list[tuple[str, int]]:
    counts = Counter(claim.verdict for claim in graph.claims.values())
    return [(verdict.label, counts[verdict.id]) for verdict in graph.site.config.verdicts]

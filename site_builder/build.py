"""The build, as the list of its stages: load -> validate -> anchor -> link -> render -> write."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .anchor import anchor_shared_out, anchor_site, parse_article_texts, unchecked_warnings
from .archive_index import with_archive
from .data import claim_review_warnings
from .environment import make_environment
from .errors import BuildFailed, Origin, Problem
from .fanout import FAN_OUT_FROM, load_and_remember
from .forked import cpus
from .link import Graph, link
from .load import RawContent, RawFile, load_content, reload_content
from .patch import patch
from .precompile import compile_ahead
from .render import output_path, plan, render_pages, template_link_problems
from .safety import leaves_site
from .schema_check import stale_schemas
from .search import index_search
from .static import static_collisions, static_files
from .theme import template_folders, theme_assets, theme_root
from .validate import validate
from .write import check_output, problems_writing, removed_foreign_files, write_output

__all__ = ["BuildResult", "build"]


@dataclass
class BuildResult:
    graph: Graph
    files: dict[str, bytes]  # the rendered bytes, kept only by a build that does not write
    warnings: list[Problem]
    out: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)  # every file of the site, relative to its folder

    @property
    def pages(self) -> int:
        return sum(1 for path in self.paths if path.endswith(".html"))


@dataclass
class Compiled:
    """The checked, anchored and linked site: everything a page needs, nothing written yet."""

    graph: Graph
    digests: dict[str, str]  # content file path -> hash of its bytes
    problems: list[Problem]  # warnings only: errors raise BuildFailed
    timings: dict[str, float]
    raw: RawContent  # what was loaded, for the next `serve` rebuild
    changed: set[str] | None = None  # the content files that differ from `previous`'s, when only those were read


def compile_site(root: Path, *, drafts: bool = False, cache: dict[str, RawFile] | None = None,
                 problems: list[Problem] | None = None, records: dict | None = None,
                 previous: Compiled | None = None, modified: set[str] | None = None,
                 workers: int = 1) -> Compiled:
    """load -> validate -> anchor -> link; raise BuildFailed with every problem found.

    With the `previous` result, a `cache` and the `modified` paths (from `serve`'s watcher),
    only those files are read again when that is enough, and the previous graph is
    patched when only what claims and sources say changed (`patch`). A large build with `workers` reads
    and validates claim files, and anchors articles, in that many processes.
    """
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

    if not (root / "templates").is_dir() and theme_root() is None and \
            leaves_site(str(root / "templates"), os.path.realpath(root)) is None:
        problems.append(Problem(Origin("templates"), "missing-folder", f"there is no templates/ folder in {root}",
                                "a site folder holds content/, templates/ and assets/"))
    raw = None
    fanned_out = workers > 1 and cache is None and records is None and _claim_files(root) >= FAN_OUT_FROM
    if previous is not None and modified is not None and cache is not None:
        raw = reload_content(root, previous.raw, modified, cache)
        changed = {path for path in modified if path.startswith("content/")}
        if raw is previous.raw and not problems:  # a template or an asset: the graph stands
            return dataclasses.replace(previous, timings={}, changed=set())
        patched = patch(previous.graph, previous.problems, raw, changed, records) \
            if raw is not None and records is not None and drafts and not problems else None
        if raw is not None and patched is not None:
            timings["patch"] = time.perf_counter() - clock
            digests = {**previous.digests, **{path: cache[path].digest for path in changed}}
            found = list(patched[1])
            graph = with_archive(root, patched[0], found)
            if any(problem.is_error for problem in found):
                raise BuildFailed(sorted(found))
            return Compiled(graph, digests, found, timings, raw, changed)
    elif fanned_out:
        raw, records = load_and_remember(root, drafts, workers)  # claims validated as they are loaded
    raw = raw or load_content(root, cache)
    stage("load")
    site, found = validate(raw, drafts=drafts, records=records)
    if fanned_out and records is not None:
        records.clear()  # only this validation needed them
    problems += found
    stage("validate")
    assert site is not None
    anchored = anchor_shared_out(site, problems, workers) if fanned_out \
        else anchor_site(site, parse_article_texts(site), problems)
    problems += [problem for article in anchored.values() for problem in unchecked_warnings(article)]
    stage("anchor")
    graph = with_archive(root, link(site, anchored), problems)
    problems += [problem for claim_id in graph.order for problem in claim_review_warnings(graph, claim_id)]
    stage("link")
    return Compiled(graph, {file.path: file.digest for file in raw.files()}, problems, timings, raw)


def build(root: Path, out: Path | None = None, *, drafts: bool = False, write: bool = True,
          search: bool = True, cache: dict[str, RawFile] | None = None, workers: int | None = None) -> BuildResult:
    """Build the site at `root` into `out` (default root/public); raise BuildFailed with every problem.

    Pages are rendered by `workers` processes (default: one per CPU) straight into the new
    folder; `write=False` renders them in memory instead and writes nothing.
    """
    root = root.resolve()
    out = (out or root / "public").resolve()
    workers = workers if workers is not None else cpus()
    problems: list[Problem] = check_output(root, out) if write else []
    assets, asset_files = theme_assets(root, problems)  # read first: its problems join the content's
    problems += template_link_problems(root / "templates")
    static = static_files(root / "static", problems)
    folders = template_folders(root)
    compiled_templates = compile_ahead(folders[0] if folders[0].is_dir() else folders[-1],
                                       lambda _: make_environment(folders))
    try:
        compiled = compile_site(root, drafts=drafts, cache=cache, problems=problems, workers=workers)
    finally:
        bytecode = compiled_templates()
    graph, timings = compiled.graph, compiled.timings
    problems += stale_schemas(root, [verdict.id for verdict in graph.site.config.verdicts])
    del compiled  # the parsed files it keeps for `serve`: freed before the render workers fork
    env = make_environment(folders, bytecode_cache=bytecode)
    jobs = plan(graph)
    pages = [output_path(job.url) for job in jobs]
    problems += static_collisions(static, pages + list(asset_files) + ["pagefind/"])
    if any(problem.is_error for problem in problems):
        raise BuildFailed(sorted(problems))
    published = {**asset_files, **static}  # copied as they are
    clock = time.perf_counter()

    def produce(folder: Path) -> list[str]:
        nonlocal clock
        render_pages(env, graph, jobs, assets, root / "templates", problems, folder, workers)
        if any(problem.is_error for problem in problems):
            raise BuildFailed(sorted(problems))
        for name, data in published.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        timings["render"] = time.perf_counter() - clock
        clock = time.perf_counter()
        if search:
            problem = index_search(folder)
            if problem is not None:
                raise BuildFailed(sorted(problems + [problem]))
            timings["search"] = time.perf_counter() - clock
        return pages + sorted(published) + (["pagefind/"] if search else [])

    if not write:
        files = dict(published)
        files.update(render_pages(env, graph, jobs, assets, root / "templates", problems, None, workers))
        if any(problem.is_error for problem in problems):
            raise BuildFailed(sorted(problems))
        timings["render"] = time.perf_counter() - clock
        return BuildResult(graph, files, [p for p in problems if not p.is_error], None, timings,
                           sorted(files))
    try:
        foreign = write_output(out, produce, workers)
    except OSError as error:
        raise BuildFailed(sorted(problems + [problems_writing(error)])) from None
    problems += removed_foreign_files(root, out, foreign)
    written = pages + sorted(published)
    timings["write"] = time.perf_counter() - clock
    return BuildResult(graph, {}, [p for p in problems if not p.is_error], out, timings, written)


def _claim_files(root: Path) -> int:
    """How many claim files the site has, counted from the folders alone."""
    count = 0
    with contextlib.suppress(OSError):
        for article in os.scandir(root / "content" / "articles"):
            with contextlib.suppress(OSError):
                count += len(os.listdir(os.path.join(article.path, "claims")))
    return count


def verdict_counts(graph: Graph) -> list[tuple[str, int]]:
    counts = Counter(claim.verdict for claim in graph.claims.values())
    return [(verdict.label, counts[verdict.id]) for verdict in graph.site.config.verdicts]

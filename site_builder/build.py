"""The build, as the list of its stages: load -> validate -> anchor -> link -> render -> write."""

from __future__ import annotations

import dataclasses
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .content.load import RawContent, RawFile
from .content.schema import stale_schemas
from .content.signoff import signoff_problems
from .content.validate import validate
from .errors import BuildFailed, Origin, Problem
from .link import Graph, link
from .memo import Memos
from .output.archive_index import with_archive
from .output.assets import template_link_problems
from .output.cards import CardsDrawn
from .output.desk import make_desk
from .output.environment import make_environment
from .output.plan import PageJob, check_urls, plan
from .output.repeats import possible_repeats
from .output.search import index_search
from .output.static import static_collisions, static_files
from .output.structured import claim_review_warnings
from .output.theme import template_folders, theme_assets, theme_root
from .output.urls import output_path
from .output.write import check_output, problems_writing, removed_foreign_files, write_output
from .parallel.anchor import anchor_articles
from .parallel.cards import write_cards
from .parallel.collector import collector_paused
from .parallel.fanout import load_site
from .parallel.forked import cpus, spread_between
from .parallel.page_cache import open_cache
from .parallel.parsed_cache import ParsedCache, open_parsed
from .parallel.precompile import compile_ahead
from .parallel.render import render_pages
from .safety import leaves_site
from .text.anchor import unchecked_warnings

__all__ = ["BuildResult", "build"]


@dataclass
class BuildResult:
    graph: Graph
    files: dict[str, bytes]  # the rendered bytes, kept only by a build that does not write
    warnings: list[Problem]
    out: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)  # every file of the site, relative to its folder
    cards_drawn: tuple[str, ...] = ()  # the share cards drawn by this build (the others came from the cache)

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
    unpatched: str = ""  # why `serve` compiled the site again instead of patching the graph


def compile_site(root: Path, *, drafts: bool = False, cache: dict[str, RawFile] | None = None,
                 problems: list[Problem] | None = None, records: dict | None = None, raw: RawContent | None = None,
                 memos: Memos | None = None, workers: int = 1, parsed: ParsedCache | None = None,
                 anchorings: ParsedCache | None = None) -> Compiled:
    """load -> validate -> anchor -> link; raise BuildFailed with every problem found.

    `serve` passes its `cache` of files read and its `records` of what validation made, so that
    an unchanged file is neither read nor checked again, and the `raw` content when it has read
    the saved files already (preview/recompile.py). A large build shares the loading and the
    anchoring between `workers` processes (parallel/). What the stages remember goes in `memos`
    (serve's, kept across rebuilds, or a fresh one), which the graph keeps. A build with a cache
    folder passes its `parsed` files, so that only the claim files that changed are parsed and checked,
    and its kept `anchorings`, so that only the articles whose files changed are anchored.
    """
    problems = problems if problems is not None else []
    memos = memos if memos is not None else Memos()
    stage = Stages(problems)
    problems += missing_templates(root)
    with collector_paused():
        raw, records, anchoring = (load_site(root, drafts, workers, cache, records, parsed) if raw is None
                                   else (raw, records, 1))
        stage("load")
        site, found = validate(raw, drafts=drafts, records=records)
    problems += found
    if site is not None:
        problems += signoff_problems(site, drafts=drafts)  # repeat_of and the review rule: the whole site at once
    del records  # a large build's were only for this validation: freed before anchoring
    stage("validate")
    assert site is not None
    digests = {file.path: file.digest for file in raw.files()}
    anchored = anchor_articles(site, problems, memos, anchoring, anchorings, digests)
    problems += [problem for article in anchored.values() for problem in unchecked_warnings(article)]
    stage("anchor")
    graph = with_archive(root, link(site, anchored, memos), problems)
    problems += [problem for claim_id in graph.order for problem in claim_review_warnings(graph, claim_id)]
    graph = dataclasses.replace(graph, desk=make_desk(root, graph, problems))  # claimants, repeats, sign-off
    stage("link")
    problems += possible_repeats(graph)
    stage("repeats")
    digests |= graph.desk.files if graph.desk else {}
    return Compiled(graph, digests, problems, stage.timings, raw)


class Stages:
    """Times each stage, and stops the build after the first stage that found an error."""

    def __init__(self, problems: list[Problem]):
        self.problems, self.clock = problems, time.perf_counter()
        self.timings: dict[str, float] = {}

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name], self.clock = now - self.clock, now
        if any(problem.is_error for problem in self.problems):
            raise BuildFailed(sorted(self.problems))


def missing_templates(root: Path) -> list[Problem]:
    if (root / "templates").is_dir() or theme_root() is not None \
            or leaves_site(str(root / "templates"), os.path.realpath(root)) is not None:
        return []  # the theme's templates serve; a link out of the site is reported by template_link_problems
    return [Problem(Origin("templates"), "missing-folder", f"there is no templates/ folder in {root}",
                    "a site folder holds content/, templates/ and assets/")]


def build(root: Path, out: Path | None = None, *, drafts: bool = False, write: bool = True,
          search: bool = True, cache: dict[str, RawFile] | None = None, workers: int | None = None,
          cards: bool = True, page_cache: Path | None = None) -> BuildResult:
    """Build the site at `root` into `out` (default root/public); raise BuildFailed with every problem.

    Pages are rendered by `workers` processes (default: one per CPU) straight into the new
    folder; `write=False` renders them in memory instead and writes nothing. With a `page_cache`
    folder, pages whose inputs are unchanged since the last build are taken from it (`page_cache`), and
    the share cards whose text is unchanged from its cards/ folder.
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
    # The page cache is opened before the parsed files can create its folder; its warning joins the others below.
    cache_problems: list[Problem] = []
    kept = open_cache(page_cache, root, assets, drafts, cache_problems, cards) \
        if page_cache is not None and write else None
    parsed = open_parsed(kept.folder, kept.tool) if kept is not None and cache is None else None
    anchorings = open_parsed(kept.folder, kept.tool, "anchored") if kept is not None and cache is None else None
    try:
        compiled = compile_site(root, drafts=drafts, cache=cache, problems=problems, workers=workers, parsed=parsed,
                                anchorings=anchorings)
    finally:
        bytecode = compiled_templates()
    graph, timings, digests = compiled.graph, compiled.timings, compiled.digests
    problems += stale_schemas(root, [verdict.id for verdict in graph.site.config.verdicts])
    del compiled  # the parsed files it keeps for `serve`: freed before the render workers fork
    env = make_environment(folders, bytecode_cache=bytecode, cards=cards)
    jobs = plan(graph)
    pages = [output_path(job.url) for job in jobs]
    problems += static_collisions(static, pages + list(asset_files) + ["pagefind/"])
    if kept is not None:
        problems += cache_problems
        kept.problems = problems
    for kept_files in (parsed, anchorings):
        if kept is not None and kept_files is not None and (kept_files.unusable or kept_files.ignored):
            kept.warn(kept_files.unusable or kept_files.ignored[0])  # one warning for the whole cache
    if kept is not None:
        problems += check_urls(jobs)  # of every page: only those not kept are rendered, and checked, below
    if any(problem.is_error for problem in problems):
        raise BuildFailed(sorted(problems))
    published = {**asset_files, **static}  # copied as they are
    clock = time.perf_counter()
    drawn: list[CardsDrawn] = []  # the share cards, once `produce` has made them

    def produce(folder: Path) -> list[str]:
        nonlocal clock
        fresh: list[PageJob] = list(jobs)
        if kept is not None:
            keys = kept.keys(jobs, graph, digests)
            fresh = [job for job in jobs if keys[job.url] not in kept.kept]
            fresh += kept.place(folder, [job for job in jobs if keys[job.url] in kept.kept], keys)
            timings["cache"] = time.perf_counter() - clock
        render_pages(env, graph, fresh, assets, root / "templates", problems, folder, workers)
        if any(problem.is_error for problem in problems):
            raise BuildFailed(sorted(problems))
        if kept is not None:
            kept.keep(folder, fresh, keys)
        for name, data in published.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        timings["render"] = time.perf_counter() - clock
        clock = time.perf_counter()
        if cards:  # kept in the build cache's cards/ by the hash of what each shows; all drawn without one
            kept_cards = kept.folder / "cards" if kept is not None and kept.writable else None
            drawn.append(write_cards(graph, folder, kept_cards, workers))
            timings["cards"] = time.perf_counter() - clock
            clock = time.perf_counter()
        if search:
            problem = index_search(folder)
            if problem is not None:
                raise BuildFailed(sorted(problems + [problem]))
            timings["search"] = time.perf_counter() - clock
        return pages + sorted(published) + [path for made in drawn for path in made.written] \
            + (["pagefind/"] if search else [])

    if not write:
        files = dict(published)
        files.update(render_pages(env, graph, jobs, assets, root / "templates", problems, None, workers))
        if any(problem.is_error for problem in problems):
            raise BuildFailed(sorted(problems))
        timings["render"] = time.perf_counter() - clock
        return BuildResult(graph, files, [p for p in problems if not p.is_error], None, timings,
                           sorted(files))
    try:
        foreign = write_output(out, produce, spread_between(workers))
    except OSError as error:
        raise BuildFailed(sorted(problems + [problems_writing(error)])) from None
    problems += removed_foreign_files(root, out, foreign)
    written = pages + sorted(published) + [path for made in drawn for path in made.written]
    timings["write"] = time.perf_counter() - clock
    return BuildResult(graph, {}, [p for p in problems if not p.is_error], out, timings, written,
                       tuple(path for made in drawn for path in made.drawn))


def verdict_counts(graph: Graph) -> list[tuple[str, int]]:
    counts = Counter(claim.verdict for claim in graph.claims.values())
    return [(verdict.label, counts[verdict.id]) for verdict in graph.site.config.verdicts]

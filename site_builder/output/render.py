"""Stage 5b, render: each page of the plan made from the model alone.

`render_job` is a pure function of the job (output/plan.py), the graph and the templates,
so a clean build renders all jobs, `serve` re-renders only the jobs a change touches,
and both give the same bytes. Links between pages are relative (`root` is the way back
to the site's top), so the site works from any folder or sub-path; only canonical and feed URLs use
`base_url`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from ..errors import Origin, Problem
from ..link import Graph, last_change
from . import structured
from .desk_pages import desk_context
from .embed import embed_code
from .environment import SiteEnvironment
from .findings import article_findings, opens_with_headline
from .plan import PageJob, check_urls, plan
from .timelimit import PageClock, RenderTimeout
from .urls import FEED_ENTRIES, feed_urls, output_path
from .write import write_all

__all__ = ["render_job", "render_pages", "render_work", "render_range", "gathered", "RenderWork", "template_problem",
           "once_per_template"]


_DATA: dict[str, Callable[[Graph, str, bool], Iterable[str]]] = {  # kind -> (graph, key, remember) -> pieces
    "text": lambda graph, key, remember: (structured.article_text(graph, key),),
    "notes": lambda graph, key, remember: (structured.article_notes(graph, key),),
    "claims-json": lambda graph, key, remember: structured.claims_json(graph, remember),
    "claims-csv": lambda graph, key, remember: structured.claims_csv(graph, remember),
    "annotations": lambda graph, key, remember: structured.web_annotations(graph, remember),
    "claims-schema": lambda graph, key, remember: (structured.claims_schema(graph),),
}


def _context(job: PageJob, graph: Graph, assets: dict[str, str]) -> dict[str, Any]:
    config = graph.site.config
    # The 404 page is served at any depth, so it links from the site's absolute root path.
    root = urlsplit(config.base_url).path if job.kind == "404" else "../" * job.url.count("/")
    context: dict[str, Any] = {
        "site": config, "graph": graph, "job": job, "root": root, "assets": assets,
        "canonical": config.base_url + job.url,
    }
    key = job.key
    if job.kind in ("article", "coverage"):
        context.update(article=graph.articles[key], anchored=graph.anchored[key], blocks=graph.blocks[key],
                       drifted=len(graph.anchored[key].drift), findings=article_findings(graph, key),
                       headline_in_text=opens_with_headline(graph.blocks[key], graph.articles[key].title))
    elif job.kind == "claim":
        claim = graph.claims[key]
        context.update(claim=claim, verdict=graph.verdicts[claim.verdict], article=graph.articles[claim.article],
                       before=graph.neighbours[key][0], after=graph.neighbours[key][1],
                       quote_context=graph.context[key],
                       jsonld=structured.json_for_html(structured.claim_review(graph, key)),
                       drift=graph.anchored[claim.article].drift.get(key, ()),
                       embed_code=embed_code(config, claim, graph.verdicts[claim.verdict]), **desk_context(graph, key))
    elif job.kind == "embed":
        claim = graph.claims[key]
        context.update(claim=claim, verdict=graph.verdicts[claim.verdict])
    elif job.kind == "claimant":
        context.update(claimant=graph.desk.claimants[key], claim_ids=graph.desk.by_claimant[key],
                       bar=graph.desk.bar(graph, key), repeats=graph.desk.repeat_count(key, graph))
    elif job.kind == "source":
        context.update(source=graph.sources[key], citations=graph.by_source[key])
    elif job.kind == "verdict":
        context.update(verdict=graph.verdicts[key], claim_ids=graph.by_verdict[key])
    elif job.kind == "tag":
        context.update(tag=key, claim_ids=graph.by_tag[key])
    elif job.kind == "page":
        context.update(page=next(page for page in graph.site.pages if page.slug == key))
    elif job.kind == "sitemap":
        context.update(urls=[other.url for other in plan(graph) if other.template.endswith(".html")
                             and other.kind not in ("404", "embed")])
    elif job.kind == "feed":
        number, urls = int(key), [config.base_url + url for url in feed_urls(graph)]
        context.update(entries=graph.latest[(number - 1) * FEED_ENTRIES:number * FEED_ENTRIES],
                       last_change=last_change, first=urls[0], last=urls[-1],
                       previous=urls[number - 2] if number > 1 else None,
                       next=urls[number] if number < len(urls) else None)
    return context


def render_job(env: SiteEnvironment, graph: Graph, job: PageJob, assets: dict[str, str]
               ) -> tuple[bytes, list[Problem]]:
    """A page's bytes, and the problems its author text showed while rendering."""
    if job.kind in _DATA:
        return "".join(_DATA[job.kind](graph, job.key, True)).encode("utf-8"), []
    sink = env.unsafe_links  # what this page's Markdown refused (see make_environment)
    sink.clear()
    data = env.get_template(job.template).render(_context(job, graph, assets)).encode("utf-8")
    found = list(dict.fromkeys(sink))
    sink.clear()
    return data, found


@dataclass(frozen=True, slots=True)
class RenderWork:
    """Everything the pages are rendered from, made once: a forked worker inherits it (parallel/render.py)."""

    env: SiteEnvironment
    graph: Graph
    jobs: Sequence[PageJob]
    assets: dict[str, str]
    templates: Path
    folder: Path | None  # write pages here, or return their bytes
    # Set by the first page of this process that ran out of time: the build fails, and every page
    # after it could take as long, so this process renders no more (its own copy after a fork).
    out_of_time: list[str] = field(default_factory=list)


def render_work(env: SiteEnvironment, graph: Graph, jobs: Sequence[PageJob], assets: dict[str, str],
                templates: Path, folder: Path | None) -> RenderWork:
    """The jobs to render, the longest first: a whole-site page left for the end keeps one process working alone."""
    return RenderWork(env, graph, sorted(jobs, key=lambda job: _LONGEST_FIRST.get(job.kind, len(_LONGEST_FIRST))),
                      assets, templates, folder)


def render_range(work: RenderWork, start: int, stop: int) -> tuple[dict[str, bytes], list[Problem]]:
    """Render jobs[start:stop]; write them to the folder, or return their bytes."""
    pages: dict[str, bytes] = {}
    problems: list[Problem] = []
    failed: set[str] = set()
    made: set[str] = set()
    with PageClock(work.graph.site.config.timeout) as clock:
        for job in work.jobs[start:stop]:
            if work.out_of_time:
                break
            if not _render_one(work, job, clock, pages, problems, failed, made):
                work.out_of_time.append(job.url)
    return pages, problems


def _render_one(work: RenderWork, job: PageJob, clock: PageClock, pages: dict[str, bytes], problems: list[Problem],
                failed: set[str], made: set[str]) -> bool:
    """Render one job into `pages` or the folder; False when it ran out of time."""
    path = output_path(job.url)
    if job.kind in _DATA:  # written piece by piece, kept nowhere: claims.json is 100 MB at 53k pages
        pieces = _DATA[job.kind](work.graph, job.key, False)
        if work.folder is None:
            pages[path] = "".join(pieces).encode("utf-8")
        else:
            with open(_new_path(work.folder, path, made), "w", encoding="utf-8", newline="") as file:
                file.writelines(pieces)
        return True
    if job.template in failed:
        return True
    try:
        clock.start()
        data, found = render_job(work.env, work.graph, job, work.assets)
        clock.stop()
    except Exception as error:  # noqa: BLE001 - a template's own mistake becomes a problem; ours is raised
        clock.stop()
        failed.add(job.template)
        problems.append(template_problem(error, job, work.templates))
        return not isinstance(error, RenderTimeout)
    problems.extend(found)
    if work.folder is None:
        pages[path] = data
    else:
        _write_new(_new_path(work.folder, path, made), data)
    return True


def _new_path(folder: Path, path: str, made: set[str]) -> str:
    """Where a page goes in the new folder, its folder made once: with one mkdir when its own parent was
    made here before (claims/x/embed/ after claims/x/), as makedirs first asks whether the parent exists."""
    target = os.path.join(folder, path)
    parent = os.path.dirname(target)
    if parent not in made:
        if os.path.dirname(parent) in made:
            with contextlib.suppress(FileExistsError):  # another process's page made it
                os.mkdir(parent)
        else:
            os.makedirs(parent, exist_ok=True)
            made.add(os.path.dirname(parent))  # made by makedirs too: articles/ with articles/x/
        made.add(parent)
    return target


def _write_new(path: str, data: bytes) -> None:
    """One page into the new folder, with the system calls alone (pathlib's cost 12 us more a page)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        write_all(descriptor, data)
    finally:
        os.close(descriptor)


def render_pages(env: SiteEnvironment, graph: Graph, jobs: Sequence[PageJob], assets: dict[str, str],
                 templates: Path, problems: list[Problem], folder: Path | None = None) -> dict[str, bytes]:
    """Render every job in this process; write into `folder` if given (parallel/render.py shares it out).

    Each page is a pure function of the model, so the order and the number of processes
    never change a byte. Template errors become problems naming the template and line.
    """
    problems.extend(check_urls(jobs))
    return gathered([render_range(render_work(env, graph, jobs, assets, templates, folder), 0, len(jobs))], problems)


def gathered(results: Iterable[tuple[dict[str, bytes], list[Problem]]], problems: list[Problem]) -> dict[str, bytes]:
    """The pages of every share of the work; its problems into `problems`, each failing template once."""
    pages: dict[str, bytes] = {}
    found: list[Problem] = []
    for part, part_problems in results:
        pages.update(part)
        found.extend(part_problems)
    problems.extend(once_per_template(found))
    return pages


def once_per_template(found: Iterable[Problem]) -> list[Problem]:
    """Problems without repeats: a failing template once, not once per page or process that met it."""
    seen_templates: set[Origin] = set()
    kept = []
    for problem in dict.fromkeys(found):
        if problem.code == "template-error":
            if problem.origin in seen_templates:
                continue
            seen_templates.add(problem.origin)
        kept.append(problem)
    return kept


# Kinds of page by how long one takes to render (10.7k pages: claims.json 240 ms, the claims index 140 ms,
# a verdict page 5 ms, an article page 0.9 ms, a claim page 0.3 ms); the rest after them.
_LONGEST_FIRST = {kind: rank for rank, kind in enumerate((
    "claims-json", "claims", "annotations", "claims-csv", "home", "sitemap", "verdict", "feed", "sources",
    "verdicts", "tags", "tag", "article", "coverage", "source", "claim", "notes"))}


def template_problem(error: Exception, job: PageJob, templates: Path) -> Problem:
    """A template that failed while rendering a page, as a problem naming its file and line.

    Templates are the site's own files, so their mistakes are input errors, not crashes:
    a syntax error, a missing template, a file that is not UTF-8, or an expression that
    fails on the model (`{{ claim.claim + 1 }}`). An exception raised outside any template
    is a fault of site-builder's own and is raised again.
    """
    name, line = job.template, 0
    if isinstance(error, jinja2.TemplateSyntaxError):
        name, line = error.name or job.template, error.lineno or 0
    else:
        in_template = False
        trace = error.__traceback__
        while trace is not None:
            filename = trace.tb_frame.f_code.co_filename
            if filename.startswith(str(templates)):
                name, line, in_template = Path(filename).relative_to(templates).as_posix(), trace.tb_lineno, True
            trace = trace.tb_next
        if not in_template and not isinstance(error, jinja2.TemplateError):
            raise error
    message = (error.message if isinstance(error, jinja2.TemplateError) else None) or str(error)
    return Problem(Origin(f"templates/{name}", line, 1 if line else 0), "template-error",
                   f"{type(error).__name__}: {message} (while rendering /{job.url})",
                   "fix the template; author text is never evaluated as a template")

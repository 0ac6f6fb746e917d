"""Stage 5, render: the list of pages to make, and each page made from the model alone.

`plan` lists every output as a `PageJob`; `render_job` is a pure function of the
job, the graph and the templates, so a clean build renders all jobs, `serve`
re-renders only the jobs a change touches, and both give the same bytes. Links
between pages are relative (`root` is the way back to the site's top), so the
site works from any folder or sub-path; only canonical and feed URLs use
`base_url`.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from . import data
from .desk_pages import desk_context, repeat_links
from .environment import SINK
from .errors import Origin, Problem
from .forked import fork_available, piece_size, shared_out, write_all
from .link import Graph, last_change
from .memo import IdentityMemo
from .safety import leaves_site
from .timelimit import PageClock, RenderTimeout

__all__ = ["PageJob", "plan", "render_job", "render_pages", "fingerprint_assets", "output_path", "job_inputs",
           "dependants", "template_problem", "once_per_template", "FROM_PLAN", "DOWNLOADS", "SINGLE"]


@dataclass(frozen=True, slots=True)
class PageJob:
    url: str  # relative to the site's top: "" (home), "claims/x/", "404.html", "sitemap.xml"
    template: str
    kind: str
    key: str = ""  # the id of the thing the page is about


SINGLE = {  # kind -> (URL, template) of the pages the site has once
    "home": ("", "home.html"), "claims": ("claims/", "claims.html"), "sources": ("sources/", "sources.html"),
    "verdicts": ("verdicts/", "verdicts.html"), "tags": ("tags/", "tags.html"), "search": ("search/", "search.html"),
    "404": ("404.html", "404.html"), "sitemap": ("sitemap.xml", "sitemap.xml"), "robots": ("robots.txt", "robots.txt"),
    "feed": ("feed.xml", "feed.xml"), "claims-json": ("claims.json", ""), "claims-csv": ("claims.csv", ""),
    "annotations": ("annotations.jsonld", ""), "claims-schema": ("schemas/claims.schema.json", ""),
    "claimants": ("claimants/", "claimants.html"), "desk": ("desk/", "desk.html"),
}


_PLANS: IdentityMemo[tuple[PageJob, ...]] = IdentityMemo(2)


def _single(*kinds: str) -> list[PageJob]:
    return [PageJob(SINGLE[kind][0], SINGLE[kind][1], kind) for kind in kinds]


def plan(graph: Graph) -> tuple[PageJob, ...]:
    """Every page of the site, in a stable order (made once per graph: the sitemap lists them too).

    Remembered by what it is made from, which a patched graph (`patch`) keeps as it was.
    """
    return _PLANS.get((graph.order, graph.verdicts, graph.by_tag, graph.site.pages), partial(_plan, graph),
                      (tuple(graph.articles), tuple(graph.sources)))


def _plan(graph: Graph) -> tuple[PageJob, ...]:
    jobs = _single("home")
    for slug in graph.articles:
        jobs += [PageJob(f"articles/{slug}/", "article.html", "article", slug),
                 PageJob(f"articles/{slug}/coverage/", "coverage.html", "coverage", slug),
                 PageJob(f"articles/{slug}/notes.json", "", "notes", slug)]
    jobs += _single("claims")
    jobs += [PageJob(f"claims/{claim_id}/", "claim.html", "claim", claim_id) for claim_id in graph.order]
    if graph.desk is not None:
        jobs += _single("claimants") + (_single("desk") if graph.desk.people else [])
        jobs += [PageJob(f"claimants/{key}/", "claimant.html", "claimant", key) for key in graph.desk.claimants]
    jobs += _single("sources")
    jobs += [PageJob(f"sources/{source_id}/", "source.html", "source", source_id) for source_id in graph.sources]
    jobs += _single("verdicts")
    jobs += [PageJob(f"verdicts/{verdict_id}/", "verdict.html", "verdict", verdict_id)
             for verdict_id in graph.verdicts]
    jobs += _single("tags")
    jobs += [PageJob(f"tags/{tag}/", "tag.html", "tag", tag) for tag in graph.by_tag]
    jobs += [PageJob(f"{page.slug}/", "page.html", "page", page.slug) for page in graph.site.pages]
    jobs += _single("search", "404", "sitemap", "robots")
    jobs += [PageJob(url, "feed.xml", "feed", str(number)) for number, url in enumerate(feed_urls(graph), start=1)]
    jobs += [PageJob(f"articles/{slug}/text.txt", "", "text", slug) for slug in graph.articles]
    return tuple(jobs + _single("claims-json", "claims-csv", "annotations", "claims-schema"))  # shared: never changed


_DATA: dict[str, Callable[[Graph, str, bool], Iterable[str]]] = {  # kind -> (graph, key, remember) -> pieces
    "text": lambda graph, key, remember: (data.article_text(graph, key),),
    "notes": lambda graph, key, remember: (data.article_notes(graph, key),),
    "claims-json": lambda graph, key, remember: data.claims_json(graph, remember),
    "claims-csv": lambda graph, key, remember: data.claims_csv(graph, remember),
    "annotations": lambda graph, key, remember: data.web_annotations(graph, remember),
    "claims-schema": lambda graph, key, remember: (data.claims_schema(graph),),
}


def output_path(url: str) -> str:
    return url + "index.html" if url == "" or url.endswith("/") else url


class AssetNames(dict[str, str]):
    """Asset name -> its published path. A template naming an asset that is not there fails
    with a message saying which file is missing, not "'dict object' has no attribute"."""

    def __missing__(self, name: str) -> str:
        raise jinja2.TemplateRuntimeError(f"there is no assets/{name}: add the file, or remove the reference to it")


def fingerprint_assets(assets: Path, problems: list[Problem], fingerprint: bool = True
                       ) -> tuple[AssetNames, dict[str, bytes]]:
    """Copy assets under content-hashed names: (name -> hashed path, output path -> bytes).

    Without `fingerprint` (the preview server) names stay as they are, so a stylesheet
    edit can be swapped into an open page without reloading it. Hidden files and folders
    (`.git/`, `.DS_Store`) are not published, and neither is a link to a file outside the
    site folder: that is a problem added to `problems`.
    """
    names = AssetNames()
    files: dict[str, bytes] = {}
    for relative, content in published_files(assets, problems):
        digest = hashlib.blake2b(content, digest_size=5).hexdigest()
        stem, dot, suffix = relative.rpartition(".")
        hashed = f"assets/{stem}.{digest}.{suffix}" if dot else f"assets/{relative}.{digest}"
        if not fingerprint:
            hashed = f"assets/{relative}"
        names[relative] = hashed
        files[hashed] = content
    return names, files


def published_files(folder: Path, problems: list[Problem], keep: tuple[str, ...] = ()
                    ) -> Iterator[tuple[str, bytes]]:
    """(path relative to `folder`, bytes) of each file of a folder whose files are published (assets/, static/).

    Hidden files and folders (`.git/`, `.DS_Store`) are left out but for those named in
    `keep`, and so is a link out of the site folder or round in a loop: that is a problem
    added to `problems`, as is a file that cannot be read.
    """
    name = folder.name
    published = "assets are published" if name == "assets" else f"the files of {name}/ are published"
    site = os.path.realpath(folder.parent)
    reason = leaves_site(str(folder), site)
    if reason is not None:
        problems.append(Problem(Origin(name), "unsafe-path", f"{name}/ is a link to a folder outside the site "
                                f"folder, and {published}" if reason == "outside" else
                                f"{name}/ is a link that leads round in a loop of links",
                                "replace the link with the folder itself"))
        return
    if not folder.is_dir():
        return
    for relative, entry in _visible_files(str(folder), keep=keep):
        reason = leaves_site(entry.path, site) if entry.is_symlink() else None
        if reason is not None:
            problems.append(Problem(Origin(f"{name}/{relative}"), "unsafe-path",
                                    f"this link points outside the site folder, and {published}"
                                    if reason == "outside" else "this link leads round in a loop of links",
                                    "replace the link with the file itself"))
            continue
        if not entry.is_file():
            continue
        try:
            with open(entry.path, "rb") as file:
                data = file.read()
        except OSError as error:
            problems.append(Problem(Origin(f"{name}/{relative}"), "unreadable",
                                    f"cannot read the file: {error.strerror}"))
            continue
        yield relative, data


def template_link_problems(templates: Path) -> list[Problem]:
    """templates/ (or a link in it, to a file or a folder) leading outside the site, or round in a loop.

    A template is copied into every page it renders: one read from outside the site would publish it.
    """
    site = os.path.realpath(templates.parent)

    def refused(path: str, relative: str) -> Problem | None:
        reason = leaves_site(path, site)
        if reason is None:
            return None
        what = "this link points outside the site folder" if reason == "outside" else \
            "this link leads round in a loop of links"
        return Problem(Origin(relative), "unsafe-path", f"{what}, and templates are published in every page",
                       "replace the link with the file or folder itself")

    problem = refused(str(templates), "templates")
    if problem is not None:
        return [problem]
    found = []
    for folder, dirs, names in os.walk(templates):  # links to folders are listed, not followed
        for name in sorted(dirs + names):
            path = os.path.join(folder, name)
            if os.path.islink(path):
                problem = refused(path, "templates/" + Path(path).relative_to(templates).as_posix())
                if problem is not None:
                    found.append(problem)
        dirs.sort()
    return found


def _visible_files(folder: str, prefix: str = "", keep: tuple[str, ...] = ()
                   ) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(path relative to `folder`, entry) of everything but folders, hidden ones left out, in name order."""
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        if entry.name.startswith(".") and not (prefix == "" and entry.name in keep):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _visible_files(entry.path, f"{prefix}{entry.name}/")  # `keep`: at the top only
        else:
            yield prefix + entry.name, entry


FEED_ENTRIES = 100  # a feed page's checks and updates; feed.xml holds the newest, feed/2.xml the next


def feed_urls(graph: Graph) -> list[str]:
    """The feed's pages (RFC 5005 paging), newest first: every check is in one of them."""
    pages = max(1, -(-len(graph.order) // FEED_ENTRIES))
    return [SINGLE["feed"][0]] + [f"feed/{number}.xml" for number in range(2, pages + 1)]


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
                       drifted=len(graph.anchored[key].drift))
    elif job.kind == "claim":
        claim = graph.claims[key]
        context.update(claim=claim, verdict=graph.verdicts[claim.verdict], article=graph.articles[claim.article],
                       before=graph.neighbours[key][0], after=graph.neighbours[key][1],
                       quote_context=graph.context[key], jsonld=data.json_for_html(data.claim_review(graph, key)),
                       drift=graph.anchored[claim.article].drift.get(key, ()), **desk_context(graph, key))
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
                             and other.kind != "404"])
    elif job.kind == "feed":
        number, urls = int(key), [config.base_url + url for url in feed_urls(graph)]
        context.update(entries=graph.latest[(number - 1) * FEED_ENTRIES:number * FEED_ENTRIES],
                       last_change=last_change, first=urls[0], last=urls[-1],
                       previous=urls[number - 2] if number > 1 else None,
                       next=urls[number] if number < len(urls) else None)
    return context


def job_inputs(job: PageJob, graph: Graph) -> set[str]:
    """The content files a page is made from (paths relative to the site root).

    This is the definition, page by page; `serve` asks the same question the other way
    round (`dependants`: which pages is this file in?), and a test holds the two equal.
    Every page shows the site's settings and the footer's page titles; the pages of
    `FROM_PLAN` also show the list of pages, which `serve` compares itself.
    """
    site = graph.site
    inputs = {site.config.origin.path, *(page.origin.path for page in site.pages)}

    def claims(ids: Any) -> None:
        for claim_id in ids:
            claim = graph.claims[claim_id]
            inputs.add(claim.origin.path)

    def articles(slugs: Any) -> None:
        for slug in slugs:
            article = graph.articles[slug]
            inputs.update((article.origin.path, article.text_path, *(v.path for v in article.versions)))

    key, kind = job.key, job.kind
    if kind in WHOLE_SITE:
        claims(graph.order)
        articles(graph.articles)
        if kind in WITH_SOURCES:
            inputs.update(source.origin.path for source in site.sources)
    elif kind == "text":
        articles([key])
    elif kind in ("article", "coverage", "notes"):
        articles([key])
        claims(graph.by_article[key])
        if kind == "notes":
            inputs.update(graph.sources[ref.source].origin.path for claim_id in graph.by_article[key]
                          for ref in graph.claims[claim_id].sources)
    elif kind == "claim":
        claim = graph.claims[key]
        claims([key, *graph.related[key], *(n for n in graph.neighbours[key] if n), *repeat_links(graph, key)])
        articles([claim.article])
        inputs.update(graph.sources[ref.source].origin.path for ref in claim.sources)
    elif kind == "source":
        inputs.add(graph.sources[key].origin.path)
        claims(claim_id for claim_id, _ in graph.by_source[key])
    elif kind == "verdict":
        claims(graph.by_verdict[key])
    elif kind == "tag":
        claims(graph.by_tag[key])
    elif kind == "claimant":
        claims(graph.desk.by_claimant[key])
        articles({graph.claims[claim_id].article for claim_id in graph.desk.by_claimant[key]})
    return inputs


WHOLE_SITE = ("home", "claims", "claimants", "verdicts", "tags", "sources", "feed", "claims-json", "claims-csv",
              "annotations")  # pages made from every claim and article
WITH_SOURCES = ("sources", "claims-json", "claims-csv")  # ... and from every source
FROM_PLAN = ("sitemap",)  # pages made from the list of pages: made again when a page comes or goes
DOWNLOADS = ("claims-json", "claims-csv", "annotations")  # the whole-site data: `serve` makes them when asked


def dependants(graph: Graph, path: str) -> set[str]:
    """The URLs of the pages made from the content file `path`: `job_inputs` read backwards.

    `serve` asks this for each changed file, in the graph before and after the change,
    instead of computing the inputs of every page of a large site after each save.
    """
    site = graph.site
    if path == site.config.origin.path or any(page.origin.path == path for page in site.pages):
        return {job.url for job in plan(graph)}
    found: set[str] = set()
    files = _content_files(graph)
    kind, key = files.get(path, ("", ""))

    def articles_pages(slug: str) -> None:
        found.update((f"articles/{slug}/", f"articles/{slug}/coverage/", f"articles/{slug}/notes.json"))

    if kind == "article":
        found.update(_whole_site_urls(graph, WHOLE_SITE))
        articles_pages(key)
        found.add(f"articles/{key}/text.txt")
        found.update(f"claims/{claim_id}/" for claim_id in graph.by_article[key])
        if graph.desk is not None:
            found.update(f"claimants/{graph.desk.of_claim[claim_id]}/" for claim_id in graph.by_article[key])
    elif kind == "claim":
        claim = graph.claims[key]
        found.update(_whole_site_urls(graph, WHOLE_SITE))
        articles_pages(claim.article)
        found.update(f"claims/{claim_id}/" for claim_id in (key, *graph.related[key], *graph.neighbours[key],
                                                              *repeat_links(graph, key)) if claim_id)
        if graph.desk is not None:
            found.add(f"claimants/{graph.desk.of_claim[key]}/")
        found.update(f"sources/{ref.source}/" for ref in claim.sources)
        found.add(f"verdicts/{claim.verdict}/")
        found.update(f"tags/{tag}/" for tag in claim.tags)
    elif kind == "source":
        found.update(_whole_site_urls(graph, WITH_SOURCES))
        citing = [claim_id for claim_id, _ in graph.by_source[key]]
        for claim_id in citing:
            found.update((f"claims/{claim_id}/", f"articles/{graph.claims[claim_id].article}/notes.json"))
        found.add(f"sources/{key}/")
    return found


_FILES: IdentityMemo[dict[str, tuple[str, str]]] = IdentityMemo(2)  # the graphs before and after an edit


def _content_files(graph: Graph) -> dict[str, tuple[str, str]]:
    """Content file path -> (what it holds: article, claim or source; its id), once per graph."""
    def make() -> dict[str, tuple[str, str]]:
        files = {claim.origin.path: ("claim", claim_id) for claim_id, claim in graph.claims.items()}
        for slug, article in graph.articles.items():
            for path in (article.origin.path, article.text_path, *(v.path for v in article.versions)):
                files[path] = ("article", slug)
        files.update((source.origin.path, ("source", source_id)) for source_id, source in graph.sources.items())
        return files
    return _FILES.get((graph.order,), make, (tuple(graph.articles), tuple(graph.sources)))  # a patch keeps them


def _whole_site_urls(graph: Graph, kinds: tuple[str, ...]) -> list[str]:
    return [url for kind in kinds for url in (feed_urls(graph) if kind == "feed" else [SINGLE[kind][0]])]


def render_job(env: jinja2.Environment, graph: Graph, job: PageJob, assets: dict[str, str]
               ) -> tuple[bytes, list[Problem]]:
    """A page's bytes, and the problems its author text showed while rendering."""
    SINK.clear()
    if job.kind in _DATA:
        return "".join(_DATA[job.kind](graph, job.key, True)).encode("utf-8"), []
    data = env.get_template(job.template).render(_context(job, graph, assets)).encode("utf-8")
    found = list(dict.fromkeys(SINK))
    SINK.clear()
    return data, found


def check_urls(jobs: Sequence[PageJob]) -> list[Problem]:
    """Two pages must never claim one URL."""
    problems: list[Problem] = []
    claimed: dict[str, PageJob] = {}
    for job in jobs:
        path = output_path(job.url)
        if path in claimed:
            problems.append(Problem(Origin(path), "url-collision",
                                    f"two pages would be written to /{path}: {claimed[path].kind} "
                                    f"'{claimed[path].key}' and {job.kind} '{job.key}'", "rename one of them"))
        claimed[path] = job
    return problems


@dataclass(frozen=True, slots=True)
class _Work:
    env: jinja2.Environment
    graph: Graph
    jobs: Sequence[PageJob]
    assets: dict[str, str]
    templates: Path
    folder: Path | None  # write pages here, or return their bytes
    # Set by the first page of this process that ran out of time: the build fails, and every page
    # after it could take as long, so this process renders no more (its own copy after a fork).
    out_of_time: list[str] = field(default_factory=list)


_WORK: _Work | None = None  # set before forking, so workers inherit the model instead of receiving it


def _render_range(start: int, stop: int) -> tuple[dict[str, bytes], list[Problem]]:
    """Render jobs[start:stop]; write them to the folder, or return their bytes."""
    work = _WORK
    assert work is not None
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


def _render_one(work: _Work, job: PageJob, clock: PageClock, pages: dict[str, bytes], problems: list[Problem],
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
    """Where a page goes in the new folder, its folder made once."""
    target = os.path.join(folder, path)
    parent = os.path.dirname(target)
    if parent not in made:
        os.makedirs(parent, exist_ok=True)
        made.add(parent)
    return target


def _write_new(path: str, data: bytes) -> None:
    """One page into the new folder, with the system calls alone (pathlib's cost 12 us more a page)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        write_all(descriptor, data)
    finally:
        os.close(descriptor)


def render_pages(env: jinja2.Environment, graph: Graph, jobs: Sequence[PageJob], assets: dict[str, str],
                 templates: Path, problems: list[Problem], folder: Path | None = None,
                 workers: int = 1) -> dict[str, bytes]:
    """Render every job, in `workers` forked processes when it pays; write into `folder` if given.

    Each page is a pure function of the model, so the order and the number of processes
    never change a byte. Template errors become problems naming the template and line.
    """
    global _WORK
    problems.extend(check_urls(jobs))
    # The longest jobs first: a whole-site page left for the end keeps one process working alone.
    _WORK = _Work(env, graph, sorted(jobs, key=lambda job: _LONGEST_FIRST.get(job.kind, len(_LONGEST_FIRST))),
                  assets, templates, folder)
    pages: dict[str, bytes] = {}
    found: list[Problem] = []
    try:
        if workers > 1 and len(jobs) > 256 and fork_available():
            # Frozen, the model is never scanned by the collector, so workers share its memory pages
            # instead of copying them; the collector stays on for what rendering itself creates.
            _compile_templates(env)
            collecting = gc.isenabled()
            gc.freeze()
            _release_free_memory()
            gc.enable()
            try:
                # The parent renders too: a waiting parent is one more copy of the model for nothing
                # (53k pages: peak 1.42 -> 1.14 GiB).
                results = shared_out(len(jobs), piece_size(len(jobs), workers, most=64), workers,
                                     lambda start, stop: [_render_range(start, stop)])
            finally:
                gc.unfreeze()
                if not collecting:
                    gc.disable()
        else:
            results = [_render_range(0, len(jobs))]
    finally:
        _WORK = None
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


def _compile_templates(env: jinja2.Environment) -> None:
    """Compile every template once, before forking, instead of once in each worker (Karlov: 40 ms less)."""
    for name in env.list_templates():
        with contextlib.suppress(jinja2.TemplateError):  # a worker reports it, with the page it broke
            env.get_template(name)


def _release_free_memory() -> None:
    """Hand the parsed files' freed memory back to the system before forking (glibc only).

    What the workers touch of the parent's heap is copied into each of them; pages that
    only held freed parse trees need not be there to be copied (10.7k pages: peak PSS
    538 -> 505 MiB).
    """
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


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

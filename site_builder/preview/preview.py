"""`site-builder serve`: a live preview that rebuilds only what an edit touches.

After a save, the site is compiled again from the parse cache (only changed files
are parsed, unchanged claims stay the same objects, and an edit to what claims or
sources say patches the previous graph: `patch`), and a page is rendered again
only when it is made from a changed content file (`deps.dependants`, in the
graph before and after the edit) or from a changed template (with everything it
includes or extends); a file is written only when its bytes did. The whole-site
data files (claims.json, claims.csv, annotations.jsonld) are made when a browser
asks for them. A broken file never stops the server: every HTML request gets an
error page with all problems until the file is fixed. The preview goes to a
temporary folder, never over `public/`.

What the preview shows is one frozen `Shown`, made whole by each rebuild and swapped
in at its end: a request never sees half of one rebuild's state and half of another's.

"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import threading
import time
import traceback
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ..build import Compiled
from ..content.load import RawFile
from ..errors import BuildFailed, Origin, Problem
from ..link import Graph
from ..memo import Memos
from ..output.assets import template_link_problems
from ..output.environment import SiteEnvironment
from ..output.plan import PageJob, plan
from ..output.render import once_per_template, render_job, template_problem
from ..output.static import static_collisions, static_files
from ..output.theme import theme_assets
from ..output.timelimit import PageClock, RenderTimeout
from ..output.urls import SINGLE, output_path
from ..parallel.forked import cpus, fork_available, shared_out
from .deps import DOWNLOADS, FROM_PLAN, dependants
from .error_page import error_page
from .recompile import recompile
from .templates import Templates, read_templates

__all__ = ["Preview", "Rebuild", "Shown", "is_page"]

SHARED_FROM = 2000  # pages: a first build this large is shared out between processes, as `build` does
LONG_LISTS = ("home", "claims", "verdict", "tag", "sources")  # pages whose list runs a claim edit re-renders


@dataclass
class Rebuild:
    seconds: float
    rendered: list[str] = field(default_factory=list)  # output paths rendered again
    written: list[str] = field(default_factory=list)  # output paths whose bytes changed (or were removed)
    problems: list[Problem] = field(default_factory=list)
    unpatched: str = ""  # why the site was compiled again instead of patched (shown in the terminal)

    @property
    def failed(self) -> bool:
        return any(problem.is_error for problem in self.problems)


def _empty() -> Mapping:
    return MappingProxyType({})


@dataclass(frozen=True)
class Shown:
    """What the preview folder holds and what it was made from, as the last rebuild left it."""

    compiled: Compiled | None = None  # the last compile, when it succeeded: the next one starts from it
    problems: tuple[Problem, ...] = ()  # the last rebuild's errors: while there are any, pages are the error page
    graph: Graph | None = None  # the graph the pages on disk were made from; None: make every page
    file_digests: Mapping[str, str] = field(default_factory=_empty)  # content file -> hash, for that graph
    plan: tuple[PageJob, ...] = ()
    jobs: Mapping[str, PageJob] = field(default_factory=_empty)  # URL -> job, of that plan
    templates: Templates | None = None
    assets: Mapping[str, str] = field(default_factory=_empty)  # asset name -> published name
    hashes: Mapping[str, str] = field(default_factory=_empty)  # output path -> hash of the bytes on disk
    # output path -> what its author text showed
    page_problems: Mapping[str, tuple[Problem, ...]] = field(default_factory=_empty)
    pending: frozenset[str] = frozenset()  # URLs whose template failed: made again next time
    # output path -> the whole-site data, None until asked for
    downloads: Mapping[str, bytes | None] = field(default_factory=_empty)


class Preview:
    """One preview: what the stages remember between saves, and the `Shown` of the last rebuild."""

    def __init__(self, root: Path, out: Path):
        self.root, self.out = root.resolve(), out
        # What the stages remember between rebuilds (objects they fill themselves, passed in).
        self.cache: dict[str, RawFile] = {}
        self.records: dict = {}  # validated files, by content
        self.memos = Memos()
        self.shown = Shown()

    # What the server and the tests read: the last rebuild's.
    @property
    def problems(self) -> list[Problem]:
        return list(self.shown.problems)

    @property
    def compiled(self) -> Compiled | None:
        return self.shown.compiled

    @property
    def graph(self) -> Graph | None:
        return self.shown.graph

    @property
    def hashes(self) -> Mapping[str, str]:
        return self.shown.hashes

    def rebuild(self, modified: set[str] | None = None, viewed: Collection[str] = (),
                show: Callable[[str, bytes], None] | None = None) -> Rebuild:
        """Build again; `modified` (paths relative to the root) are the only files saved since the last call.

        The pages in `viewed` (output paths: what the browsers show) are made first, and each
        one whose bytes changed is handed to `show` at once, before the rest are made.
        """
        started = time.perf_counter()
        report = Rebuild(0.0)
        before = self.shown
        hashes = dict(before.hashes)  # kept up to date with the disk as files are written, whatever happens
        collecting = gc.isenabled()
        gc.disable()  # a rebuild makes many short-lived objects: scanning the whole model for cycles costs more
        try:
            compiled = recompile(self.root, before.compiled, modified, self.cache, self.records, self.memos)
            report.problems = list(compiled.problems)  # what rendering finds is this rebuild's, not the compile's
            report.unpatched = compiled.unpatched
            after = self._render(before, compiled, report, hashes, set(viewed), show)
        except BuildFailed as failed:
            report.problems = failed.problems
            after = dataclasses.replace(before, compiled=None)  # after a failure, look at every file again
        except Exception as error:  # noqa: BLE001 - a fault of ours: shown in the browser, the preview lives on
            traceback.print_exc()
            report.problems = [Problem(Origin("site-builder"), "internal-error", f"{type(error).__name__}: {error}",
                                       "this is a fault in site-builder, not in your files; the terminal shows "
                                       "where it happened: please report it")]
            # What the pages on disk were made from is unknown now: the next rebuild makes every page again.
            after = dataclasses.replace(before, compiled=None, graph=None, hashes=MappingProxyType(hashes))
        finally:
            if collecting:
                gc.enable()
        self.shown = dataclasses.replace(after, problems=tuple(p for p in report.problems if p.is_error))
        report.seconds = time.perf_counter() - started
        return report

    def _render(self, before: Shown, compiled: Compiled, report: Rebuild, hashes: dict[str, str], viewed: set[str],
                show: Callable[[str, bytes], None] | None) -> Shown:
        """Render the pages an edit touched (the dependants of each changed file, before and after it).

        Gives the new Shown; `hashes` is updated as each file is written.
        """
        graph = compiled.graph
        templates = read_templates(self.root, before.templates)
        assets, files = theme_assets(self.root, report.problems, fingerprint=False)
        report.problems += template_link_problems(self.root / "templates")
        pages = plan(graph)
        static = static_files(self.root / "static", report.problems)
        collisions = static_collisions(static, [output_path(job.url) for job in pages] + list(files) + ["pagefind/"])
        report.problems.extend(collisions)
        refused = {problem.origin.path.removeprefix("static/") for problem in collisions}
        files.update((path, data) for path, data in static.items() if path not in refused)
        jobs = before.jobs if pages is before.plan else MappingProxyType({job.url: job for job in pages})
        todo = set(jobs) if before.graph is None or assets != before.assets or before.templates is None \
            else _todo(before, compiled, jobs, templates.closure)
        pending: set[str] = set()
        downloads = dict(before.downloads)
        page_problems = dict(before.page_problems)
        making = []
        for url, job in jobs.items():
            if url in todo:
                if job.kind in DOWNLOADS:
                    downloads[output_path(url)] = None
                else:
                    making.append(job)
        if len(making) >= SHARED_FROM and _may_fork():  # the first build of a large site
            # This process makes the long lists itself, so that what they remember serves the next save.
            first = sorted(range(len(making)), key=lambda index: making[index].kind not in LONG_LISTS)
            shared = [making[index] for index in first]
            own = sum(1 for job in making if job.kind in LONG_LISTS)
            results = shared_out(len(shared), 64, cpus(), lambda start, stop: self._make(
                templates.env, graph, shared[start:stop], assets, hashes), own)
            made = [result for _, result in sorted(zip(first, results, strict=True))]  # back in plan order
        else:
            if viewed:  # what the browsers show first (a stable sort: the rest stay in plan order)
                making.sort(key=lambda job: output_path(job.url) not in viewed)
            made = self._make(templates.env, graph, making, assets, hashes, viewed, show)
        failed: list[Problem] = []
        for job, (path, digest, written, found) in zip(making, made, strict=True):
            if digest is None:  # its template failed: made again next time
                failed.extend(found)
                pending.add(job.url)
                continue
            report.rendered.append(path)
            hashes[path] = digest
            if written:
                report.written.append(path)
            if found:
                page_problems[path] = tuple(found)
            else:
                page_problems.pop(path, None)
        report.problems.extend(once_per_template(failed))
        gone = {output_path(url) for url in before.jobs.keys() - jobs.keys()}
        for path in gone:
            page_problems.pop(path, None)
            downloads.pop(path, None)
        for kept in page_problems.values():  # what is wrong with pages not made again still is
            report.problems.extend(kept)
        for path, data in files.items():
            digest, written = self._put(path, data, hashes)
            hashes[path] = digest
            if written:
                report.written.append(path)
        for path in sorted(gone & hashes.keys()):
            (self.out / path).unlink(missing_ok=True)
            del hashes[path]
            report.written.append(path)
        return Shown(compiled, (), graph, compiled.digests, pages, jobs, templates, assets,
                     MappingProxyType(hashes), MappingProxyType(page_problems), frozenset(pending),
                     MappingProxyType(downloads))

    def _make(self, env: SiteEnvironment, graph: Graph, jobs: list[PageJob], assets: dict[str, str],
              hashes: dict[str, str], viewed: Collection[str] = (), show: Callable[[str, bytes], None] | None = None
              ) -> list[tuple[str, str | None, bool, list[Problem]]]:
        """Render and write pages: (output path, digest, whether its bytes changed, problems) for each.

        The digest is None when the page's template failed (then the problems say why).
        """
        made: list[tuple[str, str | None, bool, list[Problem]]] = []
        timed_out = False
        with PageClock(graph.site.config.timeout) as clock:
            for job in jobs:
                path = output_path(job.url)
                if timed_out:  # the rest waits for the next save: each could take as long, the server waiting
                    made.append((path, None, False, []))
                    continue
                try:
                    clock.start()
                    data, found = render_job(env, graph, job, assets)
                    clock.stop()
                except Exception as error:  # noqa: BLE001 - a template's own mistake becomes a problem
                    clock.stop()
                    timed_out = isinstance(error, RenderTimeout)
                    made.append((path, None, False, [template_problem(error, job, self.root / "templates")]))
                    continue
                digest, written = self._put(path, data, hashes)
                made.append((path, digest, written, found))
                if written and show is not None and path in viewed:
                    show(path, data)
        return made

    def download(self, path: str) -> bytes | None:
        """The whole-site data file at `path` (claims.json, ...), made from the last good build when first asked.

        Together they are as large as all the pages (40 MB at 10.7k pages): making and
        writing them after every save would cost more than the rest of the rebuild. What is
        made is kept in the Shown (a copy with it swapped in), until a save changes it.
        """
        shown = self.shown
        if path not in shown.downloads or shown.graph is None or shown.templates is None:
            return None
        data = shown.downloads[path]
        if data is None:
            data = render_job(shown.templates.env, shown.graph, shown.jobs[path], dict(shown.assets))[0]
            self.shown = dataclasses.replace(shown, downloads=MappingProxyType({**shown.downloads, path: data}))
        return data

    def _put(self, path: str, data: bytes, hashes: dict[str, str]) -> tuple[str, bool]:
        """Write `data` to `path` in the preview folder unless it is there already: (its digest, written).

        `hashes` (output path -> hash of the bytes on disk) says what is there, and is kept so.
        """
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        if hashes.get(path) == digest:
            return digest, False
        hashes.pop(path, None)  # unknown until the file is in place
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)  # a request never sees half a file
        hashes[path] = digest
        return digest, True

    def error_page(self) -> bytes:
        return error_page(self.root, self.shown.problems)


def _todo(before: Shown, compiled: Compiled, jobs: Mapping[str, PageJob], templates: Mapping[str, str]) -> set[str]:
    """The URLs to make again: the dependants of each changed file, and the pages whose job or template changed."""
    assert before.graph is not None and before.templates is not None
    old_jobs, old_templates = before.jobs, before.templates.closure
    changed = compiled.changed if compiled.changed is not None else \
        [path for path in compiled.digests.keys() | before.file_digests.keys()
         if compiled.digests.get(path) != before.file_digests.get(path)]
    todo = set(before.pending)
    for path in changed:
        todo |= dependants(before.graph, path) | dependants(compiled.graph, path)
    if jobs is not old_jobs or templates != old_templates:
        todo.update(url for url, job in jobs.items() if old_jobs.get(url) != job
                    or old_templates.get(job.template) != templates.get(job.template))
        if jobs.keys() != old_jobs.keys():
            todo.update(SINGLE[kind][0] for kind in FROM_PLAN)
    return todo


def _may_fork() -> bool:
    """Only before the server's threads start: a forked child gets no copy of them, nor of the locks they hold."""
    return threading.active_count() == 1 and fork_available()


def is_page(path: str) -> bool:
    return path == "" or path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]


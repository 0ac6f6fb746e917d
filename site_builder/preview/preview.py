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
"""

from __future__ import annotations

import gc
import hashlib
import html
import os
import threading
import time
import traceback
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.meta

from ..build import Compiled
from ..content.load import RawFile
from ..errors import BuildFailed, Origin, Problem
from ..link import Graph
from ..memo import Memos
from ..output.assets import template_link_problems
from ..output.environment import HELPER_TEMPLATES, SiteEnvironment, make_environment
from ..output.plan import PageJob, plan
from ..output.render import once_per_template, render_job, template_problem
from ..output.static import static_collisions, static_files
from ..output.theme import template_folders, theme_assets
from ..output.timelimit import PageClock, RenderTimeout
from ..output.urls import SINGLE, output_path
from ..parallel.forked import cpus, fork_available, shared_out
from .deps import DOWNLOADS, FROM_PLAN, dependants
from .recompile import recompile

__all__ = ["Preview", "Rebuild", "is_page"]

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


class Preview:
    """The state of one preview: parse cache, page digests, and the last problems."""

    def __init__(self, root: Path, out: Path):
        self.root, self.out = root.resolve(), out
        self.cache: dict[str, RawFile] = {}
        self.records: dict = {}  # validated files, by content
        self.memos = Memos()  # what the stages made of unchanged objects, for the next rebuild
        self.hashes: dict[str, str] = {}  # output path -> hash of the bytes on disk
        self.template_hashes: dict[str, str] = {}
        self.template_closure: dict[str, str] = {}
        self.env: SiteEnvironment | None = None
        self.problems: list[Problem] = []
        self.page_problems: dict[str, list[Problem]] = {}  # output path -> what its author text showed
        # What the pages on disk were made from: the last graph that built, and its inputs.
        self.graph: Graph | None = None
        self.file_digests: dict[str, str] = {}
        self.jobs: dict[str, PageJob] = {}
        self.plan: tuple[PageJob, ...] = ()
        self.templates: dict[str, str] = {}
        self.assets: dict[str, str] = {}
        self.pending: set[str] = set()  # URLs whose template failed: made again next time
        self.downloads: dict[str, bytes | None] = {}  # output path -> the whole-site data, None until asked for
        self.compiled: Compiled | None = None  # the last compile, when it succeeded

    def rebuild(self, modified: set[str] | None = None, viewed: Collection[str] = (),
                show: Callable[[str, bytes], None] | None = None) -> Rebuild:
        """Build again; `modified` (paths relative to the root) are the only files saved since the last call.

        The pages in `viewed` (output paths: what the browsers show) are made first, and each
        one whose bytes changed is handed to `show` at once, before the rest are made.
        """
        started = time.perf_counter()
        report = Rebuild(0.0)
        collecting = gc.isenabled()
        gc.disable()  # a rebuild makes many short-lived objects: scanning the whole model for cycles costs more
        previous, self.compiled = self.compiled, None  # after a failure, look at every file again
        try:
            compiled = recompile(self.root, previous, modified, self.cache, self.records, self.memos)
            report.problems = list(compiled.problems)  # what rendering finds is this rebuild's, not the compile's
            report.unpatched = compiled.unpatched
            self._render(compiled, report, set(viewed), show)
            self.compiled = compiled
        except BuildFailed as failed:
            report.problems = failed.problems
        except Exception as error:  # noqa: BLE001 - a fault of ours: shown in the browser, the preview lives on
            traceback.print_exc()
            report.problems = [Problem(Origin("site-builder"), "internal-error", f"{type(error).__name__}: {error}",
                                       "this is a fault in site-builder, not in your files; the terminal shows "
                                       "where it happened: please report it")]
            self.graph = None  # what is on disk is unknown now: the next rebuild makes every page again
        finally:
            if collecting:
                gc.enable()
        self.problems = [problem for problem in report.problems if problem.is_error]
        report.seconds = time.perf_counter() - started
        return report

    def _templates(self) -> dict[str, str]:
        """Template name -> digest of its source and of every template it pulls in."""
        folders = template_folders(self.root)  # the site's own files over the theme's
        sources = {p.relative_to(folder).as_posix(): p.read_bytes() for folder in reversed(folders)
                   for p in sorted(folder.rglob("*")) if p.is_file()}
        hashes = {name: hashlib.blake2b(data, digest_size=12).hexdigest() for name, data in sources.items()}
        if hashes == self.template_hashes and self.env is not None:
            return self.template_closure
        self.env = env = make_environment(folders, remember=True)
        self.template_hashes = hashes
        references: dict[str, set[str]] = {}
        for name, data in sources.items():
            try:
                source = data.decode("utf-8", "replace")
                found = jinja2.meta.find_referenced_templates(env.parse(source))
                references[name] = {ref for ref in found if ref}
                references[name].update(partial for call, partial in HELPER_TEMPLATES.items() if call in source)
            except jinja2.TemplateSyntaxError:
                references[name] = set()
        closure = {}
        for name in sources:
            seen, todo = set(), [name]
            while todo:
                current = todo.pop()
                if current in seen or current not in hashes:
                    continue
                seen.add(current)
                todo.extend(references.get(current, ()))
            closure[name] = hashlib.blake2b("".join(hashes[n] for n in sorted(seen)).encode(),
                                            digest_size=12).hexdigest()
        self.template_closure = closure
        return closure

    def _render(self, compiled: Compiled, report: Rebuild, viewed: set[str],
                show: Callable[[str, bytes], None] | None) -> None:
        """Render the pages an edit touched: the dependants of each changed file, before and after it."""
        graph, file_digests = compiled.graph, compiled.digests
        templates = self._templates()
        assert self.env is not None
        assets, files = theme_assets(self.root, report.problems, fingerprint=False)
        report.problems += template_link_problems(self.root / "templates")
        pages = plan(graph)
        static = static_files(self.root / "static", report.problems)
        collisions = static_collisions(static, [output_path(job.url) for job in pages] + list(files) + ["pagefind/"])
        report.problems.extend(collisions)
        refused = {problem.origin.path.removeprefix("static/") for problem in collisions}
        files.update((path, data) for path, data in static.items() if path not in refused)
        jobs = self.jobs if pages is self.plan else {job.url: job for job in pages}
        todo = set(jobs) if self.graph is None or assets != self.assets else self._todo(compiled, jobs, templates)
        self.pending = set()
        making = []
        for url, job in jobs.items():
            if url in todo:
                if job.kind in DOWNLOADS:
                    self.downloads[output_path(url)] = None
                else:
                    making.append(job)
        if len(making) >= SHARED_FROM and _may_fork():  # the first build of a large site
            # This process makes the long lists itself, so that what they remember serves the next save.
            first = sorted(range(len(making)), key=lambda index: making[index].kind not in LONG_LISTS)
            shared = [making[index] for index in first]
            own = sum(1 for job in making if job.kind in LONG_LISTS)
            results = shared_out(len(shared), 64, cpus(), lambda start, stop: self._make(graph, shared[start:stop],
                                                                                         assets), own)
            made = [result for _, result in sorted(zip(first, results, strict=True))]  # back in plan order
        else:
            if viewed:  # what the browsers show first (a stable sort: the rest stay in plan order)
                making.sort(key=lambda job: output_path(job.url) not in viewed)
            made = self._make(graph, making, assets, viewed, show)
        failed: list[Problem] = []
        for job, (path, digest, written, found) in zip(making, made, strict=True):
            if digest is None:  # its template failed: made again next time
                failed.extend(found)
                self.pending.add(job.url)
                continue
            report.rendered.append(path)
            self.hashes[path] = digest
            if written:
                report.written.append(path)
            if found:
                self.page_problems[path] = found
            else:
                self.page_problems.pop(path, None)
        report.problems.extend(once_per_template(failed))
        gone = {output_path(url) for url in self.jobs.keys() - jobs.keys()}
        for path in gone:
            self.page_problems.pop(path, None)
            self.downloads.pop(path, None)
        for found in self.page_problems.values():  # what is wrong with pages not made again still is
            report.problems.extend(found)
        for path, data in files.items():
            digest, written = self._put(path, data)
            self.hashes[path] = digest
            if written:
                report.written.append(path)
        for path in sorted(gone & self.hashes.keys()):
            (self.out / path).unlink(missing_ok=True)
            del self.hashes[path]
            report.written.append(path)
        self.graph, self.file_digests, self.jobs, self.templates, self.assets = graph, file_digests, jobs, \
            templates, assets
        self.plan = pages

    def _todo(self, compiled: Compiled, jobs: dict[str, PageJob], templates: dict[str, str]) -> set[str]:
        """The URLs to make again: the dependants of each changed file, and the pages whose job or template changed."""
        assert self.graph is not None
        before, old_jobs, old_templates = self.graph, self.jobs, self.templates
        changed = compiled.changed if compiled.changed is not None else \
            [path for path in compiled.digests.keys() | self.file_digests.keys()
             if compiled.digests.get(path) != self.file_digests.get(path)]
        todo = set(self.pending)
        for path in changed:
            todo |= dependants(before, path) | dependants(compiled.graph, path)
        if jobs is not old_jobs or templates != old_templates:
            todo.update(url for url, job in jobs.items() if old_jobs.get(url) != job
                        or old_templates.get(job.template) != templates.get(job.template))
            if jobs.keys() != old_jobs.keys():
                todo.update(SINGLE[kind][0] for kind in FROM_PLAN)
        return todo

    def _make(self, graph: Graph, jobs: list[PageJob], assets: dict[str, str], viewed: Collection[str] = (),
              show: Callable[[str, bytes], None] | None = None) -> list[tuple[str, str | None, bool, list[Problem]]]:
        """Render and write pages: (output path, digest, whether its bytes changed, problems) for each.

        The digest is None when the page's template failed (then the problems say why).
        """
        assert self.env is not None
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
                    data, found = render_job(self.env, graph, job, assets)
                    clock.stop()
                except Exception as error:  # noqa: BLE001 - a template's own mistake becomes a problem
                    clock.stop()
                    timed_out = isinstance(error, RenderTimeout)
                    made.append((path, None, False, [template_problem(error, job, self.root / "templates")]))
                    continue
                digest, written = self._put(path, data)
                made.append((path, digest, written, found))
                if written and show is not None and path in viewed:
                    show(path, data)
        return made

    def download(self, path: str) -> bytes | None:
        """The whole-site data file at `path` (claims.json, ...), made from the last good build when first asked.

        Together they are as large as all the pages (40 MB at 10.7k pages): making and
        writing them after every save would cost more than the rest of the rebuild.
        """
        if path not in self.downloads or self.graph is None or self.env is None:
            return None
        data = self.downloads[path]
        if data is None:
            data = self.downloads[path] = render_job(self.env, self.graph, self.jobs[path], self.assets)[0]
        return data

    def _put(self, path: str, data: bytes) -> tuple[str, bool]:
        """Write `data` to `path` in the preview folder unless it is there already: (its digest, written)."""
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        if self.hashes.get(path) == digest:
            return digest, False
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)  # a request never sees half a file
        return digest, True

    def error_page(self) -> bytes:
        """Every problem, with the lines around each one and the line itself marked."""
        items = []
        for problem in self.problems:
            lines = _excerpt(self.root, problem.origin)
            shown = "".join(
                f'<span class="{"line hit" if hit else "line"}">{"&gt;" if hit else " "} {number:>4} | '
                f"{html.escape(text)}</span>" for number, text, hit in lines)  # each a block: no newline too
            hint, _, more = (problem.hint or "").partition("\n")
            items.append(
                f"<li><p><code>{html.escape(str(problem.origin))}</code>: {problem.severity}"
                f"[<code>{html.escape(problem.code)}</code>]: {html.escape(problem.message)}</p>"
                + (f"<pre>{shown}</pre>" if shown else "")
                + (f"<p>Hint: {html.escape(hint)}</p>" if hint else "")
                + (f"<pre class=\"pinpoint\">{html.escape(more)}</pre>" if more else "") + "</li>")
        count = len(self.problems)
        return (
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Build failed: {count} problem(s)</title>"
            "<link rel=\"stylesheet\" href=\"/assets/style.css\"></head>"
            f"<body class=\"build-error\"><main><h1>Build failed: {count} problem(s)</h1>"
            "<p>Fix the files below and save: this page updates by itself.</p>"
            f"<ol class=\"problems\">{''.join(items)}</ol></main></body></html>\n"
        ).encode()


def _excerpt(root: Path, origin: Origin, around: int = 2) -> list[tuple[int, str, bool]]:
    if not origin.line:
        return []
    try:
        lines = (root / origin.path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    first = max(1, origin.line - around)
    last = min(len(lines), origin.line + around)
    return [(number, lines[number - 1], number == origin.line) for number in range(first, last + 1)]


def _may_fork() -> bool:
    """Only before the server's threads start: a forked child gets no copy of them, nor of the locks they hold."""
    return threading.active_count() == 1 and fork_available()


def is_page(path: str) -> bool:
    return path == "" or path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]


"""`site-builder serve`: a live preview that rebuilds only what an edit touches.

After a save, the site is compiled again from the parse cache (only changed files
are parsed, unchanged claims stay the same objects, and an edit to what claims or
sources say patches the previous graph: `patch`), and a page is rendered again
only when it is made from a changed content file (`render.dependants`, in the
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
import ipaddress
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from .build import Compiled, compile_site
from .environment import HELPER_TEMPLATES, make_environment
from .errors import BuildFailed, Origin, Problem, SourceLines, format_problem
from .forked import cpus, fork_available, shared_out
from .link import Graph
from .load import RawFile
from .render import (
    DOWNLOADS,
    FROM_PLAN,
    SINGLE,
    PageJob,
    dependants,
    once_per_template,
    output_path,
    plan,
    render_job,
    template_link_problems,
    template_problem,
)
from .static import static_collisions, static_files
from .theme import template_folders, theme_assets
from .timelimit import PageClock, RenderTimeout

__all__ = ["Preview", "Rebuild", "Saved", "serve"]

WATCHED = ("content", "templates", "assets", "static")
SHARED_FROM = 2000  # pages: a first build this large is shared out between processes, as `build` does
LONG_LISTS = ("home", "claims", "verdict", "tag", "sources")  # pages whose list runs a claim edit re-renders
DOWNLOAD_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8", "jsonld": "application/ld+json"}


@dataclass
class Rebuild:
    seconds: float
    rendered: list[str] = field(default_factory=list)  # output paths rendered again
    written: list[str] = field(default_factory=list)  # output paths whose bytes changed (or were removed)
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(problem.is_error for problem in self.problems)

    @property
    def reload_path(self) -> str:
        """What the browser should reload: a stylesheet alone is swapped in place."""
        if self.written and all(path.endswith(".css") for path in self.written):
            return self.written[0]
        return "index.html"


class Preview:
    """The state of one preview: parse cache, page digests, and the last problems."""

    def __init__(self, root: Path, out: Path):
        self.root, self.out = root.resolve(), out
        self.cache: dict[str, RawFile] = {}
        self.records: dict = {}  # validated files, by content
        self.hashes: dict[str, str] = {}  # output path -> hash of the bytes on disk
        self.template_hashes: dict[str, str] = {}
        self.template_closure: dict[str, str] = {}
        self.env: jinja2.Environment | None = None
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

    def rebuild(self, modified: set[str] | None = None) -> Rebuild:
        """Build again; `modified` (paths relative to the root) are the only files saved since the last call."""
        started = time.perf_counter()
        report = Rebuild(0.0)
        collecting = gc.isenabled()
        gc.disable()  # a rebuild makes many short-lived objects: scanning the whole model for cycles costs more
        previous, self.compiled = self.compiled, None  # after a failure, look at every file again
        try:
            compiled = compile_site(self.root, drafts=True, cache=self.cache, records=self.records,
                                    previous=previous, modified=modified)
            report.problems = list(compiled.problems)  # what rendering finds is this rebuild's, not the compile's
            self._render(compiled, report)
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

    def _render(self, compiled: Compiled, report: Rebuild) -> None:
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
            made = self._make(graph, making, assets)
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

    def _make(self, graph: Graph, jobs: list[PageJob], assets: dict[str, str]
              ) -> list[tuple[str, str | None, bool, list[Problem]]]:
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
                made.append((path, *self._put(path, data), found))
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


def _ignored(path: str) -> bool:
    """Editor droppings: swap, backup and temporary files."""
    name = os.path.basename(path)
    return (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp", ".part"))
            or name.isdigit())


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> int:
    """Build with drafts into a temporary folder, serve it, and rebuild on every save; then remove the folder.

    The folder is a full copy of the site with its drafts, so it must not outlive the
    preview: SIGTERM and SIGHUP (`timeout`, `docker stop`, an editor's stop button, a
    closed terminal) end the preview as Ctrl+C does.
    """
    out = Path(tempfile.mkdtemp(prefix="site-builder-preview-"))
    stopping = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {number: signal.signal(number, _interrupt) for number in stopping}
    try:
        return _serve(root.resolve(), out, host, port, open_browser)
    finally:
        shutil.rmtree(out, ignore_errors=True)
        for number, handler in previous.items():
            signal.signal(number, handler)


def _interrupt(number: int, _frame: Any) -> None:
    raise KeyboardInterrupt(signal.Signals(number).name)


def _serve(root: Path, out: Path, host: str, port: int, open_browser: bool) -> int:
    import livereload
    from livereload.handlers import LiveReloadHandler, StaticFileHandler
    from livereload.watcher import Watcher
    from tornado import web
    from tornado.ioloop import IOLoop

    preview = Preview(root, out)
    _report(preview.rebuild(), root, first=True)

    class NoPolling(Watcher):  # we watch with watchfiles and reload ourselves
        def start(self, callback: Any) -> bool:
            return True

    class PreviewFiles(StaticFileHandler):
        """Serves the preview folder only; answers errors with the error page, misses with the 404 page."""

        def prepare(self) -> None:
            if not host_allowed(self.request.host_name, host):  # a DNS-rebinding page would read the drafts
                self.set_status(421)
                self.set_header("Content-Type", "text/plain; charset=utf-8")
                self.finish(f"site-builder serve answers only requests for {host}, localhost, 127.0.0.1 or [::1]\n")

        def get(self, path: str, include_body: bool = True) -> Any:
            if "\0" in path:  # no file has such a name; the system's calls would raise
                raise web.HTTPError(404)
            if preview.problems and _is_page(path):
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                return self.finish(preview.error_page())
            data = preview.download(path)
            if data is not None:
                self.set_header("Content-Type", DOWNLOAD_TYPES[path.rsplit(".", 1)[-1]])
                self.set_header("Cache-Control", "no-store")
                return self.finish(data if include_body else b"")
            return super().get(path, include_body)

        def compute_etag(self) -> str | None:
            return super().compute_etag() if getattr(self, "absolute_path", None) else None  # downloads: none

        def validate_absolute_path(self, root_folder: str, absolute_path: str) -> str | None:
            real_root = os.path.realpath(root_folder)
            real = os.path.realpath(absolute_path)
            if real != real_root and not real.startswith(real_root + os.sep):
                raise web.HTTPError(404)
            if os.path.isdir(real) and not os.path.isfile(os.path.join(real, "index.html")):
                raise web.HTTPError(404)  # never a listing
            return super().validate_absolute_path(root_folder, absolute_path)

        def write_error(self, status_code: int, **kwargs: Any) -> None:
            missing = out / "404.html"
            self.set_header("Content-Type", "text/html; charset=utf-8")
            if status_code in (403, 404) and missing.is_file():
                self.set_status(404)
                self.finish(missing.read_bytes())
            else:
                self.finish(f"<!doctype html><title>{status_code}</title><h1>{status_code}</h1>")

        def set_extra_headers(self, path: str) -> None:
            self.set_header("Cache-Control", "no-store")

    server = livereload.Server(watcher=NoPolling())
    server.watch(str(out))
    server.SFH = PreviewFiles
    loop = IOLoop.current()
    stop = threading.Event()

    saved = Saved(root)

    def on_change() -> None:
        was_failing = bool(preview.problems)
        report = preview.rebuild(saved.take())
        _report(report, root)
        if report.written or report.failed or was_failing:
            LiveReloadHandler.reload_waiters(report.reload_path)

    def changed(changes: set[tuple[Any, str]]) -> None:
        saved.add(changes)
        loop.add_callback(on_change)

    threading.Thread(target=watch_site, args=(root, stop, changed), name="site-builder-watch", daemon=True).start()
    print(f"Previewing {root} (drafts included) at http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    try:
        server.serve(port=port, host=host, root=str(out), open_url_delay=0.3 if open_browser else None,
                     restart_delay=0)
    except OSError as error:
        print(f"site-builder: error: cannot listen on {host}:{port}: {error.strerror}; try another --port",
              file=sys.stderr)
        return 2
    finally:
        stop.set()
    return 0


def watch_site(root: Path, stop: threading.Event, changed: Callable[[set[tuple[Any, str]]], None]) -> None:
    """Call `changed` with what is saved in the watched folders, until `stop` is set.

    A watch follows a folder, not its name: a content/ folder deleted and put back
    (a checkout, a restore) would leave it on the deleted one for ever. So each folder's
    identity is looked at every half second, and when one came, went or was replaced the
    watch starts again, reporting the folder itself as added (everything is looked at).
    """
    import watchfiles
    while not stop.is_set():
        watched = _identities(root)
        folders = [str(root / name) for name, identity in watched.items() if identity is not None]
        if not folders:
            stop.wait(0.5)
        else:
            for changes in watchfiles.watch(*folders, stop_event=stop, debounce=300, step=30, rust_timeout=500,
                                            yield_on_timeout=True, watch_filter=lambda _c, path: not _ignored(path)):
                if changes:
                    changed(changes)
                if _identities(root) != watched:
                    break
        now = _identities(root)
        if now != watched and not stop.is_set():
            changed({(watchfiles.Change.added, str(root / name)) for name in WATCHED if now[name] != watched[name]})


def _identities(root: Path) -> dict[str, tuple[int, int] | None]:
    """Each watched folder's (device, inode), None when it is not there."""
    identities: dict[str, tuple[int, int] | None] = {}
    for name in WATCHED:
        try:
            info = os.stat(root / name)
        except OSError:
            identities[name] = None
            continue
        identities[name] = (info.st_dev, info.st_ino) if stat.S_ISDIR(info.st_mode) else None
    return identities


class Saved:
    """What the watcher saw since the last rebuild: the files modified, or None once anything else happened.

    A rebuild that knows every saved file reads only those; a file added, removed or
    renamed (editors that save by renaming a temporary file) needs a look at everything.
    """

    def __init__(self, root: Path):
        self.root = root
        self.lock = threading.Lock()
        self.paths: set[str] | None = set()

    def add(self, changes: set[tuple[Any, str]]) -> None:
        import watchfiles
        with self.lock:
            for change, path in changes:
                if self.paths is None:
                    return
                if change == watchfiles.Change.modified:
                    self.paths.add(Path(os.path.relpath(path, self.root)).as_posix())
                else:
                    self.paths = None

    def take(self) -> set[str] | None:
        with self.lock:
            paths, self.paths = self.paths, set()
        return paths


def host_allowed(name: str, listening_on: str) -> bool:
    """Whether a request's Host names the address the preview listens on.

    A page of any site whose name the attacker points at 127.0.0.1 (DNS rebinding)
    would otherwise read every draft. An address given as digits cannot be rebound, so
    a preview listening on every interface (0.0.0.0, ::) answers any of them.
    """
    name, listening_on = name.lower().strip("[]"), listening_on.lower().strip("[]")
    if name in ("localhost", "127.0.0.1", "::1", listening_on):
        return True
    return _is_address(name) and _is_address(listening_on) and ipaddress.ip_address(listening_on).is_unspecified


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _may_fork() -> bool:
    """Only before the server's threads start: a forked child gets no copy of them, nor of the locks they hold."""
    return threading.active_count() == 1 and fork_available()


def _is_page(path: str) -> bool:
    return path == "" or path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]


def _report(report: Rebuild, root: Path, first: bool = False) -> None:
    stamp = time.strftime("%H:%M:%S")
    if report.failed:
        errors = [p for p in report.problems if p.is_error]
        lines = SourceLines(root)
        for problem in errors:
            print(format_problem(problem, root, lines), file=sys.stderr)
        print(f"[{stamp}] build failed: {len(errors)} problem(s); the browser shows them", file=sys.stderr,
              flush=True)
        return
    what = "built" if first else "rebuilt"
    print(f"[{stamp}] {what} in {report.seconds * 1000:.0f} ms: {len(report.rendered)} page(s) rendered, "
          f"{len(report.written)} file(s) changed", flush=True)

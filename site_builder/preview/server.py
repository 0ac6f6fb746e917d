"""`site-builder serve`: the HTTP server on 127.0.0.1 and the file watcher around a `Preview`.

Saves are collected by the watcher (watchfiles), handed to `Preview.rebuild` (preview.py),
and the browser is told to reload; every HTML request gets the error page while the site
has problems. Requests are checked for their Host (a DNS-rebinding page would read the
drafts), and the preview goes to a temporary folder, never over `public/`.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import SourceLines, format_problem, terminal_safe
from ..safety import host_allowed
from .preview import Preview, Rebuild, is_page

__all__ = ["Saved", "serve", "watch_site"]

WATCHED = ("content", "templates", "assets", "static")
DOWNLOAD_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8", "jsonld": "application/ld+json"}


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
            if preview.problems and is_page(path):
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


def _ignored(path: str) -> bool:
    """Editor droppings: swap, backup and temporary files."""
    name = os.path.basename(path)
    return (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp", ".part"))
            or name.isdigit())


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
    why = f" (compiled again: {terminal_safe(report.unpatched)})" if report.unpatched else ""
    print(f"[{stamp}] {what} in {report.seconds * 1000:.0f} ms: {len(report.rendered)} page(s) rendered, "
          f"{len(report.written)} file(s) changed{why}", flush=True)

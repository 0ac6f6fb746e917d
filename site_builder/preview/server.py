"""`site-builder serve`: the HTTP server on 127.0.0.1 and the file watcher around a `Preview`.

Saves are collected by the watcher (watchfiles), handed to `Preview.rebuild` (preview.py),
and the browsers are told what changed, on the preview client's socket (handlers.py,
client.js): the page is swapped in place or loaded again. Every HTML request gets the error
page while the site has problems. The preview goes to a temporary folder, never over `public/`.
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
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import SourceLines, format_problem, terminal_safe
from .handlers import Listeners, routes
from .preview import Preview, Rebuild

__all__ = ["Saved", "serve", "watch_site", "notice"]

WATCHED = ("content", "templates", "assets", "static")
MANY = 500  # files written: past this the browsers load the page again rather than read the list


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
    from tornado.ioloop import IOLoop

    preview = Preview(root, out)
    _report(preview.rebuild(), root, first=True)
    listeners = Listeners()
    loop = IOLoop.current()
    stop = threading.Event()
    saved = Saved(root)

    def on_change() -> None:
        was_failing = bool(preview.problems)
        report = preview.rebuild(saved.take(), listeners.viewed(), listeners.show)
        _report(report, root)
        message = notice(report, was_failing)
        if message is not None:
            listeners.tell(message)

    def changed(changes: set[tuple[Any, str]]) -> None:
        saved.add(changes)
        loop.add_callback(on_change)

    # The watch starts before the port opens: a save made as soon as the port answers is rarely missed.
    threading.Thread(target=watch_site, args=(root, stop, changed), name="site-builder-watch", daemon=True).start()
    try:
        routes(preview, listeners, host).listen(port, address=host)
    except OSError as error:
        stop.set()
        print(f"site-builder: error: cannot listen on {host}:{port}: {error.strerror}; try another --port",
              file=sys.stderr)
        return 2
    address = f"http://{host}:{port}/"
    print(f"Previewing {root} (drafts included) at {address}  (Ctrl+C to stop)", flush=True)
    if open_browser:
        threading.Timer(0.3, webbrowser.open, args=(address,)).start()
    try:
        loop.start()
    except KeyboardInterrupt:
        pass  # Ctrl+C, SIGTERM or SIGHUP: the folder is removed by `serve`
    finally:
        stop.set()
    return 0


def notice(report: Rebuild, was_failing: bool) -> dict[str, Any] | None:
    """What the browsers are told after a rebuild (preview/client.js): the files written, or to load again."""
    if report.failed or was_failing:
        return {"reload": True}  # the error page, or the site again after it
    if not report.written:
        return None
    if len(report.written) > MANY:
        return {"reload": True}
    return {"written": sorted(report.written)}


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
            for changes in watchfiles.watch(*folders, stop_event=stop, debounce=300, step=15, rust_timeout=500,
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

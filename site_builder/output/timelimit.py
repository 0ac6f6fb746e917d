"""A time limit on rendering a page: a template that loops for ever must not hang the build or the preview.

Jinja runs a template as Python code, so a timer signal can stop it between two of
its steps: `PageClock` raises `RenderTimeout` inside the page that has rendered for
longer than its limit, and the traceback then names the template and the line it was
on (`render.template_problem`). Signals reach the main thread only; elsewhere (a test
runner's thread) pages render without a limit.
"""

from __future__ import annotations

import signal
import threading
import time
from types import FrameType, TracebackType

import jinja2

__all__ = ["PageClock", "RenderTimeout"]


class RenderTimeout(jinja2.TemplateRuntimeError):
    """A page rendered for longer than the site's `timeout`."""


class PageClock:
    """While entered, `start()` ... `stop()` around a page raises RenderTimeout in it after `seconds`.

    One periodic timer for the whole run, not one per page: a page costs two clock
    readings, and the limit is kept to within a quarter of itself (a second at most).
    The exception is raised again at every tick until the page ends, so a template
    that catches it (`except Exception` in a filter) cannot keep looping.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.started: float | None = None
        self.active = False
        self.previous: object = None

    def __enter__(self) -> PageClock:
        self.active = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        if self.active:
            self.previous = signal.signal(signal.SIGALRM, self._tick)
            tick = min(1.0, self.seconds / 4)
            signal.setitimer(signal.ITIMER_REAL, tick, tick)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.started = None
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)  # type: ignore[arg-type]
            self.active = False

    def start(self) -> None:
        self.started = time.monotonic()

    def stop(self) -> None:
        self.started = None

    def _tick(self, _number: int, _frame: FrameType | None) -> None:
        if self.started is not None and time.monotonic() - self.started > self.seconds:
            raise RenderTimeout(f"the page took longer than {self.seconds:g} s to render (a loop that never "
                                "ends?); the limit is `timeout` in content/site.yaml")

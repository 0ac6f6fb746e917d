"""A function run in a forked process, its result collected later through a pipe.

The build forks where the parent has something else to do meanwhile: compiling
the templates while it loads (`precompile`), rendering pages beside it (`render`).
A pool would leave the parent waiting, and a waiting parent's memory is copied
into every worker that reads the model, page by page.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["fork_available", "in_fork"]

T = TypeVar("T")


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def in_fork(work: Callable[[], T]) -> Callable[[], T]:
    """Start `work()` in a forked process; the function returned waits for its result.

    Call that function exactly once, also when the parent fails, so the process is
    reaped. An exception in `work` is raised again by it.
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read)
        try:
            outcome: tuple[bool, Any]
            try:
                outcome = (True, work())
            except BaseException as error:  # noqa: BLE001 - handed to the parent, which raises it
                outcome = (False, error)
            try:
                data = pickle.dumps(outcome)
            except Exception as error:  # noqa: BLE001 - an unpicklable result or exception
                data = pickle.dumps((False, RuntimeError(f"{type(error).__name__}: {error}")))
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
        finally:
            os._exit(0)
    os.close(write)

    def result() -> T:
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        if not data:
            raise RuntimeError("a forked build process ended without a result")
        ok, value = pickle.loads(data)
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]
    return result

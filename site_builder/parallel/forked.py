"""Functions run in forked processes, their results collected later.

The build forks where the parent has something else to do meanwhile: compiling
the templates while it loads (`precompile`), and loading claim files or rendering
pages beside it (`shared_out`). A pool would leave the parent waiting, and a
worker copies every memory page of the model it reads (reading an object writes
its reference count): each worker spared is a copy of the model spared.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, TypeVar

from ..errors import BuildFailed, Origin, Problem
from ..output.write import Spread, in_this_process, write_all
from ..safety import die_with_parent

__all__ = ["cpus", "fork_available", "in_fork", "shared_out", "piece_size", "spread_between"]

T = TypeVar("T")


def cpus() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def in_fork(work: Callable[[], T]) -> Callable[[], T]:
    """Start `work()` in a forked process; the function returned waits for its result.

    Call that function exactly once, also when the parent fails, so the process is
    reaped. An exception in `work` is raised again by it.
    """
    read, write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read)
        try:
            die_with_parent()
            if os.getppid() != parent:  # the parent died before that took effect
                os._exit(1)
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
        if not data:  # killed (by the out-of-memory killer, say): a failed build, not a traceback
            raise BuildFailed([Problem(Origin("site-builder"), "process-died",
                                       "a build process ended before its work was done (killed, or out of memory?)",
                                       "build again; if it happens again, free some memory first")])
        ok, value = pickle.loads(data)
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]
    return result


def spread_between(workers: int) -> Spread:
    """A `Spread` that shares its work between `workers` forked processes (the serial one if one, or no fork)."""
    if workers <= 1 or not fork_available():
        return in_this_process
    return lambda count, piece, work: shared_out(count, piece, workers, work)


def piece_size(count: int, workers: int, most: int = 8) -> int:
    """Items in a piece of `shared_out` work: eight pieces a process at least, `most` items at most.

    Many pieces even the work out; small ones mean nobody waits long for another's last piece.
    """
    return max(1, min(most, count // (workers * 8)))


def shared_out(count: int, step: int, workers: int, work: Callable[[int, int], list[T]], own: int = 0) -> list[T]:
    """`work(start, stop)` over 0..count in pieces of at most `step`, here and in `workers - 1` forked processes.

    Each process takes the next piece nobody has taken, so none waits while another has
    a long queue; the results come back in order, however they were shared. The first
    `own` items are this process's, done before it takes its share of the rest (`serve`
    keeps what rendering them remembers). A worker sends each piece as soon as it is done,
    and this process reads them between its own pieces: nobody waits at the end while
    one process pickles or unpickles everything it did.
    """
    taken = multiprocessing.get_context("fork").Value("i", own)

    def share() -> Iterator[tuple[int, list[T]]]:
        while True:
            with taken.get_lock():
                start = taken.value
                # Smaller pieces towards the end, so that nobody waits long for another's last one.
                stop = start + max(1, min(step, (count - start) // (2 * workers)))
                taken.value = stop
            if start >= count:
                return
            yield start, work(start, min(stop, count))

    def send(stream: _Stream) -> None:
        for piece in share():
            stream.put(piece)

    streams = [_Stream() for _ in range(workers - 1)]
    others = [in_fork(partial(send, stream)) for stream in streams]
    pieces: list[tuple[int, list[T]]] = []
    failed = True
    try:
        if own:
            pieces.append((0, work(0, own)))
        for piece in share():
            pieces.append(piece)
            for stream in streams:
                pieces += stream.take()
        failed = False
    finally:
        raised: Exception | None = None
        for other in others:  # each is waited for, even when this process or another failed
            try:
                other()
            except Exception as error:  # noqa: BLE001 - raised below, once every process is reaped
                raised = raised or error
        for stream in streams:
            if not failed and raised is None:
                pieces += stream.take()
            stream.close()
    if raised is not None:
        raise raised
    return [result for _, piece in sorted(pieces, key=lambda pair: pair[0]) for result in piece]


class _Stream:
    """What a worker has done so far, pickled into an unnamed file piece by piece.

    A file, not a pipe: the worker never waits for the reader. `committed` counts the
    bytes of whole pieces, so the reader never sees half of one.
    """

    def __init__(self) -> None:
        if hasattr(os, "memfd_create"):
            self.fd = os.memfd_create("site-builder", os.MFD_CLOEXEC)
        else:  # pragma: no cover - not Linux
            with tempfile.TemporaryFile() as spare:  # already unlinked: gone once closed
                self.fd = os.dup(spare.fileno())
        self.committed = multiprocessing.get_context("fork").Value("q", 0, lock=False)
        self.read_to = 0

    def put(self, item: object) -> None:
        data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        write_all(self.fd, len(data).to_bytes(8, "little") + data)
        self.committed.value += 8 + len(data)

    def take(self) -> list:
        items = []
        end = self.committed.value
        while self.read_to < end:
            size = int.from_bytes(self._read(8), "little")
            items.append(pickle.loads(self._read(size)))
        return items

    def _read(self, size: int) -> bytes:
        chunks = []
        while size:
            chunk = os.pread(self.fd, size, self.read_to)
            if not chunk:  # cannot happen: only whole pieces are counted
                raise EOFError("a worker's results end in the middle of a piece")
            chunks.append(chunk)
            self.read_to += len(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        os.close(self.fd)

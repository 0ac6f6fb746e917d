"""`forked`: results or exceptions come back from forked processes, which are reaped; work is shared out in order."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from site_builder.errors import BuildFailed
from site_builder.parallel.forked import in_fork


def test_the_result_comes_back_from_another_process():
    result = in_fork(lambda: (os.getpid(), {"pages": [1, 2, 3]}))()
    assert result[0] != os.getpid() and result[1] == {"pages": [1, 2, 3]}


def test_an_exception_is_raised_again_in_the_parent():
    def fails() -> None:
        raise OSError(28, "No space left on device")
    with pytest.raises(OSError, match="No space left"):
        in_fork(fails)()


def test_an_unpicklable_result_becomes_an_error():
    with pytest.raises(RuntimeError, match="pickle"):
        in_fork(threading.Lock)()


def test_the_process_is_reaped():
    pid = in_fork(os.getpid)()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already waited for: no such child any more


def test_a_worker_dies_with_its_parent():
    """A build killed midway leaves no worker writing into the folder the next build removes."""
    script = ("import os, sys, time\n"
              "from site_builder.parallel.forked import in_fork\n"
              "in_fork(lambda: (print(os.getpid(), flush=True), time.sleep(60)))()\n")
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) as parent:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        parent.kill()
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    """Running, as opposed to gone or a zombie nobody has reaped yet."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def test_a_killed_process_fails_the_build():
    with pytest.raises(BuildFailed) as failed:
        in_fork(lambda: os._exit(9))()
    assert [problem.code for problem in failed.value.problems] == ["process-died"]


def test_work_is_shared_out_in_order_and_the_own_share_stays_here():
    from site_builder.parallel.forked import shared_out
    done = shared_out(50, 3, 3, lambda start, stop: [(n, os.getpid()) for n in range(start, stop)], own=7)
    assert [n for n, _ in done] == list(range(50))
    assert all(pid == os.getpid() for _, pid in done[:7])


def test_pieces_shrink_towards_the_end_so_nobody_waits_long_for_the_last():
    from site_builder.parallel.forked import shared_out
    pieces = shared_out(100, 10, 2, lambda start, stop: [(start, stop)])
    assert [start for start, _ in pieces] == [0] + [stop for _, stop in pieces[:-1]] and pieces[-1][1] == 100
    sizes = [stop - start for start, stop in pieces]
    assert sizes[0] == 10 and sizes[-1] == 1 and sizes == sorted(sizes, reverse=True)


def test_pieces_of_megabytes_come_back_whole_and_in_order():
    from site_builder.parallel.forked import shared_out
    done = shared_out(12, 1, 2, lambda start, stop: [bytes([start]) * 3_000_000])
    assert [(len(piece), piece[:1]) for piece in done] == [(3_000_000, bytes([n])) for n in range(12)]


def test_a_worker_that_fails_fails_the_work():
    from site_builder.parallel.forked import shared_out
    parent = os.getpid()

    def work(start: int, stop: int) -> list[int]:
        if os.getpid() != parent:
            raise ValueError(f"piece {start} failed")
        time.sleep(0.05)  # leave pieces for the worker
        return [start]

    with pytest.raises(ValueError, match="piece .* failed"):
        shared_out(10, 1, 2, work)


def test_a_worker_killed_midway_fails_the_build():
    from site_builder.parallel.forked import shared_out
    parent = os.getpid()

    def work(start: int, stop: int) -> list[int]:
        if os.getpid() != parent and start > 1:
            os._exit(9)
        time.sleep(0.05)
        return [start]

    with pytest.raises(BuildFailed) as failed:
        shared_out(10, 1, 2, work)
    assert [problem.code for problem in failed.value.problems] == ["process-died"]

"""Pages rendered by forked processes: the speed-only twin of `output.render.render_pages`.

A test holds the two equal byte for byte (tests/test_build.py). What is here exists only so
that the workers share the parent's memory instead of copying it: the templates compiled
once, the model frozen out of the collector's sight, freed memory handed back first.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Sequence
from pathlib import Path

import jinja2

from ..errors import Problem
from ..link import Graph
from ..output import render
from ..output.environment import SiteEnvironment
from ..output.render import PageJob, check_urls, gathered, render_range, render_work
from .forked import fork_available, piece_size, shared_out

__all__ = ["render_pages", "PARALLEL_FROM"]

PARALLEL_FROM = 257  # pages; fewer are rendered here at once: starting workers costs more than they save


def render_pages(env: SiteEnvironment, graph: Graph, jobs: Sequence[PageJob], assets: dict[str, str],
                 templates: Path, problems: list[Problem], folder: Path | None = None,
                 workers: int = 1) -> dict[str, bytes]:
    """`output.render.render_pages`, in `workers` forked processes when it pays."""
    if workers <= 1 or len(jobs) < PARALLEL_FROM or not fork_available():
        return render.render_pages(env, graph, jobs, assets, templates, problems, folder)
    problems.extend(check_urls(jobs))
    work = render_work(env, graph, jobs, assets, templates, folder)  # the workers inherit it
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
                             lambda start, stop: [render_range(work, start, stop)])
    finally:
        gc.unfreeze()
        if not collecting:
            gc.disable()
    return gathered(results, problems)


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

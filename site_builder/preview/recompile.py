"""`serve`'s model after a save: the graph patched when that is enough, else compiled again.

A save of one claim on a 10k-page site must not cost a whole compile: when every saved file
was already part of the site only those are read again (`reload_content`), and when only
what claims and sources say changed the previous graph is patched (`patch`); when only the
desk's files (claimants, people) were saved, the graph stands and only its desk is made again.
Anything else, or any problem on the way, is `build.compile_site` with what is cached.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from ..build import Compiled, compile_site, missing_templates
from ..content.load import RawFile
from ..errors import BuildFailed
from ..memo import Memos
from ..output.archive_index import with_archive
from ..output.desk import from_desk, make_desk
from ..output.repeats import possible_repeats
from .patch import Unpatchable, patch
from .reload import reload_content

__all__ = ["recompile"]


def recompile(root: Path, previous: Compiled | None, modified: set[str] | None, cache: dict[str, RawFile],
              records: dict, memos: Memos | None = None) -> Compiled:
    """The site with drafts, compiled again after the `modified` files (None: any file) were saved.

    `cache`, `records` and `memos` are the session's: what was read, validated and made before.
    """
    if previous is None or modified is None:
        return compile_site(root, drafts=True, cache=cache, records=records, memos=memos)
    started = time.perf_counter()
    problems = missing_templates(root)
    content = {path for path in modified if path.startswith("content/")}
    if content and not problems and previous.graph.desk is not None and content <= previous.graph.desk.files.keys():
        return _desk_saved(root, previous, content, started)
    raw = reload_content(root, previous.raw, modified, cache)
    if problems or raw is None:
        return compile_site(root, drafts=True, cache=cache, records=records, raw=raw, memos=memos)
    if raw is previous.raw:  # a template or an asset: the graph stands
        return dataclasses.replace(previous, timings={}, changed=set())
    changed = {path for path in modified if path.startswith("content/")}
    try:
        patched = patch(previous.graph, previous.problems, raw, changed, records)
    except Unpatchable as why:
        compiled = compile_site(root, drafts=True, cache=cache, records=records, raw=raw, memos=memos)
        return dataclasses.replace(compiled, unpatched=str(why))
    timings = {"patch": time.perf_counter() - started}
    found = [problem for problem in patched[1] if not from_desk(problem)]  # the desk's: found again
    graph = with_archive(root, patched[0], found)
    graph = dataclasses.replace(graph, desk=make_desk(root, graph, found))  # claimants, sign-off
    digests = {**previous.digests, **{path: cache[path].digest for path in changed}, **graph.desk.files}
    found += possible_repeats(graph)
    if any(problem.is_error for problem in found):
        raise BuildFailed(sorted(found))
    return Compiled(graph, digests, found, timings, raw, changed)


def _desk_saved(root: Path, previous: Compiled, saved: set[str], started: float) -> Compiled:
    """Only claimant and people files saved (ones the desk read before): the graph stands, its desk is made again."""
    found = [problem for problem in previous.problems if not from_desk(problem)]  # the desk's: found again
    graph = dataclasses.replace(previous.graph, desk=make_desk(root, previous.graph, found))
    found += possible_repeats(graph)
    if any(problem.is_error for problem in found):
        raise BuildFailed(sorted(found))
    assert graph.desk is not None
    return Compiled(graph, {**previous.digests, **graph.desk.files}, found, {"desk": time.perf_counter() - started},
                    previous.raw, saved)

"""The search index: Pagefind, run over the finished pages before they are swapped in.

Pagefind (PyPI `pagefind[bin]` ships the binary) indexes only what pages mark with
`data-pagefind-body` (the article, claims and sources), and search runs entirely in
the reader's browser from static files. Its filters are then put in a fixed order
(search_order), so the same site gives the same index byte for byte.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ..errors import Origin, Problem
from ..safety import die_with_parent
from .search_order import order_filters

__all__ = ["index_search"]


def index_search(folder: Path) -> Problem | None:
    """Write ROOT/pagefind/ for the site in `folder`; a problem if that is impossible."""
    try:
        done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(folder), "--silent"],
                              capture_output=True, text=True, timeout=300, check=False,
                              preexec_fn=die_with_parent)
    except (OSError, subprocess.TimeoutExpired) as error:
        return Problem(Origin("pagefind"), "search-index", f"cannot build the search index: {error}",
                       "install it with `pip install 'pagefind[bin]'`, or build with --no-search")
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        return Problem(Origin("pagefind"), "search-index",
                       "cannot build the search index: " + (detail[-1] if detail else f"exit {done.returncode}"),
                       "install it with `pip install 'pagefind[bin]'`, or build with --no-search")
    errors = [line.strip() for line in (done.stderr + "\n" + done.stdout).splitlines() if "error" in line.lower()]
    wrong = errors[0] if errors else _incomplete(folder / "pagefind")
    if wrong:
        return Problem(Origin("pagefind"), "search-index", f"the search index is incomplete: {wrong}",
                       "check the disk space of the output folder; the previous site is intact")
    try:
        order_filters(folder / "pagefind")
    except OSError as error:
        return Problem(Origin("pagefind"), "search-index", f"cannot write the search index in order: {error}",
                       "check the disk space of the output folder; the previous site is intact")
    return None


def _incomplete(index: Path) -> str:
    """What is wrong with the index Pagefind reports as written ("" when nothing is).

    On a full disk Pagefind writes empty files and still exits 0: every file it writes
    holds something, and the entry file names the files a search starts from.
    """
    empty = sorted(os.path.relpath(path, index.parent) for path in _empty_files(str(index)))
    if empty:
        return f"{len(empty)} empty file(s), the first {empty[0]}"
    try:
        entry = json.loads((index / "pagefind-entry.json").read_bytes())
        needed = ["pagefind.js"] + [f"pagefind.{language['hash']}.pf_meta" for language in entry["languages"].values()]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        return f"pagefind/pagefind-entry.json is missing or unreadable ({type(error).__name__})"
    missing = [name for name in needed if not (index / name).is_file()]
    return f"pagefind/{missing[0]} is missing" if missing else ""


def _empty_files(folder: str) -> list[str]:
    """The empty files under `folder` (53k fragments: 0.15 s, a fraction of Pagefind's own time)."""
    found: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            found += _empty_files(entry.path)
        elif entry.stat(follow_symlinks=False).st_size == 0:
            found.append(entry.path)
    return found

"""The search index: Pagefind, run over the finished pages before they are swapped in.

Pagefind (PyPI `pagefind[bin]` ships the binary) indexes only what pages mark with
`data-pagefind-body` (the article, claims and sources), and search runs entirely in
the reader's browser from static files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import Origin, Problem
from .forked import die_with_parent

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
    return None

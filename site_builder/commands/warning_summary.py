"""Warnings that inform: the first few of each code in full, the rest as one line per code.

A newsroom site can have 20,000 unchecked sentences; printing each with its excerpt
buries the errors and costs seconds. `build` and `check` show every error, the first
SHOWN warnings of each code, and then one line saying how many more there are and
where to see them. A warning that is not shown is only counted: it is never formatted.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import Problem

__all__ = ["SHOWN", "split_warnings", "more_line"]

SHOWN = 5  # warnings of one code printed in full before the rest are summarised

# Where the author sees all of one code's warnings, besides --verbose.
_WHERE = {"unchecked-sentence": "run `site-builder coverage` or add `--verbose`"}
# What the files holding a code's warnings are: an unchecked sentence is in an article's text.
_FILES = {"unchecked-sentence": ("article", "articles")}


def split_warnings(problems: Iterable[Problem], verbose: bool = False) -> tuple[list[Problem], list[str]]:
    """The problems to print in full (every error, the first SHOWN warnings of each code; all with
    `verbose`), and one summary line for each code with more warnings than that, in order of first use."""
    shown: list[Problem] = []
    hidden: dict[str, list[Problem]] = {}
    seen: dict[str, int] = {}
    for problem in problems:
        if problem.is_error or verbose:
            shown.append(problem)
            continue
        count = seen.get(problem.code, 0)
        seen[problem.code] = count + 1
        if count < SHOWN:
            shown.append(problem)
        else:
            hidden.setdefault(problem.code, []).append(problem)
    return shown, [more_line(code, rest) for code, rest in hidden.items()]


def more_line(code: str, rest: list[Problem]) -> str:
    """'... and 20,195 more unchecked-sentence warnings in 200 articles: run `site-builder coverage` or add
    `--verbose`' (codes are ours, never author text: nothing here needs escaping)."""
    files = len({problem.origin.path for problem in rest})
    one, many = _FILES.get(code, ("file", "files"))
    plural = "warning" if len(rest) == 1 else "warnings"
    return (f"... and {len(rest):,} more {code} {plural} in {files:,} {one if files == 1 else many}: "
            f"{_WHERE.get(code, 'add `--verbose`')}")

"""Problems found in a site, and the one exception that carries them.

Every stage reports what is wrong with the content as a `Problem` (file, line,
column, code, message, hint) instead of raising, so that one run shows an author
everything to fix. Only the orchestrator turns a list of error problems into
`BuildFailed`; the command line prints them and exits 1. `UsageError` is for bad
command-line use (exit 2). Nothing else is allowed to escape to the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Problem", "BuildFailed", "UsageError", "Origin", "format_problem"]


@dataclass(frozen=True, order=True, slots=True)
class Origin:
    """Where a value came from: a path relative to the site root, 1-based line and column."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.col or 1}"


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    origin: Origin
    code: str
    message: str
    hint: str = ""
    severity: str = "error"  # or "warning"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class BuildFailed(Exception):
    """The site has errors; nothing was written."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class UsageError(Exception):
    """The command line is wrong (exit 2)."""

    exit_code = 2


def format_problem(problem: Problem, root: Path | None = None) -> str:
    """`path:line:col: severity[code]: message`, then the offending line with a caret, then the hint."""
    out = [f"{problem.origin}: {problem.severity}[{problem.code}]: {problem.message}"]
    shown = _source_line(root, problem.origin) if root is not None else None
    if shown is not None:
        number = f"{problem.origin.line:>5} | "
        out.append(number + shown)
        caret_at = max(problem.origin.col, 1) - 1
        out.append(" " * (len(number) - 2) + "| " + _caret_pad(shown, caret_at) + "^")
    if problem.hint:
        out.append(f"  hint: {problem.hint}")
    return "\n".join(out)


def _caret_pad(line: str, col: int) -> str:
    return "".join("\t" if ch == "\t" else " " for ch in line[:col])


def _source_line(root: Path, origin: Origin) -> str | None:
    if not origin.line:
        return None
    try:
        with open(root / origin.path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if number == origin.line:
                    return raw.decode("utf-8", "replace").rstrip("\r\n")
    except OSError:
        return None
    return None

"""Problems found in a site, and the one exception that carries them.

Every stage reports what is wrong with the content as a `Problem` (file, line,
column, code, message, hint) instead of raising, so that one run shows an author
everything to fix. Only the orchestrator turns a list of error problems into
`BuildFailed`; the command line prints them and exits 1. `UsageError` is for bad
command-line use (exit 2). Nothing else is allowed to escape to the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Problem", "BuildFailed", "UsageError", "Origin", "format_problem", "SourceLines", "terminal_safe"]


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


def format_problem(problem: Problem, root: Path | None = None, lines: SourceLines | None = None) -> str:
    """`path:line:col: severity[code]: message`, then the offending line with a caret, then the hint.

    The line is shown as a window around the column (a paragraph can be a megabyte long), and
    everything is made safe for a terminal: author text may hold escape sequences. Pass one
    `lines` for a whole list of problems, so each file is read and indexed once, not once per problem.
    """
    out = [terminal_safe(f"{problem.origin}: {problem.severity}[{problem.code}]: {problem.message}")]
    if lines is None and root is not None:
        lines = SourceLines(root)
    shown = lines.line(problem.origin) if lines is not None else None
    if shown is not None:
        before, after = _window(shown, max(problem.origin.col, 1) - 1)
        number = f"{problem.origin.line:>5} | "
        out.append(number + terminal_safe(before + after, keep_tabs=True))
        out.append(" " * (len(number) - 2) + "| " + _caret_pad(terminal_safe(before, keep_tabs=True)) + "^")
    if problem.hint:  # a hint's further lines (a quote's pinpoint) are indented under its first
        out += [terminal_safe(f"  hint: {line}" if n == 0 else f"        {line}")
                for n, line in enumerate(problem.hint.split("\n"))]
    return "\n".join(out)


WINDOW = 100  # characters of a long line shown around the column
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_UNSAFE_BUT_TAB = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def terminal_safe(text: str, keep_tabs: bool = False) -> str:
    """`text` with every control character written as an escape (ESC as \\x1b): author text printed to a
    terminal cannot move its cursor, recolour it, ring it or forge a line of output."""
    pattern = _UNSAFE_BUT_TAB if keep_tabs else _UNSAFE
    if text.isprintable() or not pattern.search(text):
        return text
    return pattern.sub(lambda found: f"\\x{ord(found.group()):02x}" if ord(found.group()) < 0x100
                       else f"\\u{ord(found.group()):04x}", text)


def _window(line: str, col: int) -> tuple[str, str]:
    """The part of `line` shown before the column and from it: all of it, or WINDOW characters around it."""
    if len(line) <= WINDOW:
        return line[:col], line[col:]
    start = max(0, min(col - WINDOW // 3, len(line) - WINDOW))
    end = start + WINDOW
    return ("\u2026" if start else "") + line[start:col], line[col:end] + ("\u2026" if end < len(line) else "")


def _caret_pad(line: str) -> str:
    return "".join("\t" if ch == "\t" else " " for ch in line)


class SourceLines:
    """The lines problems point at: each file read once, its line starts indexed once.

    Problems come sorted by file, so one file is kept at a time; a 5 MB article with
    thousands of warnings is read once, not once per warning.
    """

    def __init__(self, root: Path):
        self.root = root
        self.path: str | None = None
        self.text = b""
        self.starts: list[int] = []

    def line(self, origin: Origin) -> str | None:
        if not origin.line:
            return None
        if origin.path != self.path:
            self.path, self.text, self.starts = origin.path, b"", []
            try:
                with open(self.root / origin.path, "rb") as handle:
                    data = handle.read()
            except OSError:
                return None
            if b"\r" in data:  # as load reads it: CR LF and a lone CR end a line
                data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            self.text = data
            self.starts = [0, *(found.end() for found in re.finditer(b"\n", data))]
        if origin.line > len(self.starts) or not self.text:
            return None
        start = self.starts[origin.line - 1]
        if start == len(self.text) and origin.line > 1:
            return None  # past the last line break: no such line
        end = self.starts[origin.line] - 1 if origin.line < len(self.starts) else len(self.text)
        shown = self.text[start:end].decode("utf-8", "replace")
        return shown.removeprefix("\ufeff") if origin.line == 1 else shown

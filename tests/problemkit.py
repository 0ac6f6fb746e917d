"""What the author sees of one problem, as the command line prints it: the first line, the excerpt, the hint.

`assert_problem` is how a test asserts a documented error code's exact message; test_errors_table checks
that every code has a test that calls it (or a case of its table, which asserts the same).
"""

from __future__ import annotations

from pathlib import Path


def problem_block(err: str, first_line: str) -> list[str]:
    """The lines printed for the problem whose first line is `first_line`: it, its excerpt and its hint (last)."""
    lines = err.splitlines()
    assert first_line in lines, err
    start = lines.index(first_line)
    end = start + 1
    while end < len(lines) and lines[end].startswith(" "):
        end += 1
    block = lines[start:end]
    hint = next((at for at, line in enumerate(block) if line.startswith("  hint: ")), len(block))
    # A hint's further lines (a quote's pinpoint, indented under it) are the hint's: one item, joined by "\n".
    return block[:hint] + (["\n".join(block[hint:])] if hint < len(block) else [])


def excerpt(root: Path, first_line: str) -> list[str]:
    """The file's line that `first_line` names, with a caret under its column, as the author's editor shows them."""
    where = first_line.split(": ")[0].split(":")
    if len(where) < 3:
        return []
    path, line, col = where[0], int(where[1]), int(where[2])
    text = (root / path).read_text(encoding="utf-8").splitlines()[line - 1].replace("\0", "\\x00")
    if len(text) > 100:  # shown as a window of 100 characters around the column, each cut end marked
        before = text[max(0, col - 1 - 33):col - 1]
        return [f"{line:>5} | \u2026{text[col - 1 - len(before):col - 1 - len(before) + 100]}\u2026",
                "      | " + " " * (len(before) + 1) + "^"]
    return [f"{line:>5} | {text}", "      | " + "".join("\t" if ch == "\t" else " " for ch in text[:col - 1]) + "^"]


def assert_problem(err: str, root: Path, first_line: str, hint: str | None, shown: list[str] | None = None) -> None:
    """`err` shows exactly this problem: `first_line`, the line it names with a caret (when it names one; `shown`
    when the file cannot show it), and `hint` (the whole of it; None: the problem has none)."""
    lines = excerpt(root, first_line) if shown is None else shown
    expected = [first_line, *lines, *([f"  hint: {hint}"] if hint is not None else [])]
    assert problem_block(err, first_line) == expected, err

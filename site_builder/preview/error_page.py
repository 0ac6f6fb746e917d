"""`serve`'s error page: every problem of the last save, where it is and how to fix it.

While the site has errors every page request gets this page (status 500), so the browser
shows what the terminal shows; it updates by itself when the next save fixes them.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from ..errors import Origin, Problem

__all__ = ["error_page"]


def error_page(root: Path, problems: Sequence[Problem]) -> bytes:
    """Every problem, with the lines around each one and the line itself marked."""
    items = []
    for problem in problems:
        lines = _excerpt(root, problem.origin)
        shown = "".join(
            f'<span class="{"line hit" if hit else "line"}">{"&gt;" if hit else " "} {number:>4} | '
            f"{html.escape(text)}</span>" for number, text, hit in lines)  # each a block: no newline too
        hint, _, more = (problem.hint or "").partition("\n")
        items.append(
            f"<li><p><code>{html.escape(str(problem.origin))}</code>: {problem.severity}"
            f"[<code>{html.escape(problem.code)}</code>]: {html.escape(problem.message)}</p>"
            + (f"<pre>{shown}</pre>" if shown else "")
            + (f"<p>Hint: {html.escape(hint)}</p>" if hint else "")
            + (f"<pre class=\"pinpoint\">{html.escape(more)}</pre>" if more else "") + "</li>")
    count = len(problems)
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>Build failed: {count} problem(s)</title>"
        "<link rel=\"stylesheet\" href=\"/assets/style.css\"></head>"
        f"<body class=\"build-error\"><main><h1>Build failed: {count} problem(s)</h1>"
        "<p>Fix the files below and save: this page updates by itself.</p>"
        f"<ol class=\"problems\">{''.join(items)}</ol></main></body></html>\n"
    ).encode()


def _excerpt(root: Path, origin: Origin, around: int = 2) -> list[tuple[int, str, bool]]:
    if not origin.line:
        return []
    try:
        lines = (root / origin.path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    first = max(1, origin.line - around)
    last = min(len(lines), origin.line + around)
    return [(number, lines[number - 1], number == origin.line) for number in range(first, last + 1)]

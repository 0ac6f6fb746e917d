"""Where a quote first differs from the closest passage: the column, and a caret under the character.

A one-character difference ('bleatings' for "bleatings", year olds for year-olds) is hard to
see in two long lines; the hint shows both aligned, cut to a window around the difference.
"""

from __future__ import annotations

__all__ = ["first_difference", "pinpoint_lines"]

WINDOW = 40  # characters shown either side of the difference


def first_difference(quote: str, passage: str) -> int:
    """The index of the first character where `quote` and `passage` differ (len of the shorter if one ends)."""
    for index, (mine, theirs) in enumerate(zip(quote, passage, strict=False)):
        if mine != theirs:
            return index
    return min(len(quote), len(passage))


def pinpoint_lines(quote: str, passage: str) -> list[str]:
    """Three lines: the quote, the passage, and a caret under the first difference; [] if they are equal."""
    if quote == passage:
        return []
    at = first_difference(quote, passage)
    start = max(0, at - WINDOW)
    cut = "..." if start else ""
    return [f"differs at column {at + 1} of the quote:",
            f"  quote:   {cut}{quote[start:at + WINDOW]}",
            f"  article: {cut}{passage[start:at + WINDOW]}",
            "           " + " " * (len(cut) + at - start) + "^"]

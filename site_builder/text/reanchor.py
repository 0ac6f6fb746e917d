"""Re-anchoring: find in today's text the passage a check was made against in an older version.

Annotation tools that re-anchor by fuzzy matching are known to jump silently to a
look-alike passage. This module does not guess:
- the checked passage is first anchored exactly in the version it was checked against,
  giving a selector (exact words, about a sentence of context either side, offsets);
- in the current text an exact match of those words wins; several exact matches are
  told apart by their context, and if two score alike the result is "ambiguous";
- otherwise a bounded fuzzy search (candidate windows seeded by the quote's rarest words,
  scored by the words of the passage, its context and its position) accepts a candidate
  only above a confidence threshold and clearly ahead of the next one. Short passages
  (fewer than five words) are never fuzzy-matched: a look-alike is too likely.
Anything else is "orphaned", with the closest candidates, so an author can decide.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cached_property

from .parse import ArticleText

__all__ = ["Selector", "Reanchored", "TextWords", "selector_for", "reanchor", "word_diff", "THRESHOLD"]

CONTEXT = 100  # characters of prefix and suffix: about a sentence
THRESHOLD = 0.72  # the lowest score a fuzzy candidate may have
MARGIN = 0.08  # how far ahead of the runner-up the winner must be
MIN_FUZZY_WORDS = 5
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Selector:
    """A W3C TextQuoteSelector (exact, prefix, suffix) with its TextPositionSelector (start, end)."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Reanchored:
    status: str  # exact (same words), changed (words differ: drift), orphaned, ambiguous
    start: int = -1
    end: int = -1
    score: float = 0.0
    candidates: tuple[tuple[int, int, float], ...] = ()  # the best places considered, for the error message


class TextWords:
    """An article text cut into words once, with their offsets, for fuzzy search."""

    def __init__(self, text: ArticleText):
        self.plain = text.plain
        self.spans = [(m.start(), m.end()) for m in _WORD.finditer(text.plain)]
        self.words = [text.plain[s:e].lower() for s, e in self.spans]

    @cached_property
    def positions(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for number, word in enumerate(self.words):
            found.setdefault(word, []).append(number)
        return found


def selector_for(plain: str, start: int, end: int) -> Selector:
    before = plain[max(0, start - CONTEXT):start]
    after = plain[end:end + CONTEXT]
    if start - CONTEXT > 0 and " " in before:  # cut at a word boundary
        before = before[before.index(" ") + 1:]
    if end + CONTEXT < len(plain) and " " in after:
        after = after[:after.rindex(" ")]
    return Selector(plain[start:end], before, after, start, end)


def _similar(a: str, b: str) -> float:
    words_a, words_b = a.lower().split(), b.lower().split()
    if not words_a and not words_b:
        return 1.0
    return _ratio(words_a, words_b)


def _ratio(a: list[str], b: list[str]) -> float:
    """How alike two word lists are, the same whichever comes first.

    SequenceMatcher grows its longest block first, so one order can find fewer common words than the
    other; the better of the two is still a lower bound of the true share of common words.
    """
    return max(difflib.SequenceMatcher(None, a, b, autojunk=False).ratio(),
               difflib.SequenceMatcher(None, b, a, autojunk=False).ratio())


def _context_score(plain: str, start: int, end: int, selector: Selector) -> float:
    before = plain[max(0, start - len(selector.prefix)):start]
    after = plain[end:end + len(selector.suffix)]
    return (_similar(before, selector.prefix) + _similar(after, selector.suffix)) / 2


def reanchor(find_all, words: TextWords, selector: Selector, old_length: int) -> Reanchored:
    """Place `selector` (from a text of `old_length` characters) in the text `words` holds.

    `find_all(exact)` lists the exact matches (start, end) with the build's matching rules.
    """
    plain = words.plain
    relative = selector.start / max(old_length, 1)
    matches = find_all(selector.exact)
    if len(matches) == 1:
        start, end = matches[0]
        return Reanchored("exact", start, end, 1.0)
    if len(matches) > 1:
        scored = sorted(((_context_score(plain, s, e, selector) - 0.1 * abs(s / max(len(plain), 1) - relative),
                          s, e) for s, e in matches), reverse=True)
        candidates = tuple((s, e, round(score, 3)) for score, s, e in scored[:3])
        if scored[0][0] - scored[1][0] < MARGIN:
            return Reanchored("ambiguous", candidates=candidates)
        return Reanchored("exact", scored[0][1], scored[0][2], scored[0][0], candidates)
    return _fuzzy(words, selector, relative)


def _fuzzy(words: TextWords, selector: Selector, relative: float) -> Reanchored:
    quote = [w.lower() for w in _WORD.findall(selector.exact)]
    if len(quote) < MIN_FUZZY_WORDS:
        return Reanchored("orphaned")
    # Seed candidate windows with the quote's rarest words in the current text.
    rarity = sorted(set(quote), key=lambda w: (len(words.positions.get(w, ())) or 10**9, w))
    starts: set[int] = set()
    for word in rarity[:4]:
        offsets = [i for i, w in enumerate(quote) if w == word]
        for position in words.positions.get(word, ())[:200]:
            for offset in offsets:
                starts.add(max(0, position - offset))
    scored = []
    length = len(quote)
    for start in sorted(starts):
        best_here = None
        for size in {length - 1, length, length + 1}:
            window = words.words[start:start + size]
            if not window:
                continue
            if difflib.SequenceMatcher(None, quote, window, autojunk=False).quick_ratio() < 0.5:
                continue
            ratio = _ratio(quote, window)
            begin = words.spans[start][0]
            finish = words.spans[min(start + size, len(words.spans)) - 1][1]
            context = _context_score(words.plain, begin, finish, selector)
            nearness = 1 - min(1.0, abs(begin / max(len(words.plain), 1) - relative) * 2)
            score = 0.7 * ratio + 0.2 * context + 0.1 * nearness
            if best_here is None or score > best_here[0]:
                best_here = (score, ratio, begin, finish)
        if best_here is not None:
            scored.append(best_here)
    scored.sort(reverse=True)
    distinct: list[tuple[float, float, int, int]] = []
    for candidate in scored:
        if all(candidate[3] <= other[2] or candidate[2] >= other[3] for other in distinct):
            distinct.append(candidate)
        if len(distinct) == 3:
            break
    candidates = tuple((begin, finish, round(score, 3)) for score, _, begin, finish in distinct)
    if not distinct or distinct[0][0] < THRESHOLD or distinct[0][1] < 0.6:
        return Reanchored("orphaned", candidates=candidates)
    if len(distinct) > 1 and distinct[0][0] - distinct[1][0] < MARGIN:
        return Reanchored("ambiguous", candidates=candidates)
    score, _, begin, finish = distinct[0]
    return Reanchored("changed", begin, finish, score, candidates)


def word_diff(old: str, new: str) -> str:
    """Words removed as [-...-] and added as {+...+}, the rest as it was."""
    a, b = old.split(), new.split()
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(" ".join(a[i1:i2]))
        if tag in ("delete", "replace"):
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if tag in ("insert", "replace"):
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)

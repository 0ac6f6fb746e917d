"""Possible repeats: sentences nobody checked that closely match a claim already checked in another article.

Comparing every sentence with every claim grows with their product (50k claims x 500k
sentences). Instead the checked quotes and claims are cut once into word shingles (runs
of three words, folded), each kept in an index of the claims that hold it; a sentence
looks up only its own shingles, and a shingle held by many claims (a common phrase)
is skipped. A sentence is reported when most of a claim's shingles occur in it.
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import Origin, Problem
from ..link import Graph

__all__ = ["possible_repeats", "shingles"]

_COMMON = 20  # a shingle held by more claims than this says nothing about which claim
_CLOSE = 0.6  # the share of a text's shingles a sentence must hold to be reported
_WORD = re.compile(r"\w+")
_MARKS = re.compile("[\u0300-\u036f]")  # the combining accents NFKD splits off (é -> e + U+0301)


def shingles(text: str) -> set[tuple[str, ...]]:
    """The folded three-word runs of `text` (accents and case dropped)."""
    plain = text.casefold()
    if not plain.isascii():  # most quotes are ASCII: folded in one C-speed pass, without decomposing
        plain = _MARKS.sub("", unicodedata.normalize("NFKD", plain))
    words = _WORD.findall(plain)
    return set(zip(words, words[1:], words[2:], strict=False))


def possible_repeats(graph: Graph) -> list[Problem]:
    """One `possible-repeat` note per unchecked sentence that matches a published claim of another article."""
    if not any(anchored.uncovered for anchored in graph.anchored.values()):
        return []  # nothing to compare: the index is not worth making
    index: dict[tuple[str, ...], list[int]] = {}
    texts: list[tuple[str, int]] = []  # (claim id, shingle count) per indexed text
    for claim_id in graph.order:
        claim = graph.claims[claim_id]
        if claim.status != "published":
            continue
        for text in (claim.quote, claim.claim):
            found = shingles(text)
            if len(found) < 2:
                continue  # too short to tell a repeat from a coincidence
            number = len(texts)
            texts.append((claim_id, len(found)))
            for shingle in found:
                index.setdefault(shingle, []).append(number)
    problems: list[Problem] = []
    for slug, anchored in graph.anchored.items():
        plain = anchored.text.plain
        for sentence in anchored.uncovered:
            hits: dict[int, int] = {}
            for shingle in shingles(plain[sentence.start:sentence.end]):
                holders = index.get(shingle)
                if holders is None or len(holders) > _COMMON:
                    continue
                for number in holders:
                    hits[number] = hits.get(number, 0) + 1
            best = None
            for number, shared in hits.items():
                claim_id, total = texts[number]
                share = shared / total
                if share >= _CLOSE and graph.claims[claim_id].article != slug and (best is None or share > best[0]):
                    best = (share, claim_id)
            if best is not None:
                claim = graph.claims[best[1]]
                where = Origin(anchored.article.text_path, sentence.line, sentence.col)
                problems.append(Problem(where, "possible-repeat",
                                        f"this sentence closely matches claim '{claim.id}' ({claim.origin.path}), "
                                        "checked in another article",
                                        f"check it with `repeat_of: {claim.id}`, or list it under `unchecked:`",
                                        "info"))
    return problems

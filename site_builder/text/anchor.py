"""Stage 3, anchor: find each quote's span in its article's text.

Matching folds white space and typographic quotes/dashes (see `text.normalise`)
and nothing else, and a match must start and end on word boundaries, so '62'
never anchors inside '1962'. A quote found nowhere gets the closest passage as a
hint; a quote found more than once is an error unless `occurrence` says which.
The result keeps each span as a W3C Web Annotation TextQuoteSelector (exact,
prefix, suffix) plus offsets, and which sentences every article leaves neither
checked nor deliberately unchecked.
"""

from __future__ import annotations

import bisect
import difflib
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import partial

from ..errors import Origin, Problem
from ..memo import IdentityMemo, Memos
from ..model import Article, Claim, Site, Version
from .parse import ArticleText, Sentence, fold, normalise, parse_text
from .pinpoint import pinpoint_lines
from .reanchor import Selector, TextWords, reanchor, selector_for

__all__ = ["Span", "Drift", "AnchoredArticle", "anchor_site", "anchor_article",
           "unchecked_warnings", "find_quote", "find_in_text",
           "claims_by_article", "anchor_afresh", "without_article", "quoting", "parse_article_texts"]

_CONTEXT = 32


@dataclass(frozen=True, slots=True)
class Span:
    """One anchored occurrence of a quote; offsets into `ArticleText.plain`."""

    start: int
    end: int
    block: int  # index of the block that holds it
    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True, slots=True)
class Drift:
    """A checked passage whose words changed between the version checked and the current text."""

    version: date
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class AnchoredArticle:
    article: Article
    text: ArticleText
    claim_spans: dict[str, tuple[Span, ...]]  # claim id -> its spans, in text order
    unchecked_spans: tuple[Span, ...]
    checked_sentences: frozenset[str]  # ids of sentences a claim's span touches
    excused: dict[str, str]  # sentence id -> why it is deliberately unchecked
    uncovered: tuple[Sentence, ...]  # sentences neither checked nor listed as unchecked
    checked_against: dict[str, tuple[Selector, ...]]  # claim id -> its passage in the earlier version it was
    # checked against (claims with `version:` only: for the others it is the current text's)
    drift: dict[str, tuple[Drift, ...]]  # claim id -> how its passage changed since


class _Index:
    """An article's text folded once, for every quote of the article."""

    def __init__(self, text: ArticleText):
        self.text = text
        self.folded, self.origin_of = normalise(text.plain)
        self.block_starts = [block.start for block in text.blocks]

    def find_all(self, quote: str) -> list[tuple[int, int]]:
        needle = fold(quote).strip()
        if not needle:
            return []
        folded, found, at = self.folded, [], self.folded.find(needle)
        origin_of, length = self.origin_of, len(self.text.plain)
        while at != -1:
            end = at + len(needle)
            if not (needle[0].isalnum() and at > 0 and folded[at - 1].isalnum()) and \
                    not (needle[-1].isalnum() and end < len(folded) and folded[end].isalnum()):
                # The match ends where the next character starts: a character composed from e + U+0301
                # covers both (a needle never ends in white space, whose run maps to its first character).
                after = origin_of[end] if end < len(folded) else length
                found.append((origin_of[at], max(origin_of[end - 1] + 1, after)))
            at = folded.find(needle, at + 1)
        return found

    def block_of(self, offset: int) -> int:
        return bisect.bisect_right(self.block_starts, offset) - 1

    def span(self, start: int, end: int) -> Span:
        plain = self.text.plain
        prefix, suffix = unique_context(plain, start, end)
        return Span(start, end, self.block_of(start), plain[start:end], prefix, suffix)

    def line_of(self, offset: int) -> int:
        block = self.text.blocks[self.block_of(offset)]
        return block.line + self.text.plain.count("\n", block.start, offset)

    def closest(self, quote: str) -> tuple[str, int] | None:
        """The sentence (or run of words) most like `quote`, with its line: a hint for typos."""
        needle = fold(quote).strip().lower()
        best, best_score = None, 0.0
        for sentence in self.text.sentences():
            words = fold(self.text.plain[sentence.start:sentence.end])
            matcher = difflib.SequenceMatcher(None, needle, words.lower(), autojunk=False)
            # The most characters the window can share with the quote bound its score (the sentence's own
            # ratio does not: a long sentence scores low as a whole but its window can match all but one).
            shared = matcher.quick_ratio() * (len(needle) + len(words)) / 2
            if min(1.0, shared / max(len(needle), 1)) <= best_score:
                continue
            block = matcher.find_longest_match(0, len(needle), 0, len(words))
            # Score the window of the sentence that lines up with the quote, so a part-sentence quote scores well.
            begin = max(0, block.b - block.a)
            begin = _off_word(words, begin, -1)
            window = words[begin:_off_word(words, begin + len(needle), 1)]
            score = difflib.SequenceMatcher(None, needle, window.lower(), autojunk=False).ratio()
            if score > best_score:
                best, best_score = (window, sentence.line), score
        return best if best_score >= 0.4 else None


def _off_word(words: str, at: int, step: int) -> int:
    """`at`, moved by `step` out of the word it cuts: a hint that opens or ends mid-word reads as other words."""
    while 0 < at < len(words) and words[at - 1].isalnum() and words[at].isalnum():
        at += step
    return at


def unique_context(plain: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix of `plain[start:end]`, long enough that the three occur together only there.

    A TextQuoteSelector names its passage by these alone, so where the words occur twice (a repeated
    paragraph) the context grows until a client that knows only the selector finds this occurrence.
    """
    exact, size = plain[start:end], _CONTEXT
    while True:
        prefix, suffix = plain[max(0, start - size):start], plain[end:end + size]
        whole = prefix + exact + suffix
        first = plain.find(whole)
        if plain.find(whole, first + 1) == -1 or (len(prefix) == start and end + len(suffix) == len(plain)):
            return prefix, suffix
        size *= 2


def _index(text: ArticleText, indexes: IdentityMemo) -> _Index:
    return indexes.get((text,), partial(_Index, text), "index")


def find_in_text(plain: str, quote: str) -> list[tuple[int, int]]:
    """Every (start, end) of `quote` in any text, by the rules of article quotes (a source's pinpoint quote)."""
    return _Index(ArticleText(plain, ())).find_all(quote)


def find_quote(index: _Index, quote: str, occurrence: int | str | None, where: Origin, text_path: str,
               problems: list[Problem]) -> tuple[Span, ...]:
    """Anchor one quote; report why not when it cannot be anchored unambiguously."""
    matches = index.find_all(quote)
    if not matches:
        closest = index.closest(quote)
        hint = (f"the closest passage ({text_path} line {closest[1]}) reads: \"{closest[0]}\""
                if closest else f"copy the passage exactly from {text_path}")
        if closest:  # the first differing character, marked: a one-character slip is hard to see
            hint = "\n".join([hint, *pinpoint_lines(fold(quote).strip(), closest[0])])
        problems.append(Problem(where, "quote-not-found", f"the quote is not in the article ({text_path})", hint))
        return ()
    if occurrence is None and len(matches) > 1:
        lines = ", ".join(str(index.line_of(start)) for start, _ in matches)
        problems.append(Problem(where, "quote-ambiguous",
                                f"the quote appears {len(matches)} times in {text_path} (lines {lines})",
                                "add `occurrence: N` for the Nth, or `occurrence: all`, or quote more words"))
        return ()
    if isinstance(occurrence, int):
        if occurrence > len(matches):
            problems.append(Problem(where, "quote-occurrence",
                                    f"occurrence {occurrence} asked, but the quote appears {len(matches)} time(s)",
                                    f"use a number from 1 to {len(matches)}"))
            return ()
        matches = [matches[occurrence - 1]]
    spans = []
    for start, end in matches:
        span = index.span(start, end)
        if end > index.text.blocks[span.block].end:
            problems.append(Problem(where, "quote-spans-blocks",
                                    f"the quote runs across two paragraphs of {text_path} "
                                    f"(line {index.line_of(start)})", "split it into one quote per paragraph"))
            return ()
        spans.append(span)
    return tuple(spans)




def anchor_site(site: Site, texts: dict[str, ArticleText], problems: list[Problem], memos: Memos
                ) -> dict[str, AnchoredArticle]:
    """Anchor every claim and unchecked passage of every article (what did not change: as it was, in `memos`)."""
    anchored = {}
    by_article = claims_by_article(site)

    def visit() -> None:
        for article in site.articles:
            result, found = anchor_article(article, texts[article.slug], by_article.get(article.slug, ()), memos)
            anchored[article.slug] = result
            problems.extend(found)

    memos.anchored.sweep(visit)
    return anchored


def quoting(claim_spans: dict[str, tuple[Span, ...]], claims: tuple[Claim, ...]) -> dict[str, tuple[Span, ...]]:
    """The spans, holding their claim's own quote where it is the very text they cover.

    A span from another process holds a copy of it: 11 MiB at 53k pages, copied again by the render worker.
    """
    quotes = {claim.id: claim.quote for claim in claims}
    return {claim_id: tuple(replace(span, exact=quotes[claim_id]) if span.exact == quotes[claim_id] else span
                            for span in spans) for claim_id, spans in claim_spans.items()}


def claims_by_article(site: Site) -> dict[str, tuple[Claim, ...]]:
    """Each article's claims, in the site's order."""
    found: dict[str, list[Claim]] = {}
    for claim in site.claims:
        found.setdefault(claim.article, []).append(claim)
    return {slug: tuple(claims) for slug, claims in found.items()}


def without_article(anchored: AnchoredArticle) -> tuple:
    """Its fields but the article: what a worker sends back to a process that has the article already."""
    return tuple(getattr(anchored, field.name) for field in fields(AnchoredArticle)[1:])


def unchecked_warnings(article: AnchoredArticle) -> list[Problem]:
    """A warning for each sentence the article leaves neither checked nor listed as unchecked."""
    found = []
    for sentence in article.uncovered:
        words = _clip(article.text.plain[sentence.start:sentence.end], 80)
        found.append(Problem(Origin(article.article.text_path, sentence.line, sentence.col), "unchecked-sentence",
                             f"sentence neither checked nor listed as unchecked: \"{words}\"",
                             "write a claim that quotes it, or add it to `unchecked:` in article.yaml with a reason",
                             "warning"))
    return found


def anchor_article(article: Article, text: ArticleText, claims: tuple[Claim, ...], memos: Memos
                   ) -> tuple[AnchoredArticle, tuple[Problem, ...]]:
    """One article's anchoring and its problems, remembered by the identity of what it is made from."""
    return memos.anchored.get((article, text, *claims), partial(anchor_afresh, article, text, claims, memos.indexes))


def anchor_afresh(article: Article, text: ArticleText, claims: tuple[Claim, ...],
                  indexes: IdentityMemo | None = None) -> tuple[AnchoredArticle, tuple[Problem, ...]]:
    """One article: a pure function of its text and claims, so `serve` re-anchors only what changed.

    Its texts are folded and indexed once, in `indexes` (serve's, kept by `Memos`; or this call's own).
    """
    indexes = indexes if indexes is not None else IdentityMemo(16)
    problems: list[Problem] = []
    index = _index(text, indexes)
    claim_spans: dict[str, tuple[Span, ...]] = {}
    checked_against: dict[str, tuple[Selector, ...]] = {}
    drift: dict[str, tuple[Drift, ...]] = {}
    versions = {version.date: version for version in article.versions}
    for claim in claims:
        if claim.version is None:
            spans = find_quote(index, claim.quote, claim.occurrence, claim.quote_origin, article.text_path, problems)
            selectors: tuple[Selector, ...] = ()
            changes: tuple[Drift, ...] = ()
        else:
            spans, selectors, changes = _from_version(claim, versions[claim.version], index, indexes,
                                                      article.text_path, problems)
        if spans:
            claim_spans[claim.id] = spans
        if spans and selectors:
            checked_against[claim.id] = selectors
        if changes:
            drift[claim.id] = changes
    unchecked: list[Span] = []
    excused: dict[str, str] = {}
    for passage in article.unchecked:
        spans = find_quote(index, passage.quote, passage.occurrence, passage.origin, article.text_path, problems)
        unchecked.extend(spans)
        for sentence_id in _touched(text, list(spans)):
            excused.setdefault(sentence_id, passage.reason)
    checked = _touched(text, [span for spans in claim_spans.values() for span in spans])
    uncovered = tuple(s for s in text.sentences() if s.id not in checked and s.id not in excused)
    return AnchoredArticle(article, text, claim_spans, tuple(unchecked), frozenset(checked), excused, uncovered,
                           checked_against, drift), tuple(problems)


def _from_version(claim: Claim, version: Version, index: _Index, indexes: IdentityMemo, text_path: str,
                  problems: list[Problem]) -> tuple[tuple[Span, ...], tuple[Selector, ...], tuple[Drift, ...]]:
    """Anchor a claim in the version it was checked against, then carry it to the current text."""
    old = indexes.get((version,), lambda: _Index(parse_text(version.text, version.text_line)), "version")
    old_spans = find_quote(old, claim.quote, claim.occurrence, claim.quote_origin, version.path, problems)
    spans, selectors, changes = [], [], []
    severity = "error" if claim.status == "published" else "warning"
    for old_span in old_spans:
        selector = selector_for(old.text.plain, old_span.start, old_span.end)
        selectors.append(selector)
        words = indexes.get((index.text,), partial(TextWords, index.text), "words")
        result = reanchor(index.find_all, words, selector, len(old.text.plain))
        places = "; ".join(f"line {index.line_of(s)} (score {score:.2f}): \"{_clip(index.text.plain[s:e])}\""
                           for s, e, score in result.candidates) or "nothing similar"
        if result.status == "orphaned":
            problems.append(Problem(claim.quote_origin, "quote-orphaned",
                                    f"the passage checked in version {version.date} is no longer in the article "
                                    f"({text_path}); closest: {places}",
                                    "re-check the passage against the current text, then remove `version`",
                                    severity))
            continue
        if result.status == "ambiguous":
            problems.append(Problem(claim.quote_origin, "quote-moved-ambiguous",
                                    f"the passage checked in version {version.date} could now be in more than one "
                                    f"place: {places}", "quote more words, or re-check against the current text",
                                    severity))
            continue
        span = index.span(result.start, result.end)
        if result.end > index.text.blocks[span.block].end:
            problems.append(Problem(claim.quote_origin, "quote-orphaned",
                                    f"the passage checked in version {version.date} now runs across paragraphs",
                                    "re-check the passage against the current text", severity))
            continue
        spans.append(span)
        if " ".join(span.exact.split()) != " ".join(selector.exact.split()):
            changes.append(Drift(version.date, selector.exact, span.exact))
    return tuple(spans), tuple(selectors), tuple(changes)


def _clip(words: str, limit: int = 60) -> str:
    words = " ".join(words.split())
    return words if len(words) <= limit else words[:limit - 1] + "…"


def _touched(text: ArticleText, spans: list[Span]) -> set[str]:
    """Ids of the sentences that any span overlaps."""
    touched = set()
    for span in spans:
        for sentence in text.blocks[span.block].sentences:
            if sentence.start < span.end and span.start < sentence.end:
                touched.add(sentence.id)
    return touched


def parse_article_texts(site: Site, memos: Memos) -> dict[str, ArticleText]:
    """Each article's text parsed; a text parsed before (in `serve`) is the same object, as the memos need."""
    return {article.slug: memos.texts.get((article.text, article.text_line),
                                          partial(parse_text, article.text, article.text_line))
            for article in site.articles}

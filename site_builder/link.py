"""Stage 4, link: every index the pages need, built once.

Rendering then only looks things up (claims by source, verdict, tag, sentence;
related claims both ways; previous/next in article order), so no page scans the
whole site and the cost of a build grows with its pages, not their square.
The article text is cut here into segments (runs of text with the same set of
covering quotes), which is what lets overlapping and nested quotes render as
valid, flat HTML.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from itertools import chain
from typing import Any

from .memo import Memos
from .model import Article, Claim, Site, Source, SourceRef, Verdict
from .text.anchor import AnchoredArticle, Span
from .text.parse import Block

__all__ = ["Graph", "Segment", "BlockView", "link", "article_views", "latest_of", "last_change", "tally_of"]


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    claims: tuple[str, ...]  # ids of the claims whose quote covers this text, innermost first
    sentence: str | None  # the id of the sentence that starts here, if any
    starts: tuple[str, ...]  # ids of the claims whose quote starts here
    markers: tuple[tuple[str, int], ...]  # (claim id, occurrence number) of quotes that end here


@dataclass(frozen=True, slots=True)
class BlockView:
    block: Block
    segments: tuple[Segment, ...]
    notes: tuple[str, ...]  # claims whose note is shown after this block (their first span ends in it)


@dataclass(frozen=True, slots=True)
class Graph:
    site: Site
    anchored: dict[str, AnchoredArticle]
    articles: dict[str, Article]
    claims: dict[str, Claim]
    sources: dict[str, Source]
    verdicts: dict[str, Verdict]
    order: tuple[str, ...]  # every claim id, in article order
    by_article: dict[str, tuple[str, ...]]
    by_source: dict[str, tuple[tuple[str, SourceRef], ...]]
    by_verdict: dict[str, tuple[str, ...]]
    by_tag: dict[str, tuple[str, ...]]
    related: dict[str, tuple[str, ...]]  # both ways
    neighbours: dict[str, tuple[str | None, str | None]]  # previous, next in article order
    number: dict[str, int]  # 1-based position of a claim in its article (footnote numbers)
    context: dict[str, tuple[str, str, str]]  # claim -> sentence before, the quote's sentences, sentence after
    tally: dict[str, tuple[tuple[str, int, int], ...]]  # article -> (verdict id, count, claims before), scale order
    blocks: dict[str, tuple[BlockView, ...]]
    latest: tuple[str, ...]  # claim ids, most recently checked or updated first
    archive: dict[str, Any] = field(default_factory=dict)  # source id -> its ArchivedCopy (archive_index.py)
    memos: Memos = field(default_factory=Memos, compare=False, repr=False)  # what the stages remember of it


def link(site: Site, anchored: dict[str, AnchoredArticle], memos: Memos | None = None) -> Graph:
    claims = {claim.id: claim for claim in site.claims if claim.id in anchored[claim.article].claim_spans}
    verdicts = {verdict.id: verdict for verdict in site.config.verdicts}
    scale = [verdict.id for verdict in site.config.verdicts]

    def position(claim_id: str) -> tuple[str, int, str]:
        claim = claims[claim_id]
        return claim.article, anchored[claim.article].claim_spans[claim_id][0].start, claim_id

    order = tuple(sorted(claims, key=position))
    by_article: dict[str, list[str]] = {article.slug: [] for article in site.articles}
    by_source: dict[str, list[tuple[str, SourceRef]]] = {source.id: [] for source in site.sources}
    by_verdict: dict[str, list[str]] = {verdict_id: [] for verdict_id in scale}
    by_tag: dict[str, list[str]] = {}
    related: dict[str, dict[str, None]] = {claim_id: {} for claim_id in order}
    for claim_id in order:
        claim = claims[claim_id]
        by_article[claim.article].append(claim_id)
        by_verdict[claim.verdict].append(claim_id)
        for ref in claim.sources:
            by_source[ref.source].append((claim_id, ref))
        for tag in claim.tags:
            by_tag.setdefault(tag, []).append(claim_id)
        for other in claim.related:
            if other in claims:
                related[claim_id][other] = None
                related[other][claim_id] = None
    rank = {claim_id: number for number, claim_id in enumerate(order)}
    neighbours, numbers = {}, {}
    for articles_claims in by_article.values():
        for number, claim_id in enumerate(articles_claims):
            numbers[claim_id] = number + 1
            previous = articles_claims[number - 1] if number else None
            following = articles_claims[number + 1] if number + 1 < len(articles_claims) else None
            neighbours[claim_id] = (previous, following)

    context, blocks, tally = {}, {}, {}
    # Every claim in `claim_spans` is in `claims`: both come from the same anchoring.
    memos = memos if memos is not None else Memos()
    views = memos.article_views.sweep(lambda: {slug: article_views(article, memos)
                                               for slug, article in anchored.items()})
    for slug in anchored:
        article_context, blocks[slug] = views[slug]
        context.update(article_context)
        tally[slug] = tally_of([claims[claim_id].verdict for claim_id in by_article.get(slug, [])], scale)

    return Graph(
        site=site, anchored=anchored, articles={a.slug: a for a in site.articles}, claims=claims,
        sources={source.id: source for source in site.sources}, verdicts=verdicts, order=order,
        by_article={k: tuple(v) for k, v in by_article.items()},
        by_source={k: tuple(v) for k, v in by_source.items()},
        by_verdict={k: tuple(v) for k, v in by_verdict.items()},
        by_tag={k: tuple(by_tag[k]) for k in sorted(by_tag)},
        related={k: tuple(sorted(v, key=rank.__getitem__)) for k, v in related.items()},
        neighbours=neighbours, number=numbers, context=context, tally=tally, blocks=blocks,
        latest=latest_of(claims, order), memos=memos,
    )


def tally_of(verdicts: list[str], scale: list[str]) -> tuple[tuple[str, int, int], ...]:
    """An article's bar of verdicts: (verdict id, count, claims before), in the scale's order."""
    counts = Counter(verdicts)
    running, bar = 0, []
    for verdict_id in scale:
        if counts[verdict_id]:
            bar.append((verdict_id, counts[verdict_id], running))
            running += counts[verdict_id]
    return tuple(bar)


def latest_of(claims: dict[str, Claim], order: tuple[str, ...]) -> tuple[str, ...]:
    """Claim ids, most recently checked or updated first; claims of the same day in the site's order."""
    def age(claim_id: str) -> int:
        changed = last_change(claims[claim_id])
        return -changed.toordinal() if changed else 0
    return tuple(sorted(order, key=age))  # a stable sort keeps `order` among equals


def last_change(claim: Claim) -> date | None:
    """When a check was last made or updated (an update dated before the check does not count)."""
    latest = claim.updates[-1].date if claim.updates else None  # updates are in date order
    return max(latest, claim.checked) if latest and claim.checked else latest or claim.checked


def article_views(article: AnchoredArticle, memos: Memos
                  ) -> tuple[dict[str, tuple[str, str, str]], tuple[BlockView, ...]]:
    """Each claim's passage in context, and the article cut into segments (remembered per anchoring)."""
    return memos.article_views.get((article,), partial(_views, article))


def _views(article: AnchoredArticle) -> tuple[dict[str, tuple[str, str, str]], tuple[BlockView, ...]]:
    """Each claim's passage in context, and the article cut into segments: a function of its anchoring."""
    sentences = article.text.sentences()
    starts = {sentence.id: number for number, sentence in enumerate(sentences)}
    cut = _cutter(article)
    context = {}
    for claim_id, spans in article.claim_spans.items():
        first = spans[0]
        touched = [s for s in article.text.blocks[first.block].sentences
                   if s.start < first.end and first.start < s.end]
        before = sentences[starts[touched[0].id] - 1] if starts[touched[0].id] > 0 else None
        after_index = starts[touched[-1].id] + 1
        after = sentences[after_index] if after_index < len(sentences) else None
        context[claim_id] = (cut(before.start, before.end) if before else "", cut(touched[0].start, touched[-1].end),
                             cut(after.start, after.end) if after else "")
    return context, _block_views(article, cut)


def _cutter(article: AnchoredArticle) -> Callable[[int, int], str]:
    """Pieces of the article's text, one string per range however often it is cut.

    A quoted sentence is a span, a segment and another claim's context at once: 53 MiB of
    copies at 53k pages, held by the parent and copied again by the render worker.
    """
    plain = article.text.plain
    cuts = {(span.start, span.end): span.exact
            for span in chain(article.unchecked_spans, *article.claim_spans.values())}

    def cut(start: int, end: int) -> str:
        piece = cuts.get((start, end))
        if piece is None:
            piece = cuts[start, end] = plain[start:end]
        return piece
    return cut


def _block_views(article: AnchoredArticle, cut: Callable[[int, int], str]) -> tuple[BlockView, ...]:
    per_block: dict[int, list[tuple[str, int, Span]]] = {}
    note_after: dict[int, list[str]] = {}
    for claim_id, spans in article.claim_spans.items():
        for number, span in enumerate(spans, start=1):
            per_block.setdefault(span.block, []).append((claim_id, number, span))
        note_after.setdefault(spans[0].block, []).append(claim_id)
    views = []
    for index, block in enumerate(article.text.blocks):
        here = sorted(per_block.get(index, []), key=lambda item: (item[2].start, -item[2].end, item[0]))
        cuts = {block.start, block.end}
        cuts.update(s.start for s in block.sentences)
        for _, _, span in here:
            cuts.update((span.start, span.end))
        sentence_at = {s.start: s.id for s in block.sentences}
        ordered_cuts = sorted(cuts)
        segments = []
        for start, end in zip(ordered_cuts, ordered_cuts[1:], strict=False):
            covering = [item for item in here if item[2].start <= start and end <= item[2].end]
            covering.sort(key=lambda item: (item[2].end - item[2].start, item[0]))
            ending = tuple((claim_id, number) for claim_id, number, span in here if span.end == end)
            starting = tuple(dict.fromkeys(claim_id for claim_id, _, span in here if span.start == start))
            segments.append(Segment(cut(start, end), tuple(dict.fromkeys(item[0] for item in covering)),
                                    sentence_at.get(start), starting, ending))
        notes = sorted(note_after.get(index, []), key=lambda cid: article.claim_spans[cid][0].start)
        views.append(BlockView(block, tuple(segments), tuple(notes)))
    return tuple(views)

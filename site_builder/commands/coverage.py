"""`site-builder coverage`: every sentence of an article, checked, excused, or neither.

The report is what an editor reads before publishing: it walks the article in
reading order and shows, for each sentence, the verdicts of the checks that touch
it, the reason it was left unchecked, or that nobody has looked at it yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..link import Graph

__all__ = ["SentenceStatus", "coverage"]


@dataclass(frozen=True, slots=True)
class SentenceStatus:
    line: int
    col: int
    text: str
    verdicts: tuple[str, ...]  # labels of the checks touching it, in article order
    reason: str  # why it is unchecked ('' if checked or neither)

    @property
    def state(self) -> str:
        return "checked" if self.verdicts else "unchecked" if self.reason else "neither"


def coverage(graph: Graph, slug: str) -> list[SentenceStatus]:
    article = graph.anchored[slug]
    by_sentence: dict[str, list[str]] = {}
    for claim_id in graph.by_article[slug]:
        for span in article.claim_spans[claim_id]:
            for sentence in article.text.blocks[span.block].sentences:
                if sentence.start < span.end and span.start < sentence.end:
                    labels = by_sentence.setdefault(sentence.id, [])
                    label = graph.verdicts[graph.claims[claim_id].verdict].label
                    if label not in labels:
                        labels.append(label)
    return [SentenceStatus(sentence.line, sentence.col, " ".join(article.text.plain[sentence.start:sentence.end]
                                                                  .split()),
                           tuple(by_sentence.get(sentence.id, ())), article.excused.get(sentence.id, ""))
            for sentence in article.text.sentences()]

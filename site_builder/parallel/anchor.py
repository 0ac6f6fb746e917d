"""Articles parsed and anchored by forked processes: the speed-only twin of `text.anchor.anchor_site`.

Each article is a pure function of its text and claims, so the result is the same; a test
compares the two (tests/parallel/test_fanout.py). Nothing is remembered: a build anchors each article once.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import Origin, Problem
from ..memo import Memos
from ..model import Site
from ..text.anchor import (
    AnchoredArticle,
    Drift,
    Span,
    anchor_afresh,
    anchor_site,
    claims_by_article,
    parse_article_texts,
    quoting,
    without_article,
)
from ..text.parse import ArticleText, Block, Sentence, parse_text
from ..text.reanchor import Selector
from .forked import piece_size, shared_out
from .pickling import by_fields

__all__ = ["anchor_articles"]

by_fields(ArticleText, Block, Sentence, Span, Drift, Selector, Problem, Origin)  # what the workers send back


def anchor_articles(site: Site, problems: list[Problem], memos: Memos, workers: int = 1) -> dict[str, AnchoredArticle]:
    """`anchor_site`, in `workers` forked processes when there are several."""
    if workers <= 1:
        return anchor_site(site, parse_article_texts(site, memos), problems, memos)
    by_article = claims_by_article(site)
    articles = site.articles

    def work(start: int, stop: int) -> list[tuple[tuple, tuple[Problem, ...]]]:
        done = []
        for article in articles[start:stop]:
            text = parse_text(article.text, article.text_line)
            result, found = anchor_afresh(article, text, by_article.get(article.slug, ()))
            done.append((without_article(result), found))  # the article is here already: not sent back
        return done

    anchored = {}
    results = shared_out(len(articles), piece_size(len(articles), workers), workers, work)
    for article, (rest, found) in zip(articles, results, strict=True):
        result = AnchoredArticle(article, *rest)
        anchored[article.slug] = replace(result, claim_spans=quoting(result.claim_spans,
                                                                     by_article.get(article.slug, ())))
        problems.extend(found)
    return anchored

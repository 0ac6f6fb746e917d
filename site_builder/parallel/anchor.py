"""Articles parsed and anchored by forked processes: the speed-only twin of `text.anchor.anchor_site`.

Each article is a pure function of its text and claims, so the result is the same; a test
compares the two (tests/parallel/test_fanout.py). A build with a cache folder keeps each
article's anchoring in its anchored/ folder, by the digests of the files it is made from
(the article's, its claims', the site's settings), so a warm build anchors only the articles
whose files changed (tests/parallel/test_parsed_cache.py holds warm equal to cold).
"""

from __future__ import annotations

import hashlib
from dataclasses import fields, replace
from typing import cast

from ..errors import Origin, Problem
from ..memo import Memos
from ..model import Article, Claim, Site
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
from .parsed_cache import ParsedCache
from .pickling import by_fields

__all__ = ["anchor_articles"]

by_fields(ArticleText, Block, Sentence, Span, Drift, Selector, Problem, Origin)  # what the workers send back


def anchor_articles(site: Site, problems: list[Problem], memos: Memos, workers: int = 1,
                    kept: ParsedCache | None = None, digests: dict[str, str] | None = None
                    ) -> dict[str, AnchoredArticle]:
    """`anchor_site`, in `workers` forked processes when there are several; with the build cache's `kept`
    anchorings (and the content files' `digests`), only the articles whose files changed are anchored."""
    if workers <= 1 and kept is None:
        return anchor_site(site, parse_article_texts(site, memos), problems, memos)
    by_article = claims_by_article(site)
    keys = {article.slug: anchoring_key(site, article, by_article.get(article.slug, ()), digests or {})
            for article in site.articles} if kept is not None else {}
    done = {slug: hit for slug, key in keys.items() if key and (hit := _kept(kept, slug, key)) is not None}
    missing = [article for article in site.articles if article.slug not in done]

    def work(start: int, stop: int) -> list[tuple[tuple, tuple[Problem, ...]]]:
        made = []
        for article in missing[start:stop]:
            text = parse_text(article.text, article.text_line)
            result, found = anchor_afresh(article, text, by_article.get(article.slug, ()))
            made.append((without_article(result), found))  # the article is here already: not sent back
        return made

    results = shared_out(len(missing), piece_size(len(missing), workers), workers, work) \
        if workers > 1 and len(missing) > 1 else work(0, len(missing))
    for article, made in zip(missing, results, strict=True):
        done[article.slug] = made
        if kept is not None and keys[article.slug]:
            kept.store(article.slug, cast(dict, {keys[article.slug]: made}))
    if kept is not None:
        kept.forget_others(set(keys))
    anchored = {}
    for article in site.articles:
        rest, found = done[article.slug]
        result = AnchoredArticle(article, *rest)
        anchored[article.slug] = replace(result, claim_spans=quoting(result.claim_spans,
                                                                     by_article.get(article.slug, ())))
        problems.extend(found)
    return anchored


def anchoring_key(site: Site, article: Article, claims: tuple[Claim, ...], digests: dict[str, str]) -> str:
    """The hash of the files an article's anchoring is made from: its own, its claims' (in order) and the
    site's settings; "" (not kept) when one of them has no digest."""
    hasher = hashlib.blake2b(digest_size=20)
    hasher.update(f"{article.slug}\0".encode())
    for path in (site.config.origin.path, article.origin.path, article.text_path,
                 *(version.path for version in article.versions), *(claim.origin.path for claim in claims)):
        if path not in digests:
            return ""
        hasher.update(f"{path}\0{digests[path]}\0".encode())
    hasher.update("\0".join(claim.id for claim in claims).encode())
    return hasher.hexdigest()


def _kept(kept: ParsedCache | None, slug: str, key: str) -> tuple[tuple, tuple[Problem, ...]] | None:
    """An article's kept anchoring (all but the article) and its problems, if it was made from these files."""
    assert kept is not None
    entries, ignored = kept.entries(slug)
    if ignored:
        kept.ignored.append(ignored)
    found = entries.get(key)
    if found is None:
        return None
    if not (isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], tuple)
            and len(found[0]) == len(fields(AnchoredArticle)) - 1 and isinstance(found[1], tuple)):
        kept.ignored.append("a parsed file is damaged")
        return None
    return found

"""validate -> anchor -> link for `serve`, when an edit moves no link between pages.

Most saves in a preview change words: a claim's summary or body, the quote from a
source, a source's title, an article's title, notes or text. A claim that keeps its
id, article, sources, related claims, status and passage (a new verdict, tag or
date only moves it between lists), a source that keeps its id, and an article whose
checks keep their order move no link: the previous graph is still right everywhere
but in what was saved, and patching it costs what the edit does instead of what the
site does. `patch` checks each of those conditions and gives up (None: compile
everything) as soon as one fails, or when the edit brings an error; a test holds its
result equal to a full compile for every kind of edit.
"""

from __future__ import annotations

import bisect
import dataclasses
from typing import TypeVar

from ..content.load import RawContent
from ..errors import Problem
from ..link import Graph, article_views, last_change, latest_of, tally_of
from ..model import Article, Claim, Site, Source, SourceRef
from ..output.structured import claim_review_warnings
from ..text.anchor import AnchoredArticle, anchor_article, unchecked_warnings
from ..text.parse import parse_text
from .reload import find_file
from .revalidate import revalidate_article, revalidate_claim, revalidate_source

__all__ = ["patch", "Unpatchable"]

_T = TypeVar("_T", Article, Claim, Source)


class Unpatchable(Exception):
    """Why the saved files need a full compile: `serve` says it, so the shortcut's use can be seen."""


def patch(graph: Graph, problems: list[Problem], raw: RawContent, modified: set[str], records: dict
          ) -> tuple[Graph, list[Problem]]:
    """`graph` and its warnings after the files `modified` were saved; Unpatchable says why not."""
    found: list[Problem] = []
    articles, fresh, sources, changed = _revalidated(graph, raw, modified, records, found)
    site = dataclasses.replace(graph.site, articles=_replaced(graph.site.articles, articles),
                               claims=_replaced(graph.site.claims, fresh),
                               sources=_replaced(graph.site.sources, sources))
    anchored, context, blocks = _reanchored(graph, site, articles, fresh, changed, found)
    listed = [claim_id for claim_id, claim in fresh.items()
              if (claim.verdict, claim.tags) != (graph.claims[claim_id].verdict, graph.claims[claim_id].tags)]
    by_verdict, by_tag, tally = _relisted(graph, fresh, listed) if listed else \
        (graph.by_verdict, graph.by_tag, graph.tally)
    redated = any(last_change(claim) != last_change(graph.claims[claim_id]) for claim_id, claim in fresh.items())
    patched = dataclasses.replace(  # unchanged containers stay the same objects: memos find them
        graph, site=site, anchored=anchored, context=context, blocks=blocks, by_verdict=by_verdict, by_tag=by_tag,
        tally=tally, by_source=_cited(graph, fresh),
        latest=latest_of({**graph.claims, **fresh}, graph.order) if redated else graph.latest,
        articles={**graph.articles, **articles} if articles else graph.articles,
        claims={**graph.claims, **fresh} if fresh else graph.claims,
        sources={**graph.sources, **sources} if sources else graph.sources)
    for claim_id in fresh:
        found += claim_review_warnings(patched, claim_id)
    if any(problem.is_error for problem in found):
        raise Unpatchable("the edit shows an error: a full compile reports it with everything else")
    return patched, [problem for problem in problems if problem.origin.path not in changed] + found


def _revalidated(graph: Graph, raw: RawContent, modified: set[str], records: dict, found: list[Problem]
                 ) -> tuple[dict[str, Article], dict[str, Claim], dict[str, Source], set[str]]:
    """The saved articles, claims and sources validated again, and every file whose problems are made anew.

    The claims of a saved article are validated again too: they are checked against it.
    """
    if not modified:
        raise Unpatchable("no content file was saved")
    articles: dict[str, Article] = {}
    fresh: dict[str, Claim] = {}
    sources: dict[str, Source] = {}
    changed = set(modified)
    for path in modified:
        parts = path.split("/")
        if parts[:2] == ["content", "sources"]:
            source = _fresh_source(graph, raw, path, records, found)
            sources[source.id] = source
        elif parts[:2] == ["content", "articles"] and len(parts) > 3 and parts[3] != "claims":
            if parts[2] in articles:
                continue
            article = _fresh_article(graph, raw, parts[2], records, found)
            articles[article.slug] = article
            changed.update(f"content/articles/{article.slug}/{name}" for name in raw.articles[article.slug])
        elif _claim_at(graph, path) is None:
            raise Unpatchable(f"{path} is not a claim of the site (a new claim, or a file elsewhere)")
    for path in sorted(changed):
        old = _claim_at(graph, path)
        if old is None:
            if "/claims/" not in path:
                continue  # a source or an article's own file: done above
            raise Unpatchable(f"{path} is a claim the graph does not hold (a draft whose quote is lost?)")
        claim, claim_problems = revalidate_claim(raw, raw.articles[old.article][path.split("/", 3)[3]],
                                                 graph.site, records, graph.memos)
        if claim is None or any(problem.is_error for problem in claim_problems):
            raise Unpatchable(f"{path} has an error")
        if _links(claim) != _links(old):
            raise Unpatchable(f"{path} changes what its claim links to")
        fresh[old.id] = claim if claim.related == old.related else dataclasses.replace(claim, related=old.related)
        found += claim_problems
    return articles, fresh, sources, changed


def _reanchored(graph: Graph, site: Site, articles: dict[str, Article], fresh: dict[str, Claim], changed: set[str],
                found: list[Problem]) -> tuple[dict[str, AnchoredArticle], dict, dict]:
    """The anchoring and views of the articles touched; None if a check moved or lost its passage."""
    anchored = dict(graph.anchored) if articles else graph.anchored
    context, blocks = graph.context, graph.blocks
    for slug in {claim.article for claim in fresh.values()} | articles.keys():
        in_article = tuple(claim for claim in site.claims if claim.article == slug)  # as `anchor_site` has them
        before = graph.anchored[slug]
        article = articles.get(slug, before.article)
        text = before.text if article.text == before.article.text else parse_text(article.text, article.text_line)
        now, anchor_problems = anchor_article(article, text, in_article, graph.memos)
        found += [problem for problem in anchor_problems if problem.origin.path in changed]
        if dataclasses.replace(now, article=before.article) == before:
            if slug in articles:
                anchored[slug] = now
            continue
        # The article's text or versions changed: the passages may have moved, but their checks must keep
        # their order (numbers, neighbours and the site's order stand); the article's views are made again.
        if slug not in articles or list(graph.by_article[slug]) != sorted(
                now.claim_spans, key=lambda claim_id: (now.claim_spans[claim_id][0].start, claim_id)):
            raise Unpatchable(f"the checks of {slug} moved or changed their order")
        anchored[slug] = now
        article_context, blocks_now = article_views(now, graph.memos)
        context, blocks = {**context, **article_context}, {**blocks, slug: blocks_now}
    for slug in articles:
        found += unchecked_warnings(anchored[slug])
    return anchored, context, blocks


def _cited(graph: Graph, fresh: dict[str, Claim]) -> dict[str, tuple[tuple[str, SourceRef], ...]]:
    """The citations of each source, with the fresh claims' references in place of their old ones."""
    if not fresh:
        return graph.by_source
    by_source = dict(graph.by_source)
    for claim_id, claim in fresh.items():
        for source_id in dict.fromkeys(ref.source for ref in claim.sources):
            refs = iter([ref for ref in claim.sources if ref.source == source_id])
            by_source[source_id] = tuple((cited, next(refs) if cited == claim_id else ref)
                                         for cited, ref in by_source[source_id])
    return by_source


Lists = dict[str, tuple[str, ...]]


def _relisted(graph: Graph, fresh: dict[str, Claim], listed: list[str]
              ) -> tuple[Lists, Lists, dict[str, tuple[tuple[str, int, int], ...]]]:
    """The verdict and tag lists, and the tallies, with the claims `listed` under their new verdict and tags."""
    rank = {claim_id: number for number, claim_id in enumerate(graph.order)}  # lists keep the site's order
    by_verdict, by_tag = dict(graph.by_verdict), dict(graph.by_tag)
    for claim_id in listed:
        old, new = graph.claims[claim_id], fresh[claim_id]
        for lists, before, after in ((by_verdict, (old.verdict,), (new.verdict,)), (by_tag, old.tags, new.tags)):
            for key in set(before) - set(after):
                lists[key] = tuple(other for other in lists[key] if other != claim_id)
            for key in set(after) - set(before):
                ids = list(lists.get(key, ()))
                ids.insert(bisect.bisect_left(ids, rank[claim_id], key=rank.__getitem__), claim_id)
                lists[key] = tuple(ids)
    scale = [verdict.id for verdict in graph.site.config.verdicts]
    claims = {**graph.claims, **fresh}
    tally = dict(graph.tally)
    for slug in {fresh[claim_id].article for claim_id in listed}:
        tally[slug] = tally_of([claims[claim_id].verdict for claim_id in graph.by_article[slug]], scale)
    return by_verdict, {tag: by_tag[tag] for tag in sorted(by_tag) if by_tag[tag]}, tally


def _fresh_source(graph: Graph, raw: RawContent, path: str, records: dict, found: list[Problem]) -> Source:
    """The saved source, if it is still valid and keeps its id."""
    old = graph.sources.get(path[len("content/sources/"):-len(".yaml")])
    if old is None or old.origin.path != path:
        raise Unpatchable(f"{path} is a new source")
    file = find_file(raw, path)
    if file is None:
        raise Unpatchable(f"{path} is gone")
    source, problems = revalidate_source(file, records)
    if source is None or any(problem.is_error for problem in problems):
        raise Unpatchable(f"{path} has an error")
    found += problems
    return source


def _fresh_article(graph: Graph, raw: RawContent, slug: str, records: dict, found: list[Problem]
                   ) -> Article:
    """The article one of whose own files was saved, if it is still valid and keeps its status."""
    old = graph.articles.get(slug)
    if old is None:
        raise Unpatchable(f"{slug} is a new article")
    article, problems = revalidate_article(raw, slug, records)
    if article is None or any(problem.is_error for problem in problems):
        raise Unpatchable(f"article {slug} has an error")
    if article.status != old.status:
        raise Unpatchable(f"article {slug} changed its status")
    found += problems
    return article


def _replaced(things: tuple[_T, ...], fresh: dict[str, _T]) -> tuple[_T, ...]:
    """`things` (in id order) with the fresh ones in place of those with their ids."""
    if not fresh:
        return things
    replaced = list(things)
    for thing_id, thing in fresh.items():
        replaced[bisect.bisect_left(replaced, thing_id, key=_id)] = thing
    return tuple(replaced)


def _id(thing: Article | Claim | Source) -> str:
    return thing.slug if isinstance(thing, Article) else thing.id


def _claim_at(graph: Graph, path: str) -> Claim | None:
    """The claim that `path` holds in `graph`, if it is a claim file that anchored."""
    parts = path.split("/")
    if len(parts) != 5 or parts[:2] != ["content", "articles"] or parts[3] != "claims" or \
            not parts[4].endswith(".yaml"):
        return None
    claim = graph.claims.get(parts[4][:-5])
    return claim if claim is not None and claim.origin.path == path else None


def _links(claim: Claim) -> tuple:
    """What of a claim decides which pages link to it and where it is anchored (verdict, tags, dates are relisted)."""
    return (claim.id, claim.article, tuple(ref.source for ref in claim.sources), tuple(dict.fromkeys(claim.related)),
            claim.status, claim.quote, claim.occurrence, claim.version,
            claim.repeat_of)  # a repeat links two claim pages, and is validated against the whole site



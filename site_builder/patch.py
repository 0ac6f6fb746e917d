"""validate -> anchor -> link for `serve`, when only what claims and sources say has changed.

Most saves in a preview change the words of a claim (its summary, body, the quote
from a source) or of a source, and no link between pages: the claim keeps its id,
article, verdict, sources, tags, related claims, status, dates and the passage it
anchors to; the source keeps its id. Then the previous graph is still right
everywhere but in those claims and sources, and patching it costs what the edit
does instead of what the site does. `patch` checks each of those conditions and
gives up (None: compile everything) as soon as one fails; a test holds its result
equal to a full compile for every kind of edit.
"""

from __future__ import annotations

import bisect
import dataclasses
from typing import TypeVar

from .anchor import anchor_article
from .data import claim_review_warnings
from .errors import Problem
from .link import Graph
from .load import RawContent
from .model import Claim, Source
from .validate import revalidate_claim, revalidate_source

__all__ = ["patch"]

_T = TypeVar("_T", Claim, Source)


def patch(graph: Graph, problems: list[Problem], raw: RawContent, modified: set[str], records: dict
          ) -> tuple[Graph, list[Problem]] | None:
    """`graph` and its warnings after the claim and source files `modified` were saved; None if more changed."""
    if not modified:
        return None
    site = graph.site
    fresh: dict[str, Claim] = {}
    sources: dict[str, Source] = {}
    found: list[Problem] = []
    for path in modified:
        if path.startswith("content/sources/"):
            old_source = graph.sources.get(path[len("content/sources/"):-len(".yaml")])
            if old_source is None or old_source.origin.path != path:
                return None
            source, source_problems = revalidate_source(next(f for f in raw.sources if f.path == path), records)
            if source is None or any(problem.is_error for problem in source_problems):
                return None
            sources[source.id] = source
            found += source_problems
            continue
        old = _claim_at(graph, path)
        if old is None:
            return None
        claim, claim_problems = revalidate_claim(raw, raw.articles[old.article][path.split("/", 3)[3]], site,
                                                 records)
        if claim is None or any(problem.is_error for problem in claim_problems) or _links(claim) != _links(old):
            return None
        fresh[old.id] = claim if claim.related == old.related else dataclasses.replace(claim, related=old.related)
        found += claim_problems
    site = dataclasses.replace(site, claims=_replaced(site.claims, fresh), sources=_replaced(site.sources, sources))
    anchored = graph.anchored
    for slug in {claim.article for claim in fresh.values()}:
        in_article = tuple(claim for claim in site.claims if claim.article == slug)  # as `anchor_site` has them
        now, anchor_problems = anchor_article(graph.articles[slug], anchored[slug].text, in_article)
        if now != anchored[slug]:  # the passage moved: numbers, order and segments may all change
            return None
        found += [problem for problem in anchor_problems if problem.origin.path in modified]
    by_source = dict(graph.by_source) if fresh else graph.by_source  # unchanged containers stay the same objects
    for claim_id, claim in fresh.items():
        for source_id in dict.fromkeys(ref.source for ref in claim.sources):
            refs = iter([ref for ref in claim.sources if ref.source == source_id])
            by_source[source_id] = tuple((cited, next(refs) if cited == claim_id else ref)
                                         for cited, ref in by_source[source_id])
    patched = dataclasses.replace(graph, site=site, claims={**graph.claims, **fresh} if fresh else graph.claims,
                                  sources={**graph.sources, **sources} if sources else graph.sources,
                                  by_source=by_source)
    for claim_id in fresh:
        found += claim_review_warnings(patched, claim_id)
    return patched, [problem for problem in problems if problem.origin.path not in modified] + found


def _replaced(things: tuple[_T, ...], fresh: dict[str, _T]) -> tuple[_T, ...]:
    """`things` (in id order) with the fresh ones in place of those with their ids."""
    if not fresh:
        return things
    replaced = list(things)
    for thing_id, thing in fresh.items():
        replaced[bisect.bisect_left(replaced, thing_id, key=_id)] = thing
    return tuple(replaced)


def _id(thing: Claim | Source) -> str:
    return thing.id


def _claim_at(graph: Graph, path: str) -> Claim | None:
    """The claim that `path` holds in `graph`, if it is a claim file that anchored."""
    parts = path.split("/")
    if len(parts) != 5 or parts[:2] != ["content", "articles"] or parts[3] != "claims" or \
            not parts[4].endswith(".yaml"):
        return None
    claim = graph.claims.get(parts[4][:-5])
    return claim if claim is not None and claim.origin.path == path else None


def _links(claim: Claim) -> tuple:
    """Everything of a claim that decides which pages link to it, and where it is anchored or listed."""
    changed = claim.updates[-1].date if claim.updates else claim.checked
    return (claim.id, claim.article, claim.verdict, tuple(ref.source for ref in claim.sources), claim.tags,
            tuple(dict.fromkeys(claim.related)), claim.status, changed, claim.quote, claim.occurrence, claim.version)


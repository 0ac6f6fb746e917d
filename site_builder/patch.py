"""validate -> anchor -> link for `serve`, when only what some claims say has changed.

Most saves in a preview change the words of a claim (its summary, body, the quote
from a source) and no link between pages: the claim keeps its id, article, verdict,
sources, tags, related claims, status, dates and the passage it anchors to. Then
the previous graph is still right everywhere but in those claims, and patching
it costs what the edit does instead of what the site does. `patch` checks each of
those conditions and gives up (None: compile everything) as soon as one fails; a
test holds its result equal to a full compile for every kind of edit.
"""

from __future__ import annotations

import bisect
import dataclasses

from .anchor import anchor_article
from .data import claim_review_warnings
from .errors import Problem
from .link import Graph
from .load import RawContent
from .model import Claim
from .validate import revalidate_claim

__all__ = ["patch"]


def patch(graph: Graph, problems: list[Problem], raw: RawContent, modified: set[str], records: dict
          ) -> tuple[Graph, list[Problem]] | None:
    """`graph` and its warnings after the claim files `modified` were saved; None if more than claims changed."""
    site = graph.site
    if not modified:
        return None
    fresh: dict[str, Claim] = {}
    found: list[Problem] = []
    for path in modified:
        old = _claim_at(graph, path)
        if old is None:
            return None
        claim, claim_problems = revalidate_claim(raw, raw.articles[old.article][path.split("/", 3)[3]], site,
                                                 records)
        if claim is None or any(problem.is_error for problem in claim_problems) or _links(claim) != _links(old):
            return None
        fresh[old.id] = claim if claim.related == old.related else dataclasses.replace(claim, related=old.related)
        found += claim_problems
    claims = list(site.claims)  # in id order
    for claim_id, claim in fresh.items():
        claims[bisect.bisect_left(claims, claim_id, key=_id)] = claim
    site = dataclasses.replace(site, claims=tuple(claims))
    anchored = graph.anchored
    for slug in {claim.article for claim in fresh.values()}:
        in_article = tuple(claim for claim in site.claims if claim.article == slug)  # as `anchor_site` has them
        now, anchor_problems = anchor_article(graph.articles[slug], anchored[slug].text, in_article)
        if now != anchored[slug]:  # the passage moved: numbers, order and segments may all change
            return None
        found += [problem for problem in anchor_problems if problem.origin.path in modified]
    by_source = dict(graph.by_source)
    for claim_id, claim in fresh.items():
        for source_id in dict.fromkeys(ref.source for ref in claim.sources):
            refs = iter([ref for ref in claim.sources if ref.source == source_id])
            by_source[source_id] = tuple((cited, next(refs) if cited == claim_id else ref)
                                         for cited, ref in by_source[source_id])
    patched = dataclasses.replace(graph, site=site, claims={**graph.claims, **fresh}, by_source=by_source)
    for claim_id in fresh:
        found += claim_review_warnings(patched, claim_id)
    return patched, [problem for problem in problems if problem.origin.path not in modified] + found


def _id(claim: Claim) -> str:
    return claim.id


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


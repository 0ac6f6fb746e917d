"""What a claim page shows of the desk: its claimant, the earlier check it repeats, its sign-off.

Kept apart from `render` so the templates get plain values (no lookups in Jinja) and
`render`'s lists of a page's inputs can ask the same question as the page.
"""

from __future__ import annotations

from typing import Any

from ..link import Graph

__all__ = ["desk_context", "repeat_links", "signers"]


def repeat_links(graph: Graph, claim_id: str) -> tuple[str, ...]:
    """The claims a claim page links as repeats: the earlier check it repeats, and the claims repeating it."""
    if graph.desk is None:
        return ()
    earlier = graph.claims[claim_id].repeat_of
    return tuple(([earlier] if earlier in graph.claims else []) + list(graph.desk.repeats.get(claim_id, ())))


def signers(graph: Graph, names: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """(name shown, person id or None) for each name: an id of content/people/ becomes a link to its byline."""
    people = graph.desk.people if graph.desk is not None else {}
    return [(people[name].name, name) if name in people else (name, None) for name in names]


def desk_context(graph: Graph, claim_id: str) -> dict[str, Any]:
    claim = graph.claims[claim_id]
    desk = graph.desk
    if desk is None:
        return {}
    earlier = claim.repeat_of if claim.repeat_of in graph.claims else None
    return {
        "claimant": desk.claimants[desk.of_claim[claim_id]],
        "checked_before": earlier,
        "repeated_in": desk.repeats.get(claim_id, ()),
        "checked_by": signers(graph, claim.checked_by),
        "reviewed_by": signers(graph, claim.reviewed_by),
        "unreviewed": claim_id in desk.unreviewed,
    }

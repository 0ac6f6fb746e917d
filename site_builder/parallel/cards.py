"""Share cards drawn by forked processes: the speed-only twin of `output.cards.write_cards`.

A test holds the two equal byte for byte (tests/output/test_cards.py). Drawing a card takes a few
milliseconds; a site with thousands of claims shares them between the build's workers.
"""

from __future__ import annotations

from pathlib import Path

from ..link import Graph
from ..output import cards as serial
from ..output.cards import CardsDrawn, cards_of, drawing, missing_cards, store_cards
from .forked import fork_available, piece_size, shared_out

__all__ = ["write_cards", "PARALLEL_FROM"]

PARALLEL_FROM = 16  # cards to draw; fewer are drawn here at once: starting workers costs more than they save


def write_cards(graph: Graph, folder: Path, cache: Path | None, workers: int = 1) -> CardsDrawn:
    """`output.cards.write_cards`, with the missing cards drawn in `workers` forked processes when it pays."""
    cards = cards_of(graph)
    missing = missing_cards(cards, cache)
    if workers <= 1 or len(missing) < PARALLEL_FROM or not fork_available():
        return serial.write_cards(graph, folder, cache)
    drawn = shared_out(len(missing), piece_size(len(missing), workers, 4), workers, drawing(missing))
    return store_cards(cards, missing, drawn, folder, cache)

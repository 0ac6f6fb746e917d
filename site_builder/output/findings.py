"""What the check found, for the top of an article page: the rated claims below the top of the scale.

A reader should meet what the article got wrong before anything else (issue 20), so the
article page leads with these, worst first; claims at the top of the scale are counted, and
unrated ones (opinion, not checkable) are counted too, never listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..link import BlockView, Graph

__all__ = ["ArticleFindings", "article_findings", "opens_with_headline"]


@dataclass(frozen=True, slots=True)
class ArticleFindings:
    listed: tuple[str, ...]  # claim ids rated below the top of the scale, worst first, then in article order
    top: int  # claims rated at the top of the scale
    top_id: str  # the verdict at the top of the scale ("" when no verdict is rated)
    top_label: str  # its label
    top_rating: int | None  # the best rating of the site's scale: its passages are quiet in the text
    unrated: int  # claims with a verdict that is not a rating


def article_findings(graph: Graph, slug: str) -> ArticleFindings:
    """The article's claims that fall short of the top rating, worst first, and what is only counted."""
    ratings = [verdict.rating for verdict in graph.verdicts.values() if verdict.rating is not None]
    best = max(ratings, default=None)
    top = next((verdict for verdict in graph.verdicts.values() if best is not None and verdict.rating == best), None)
    claim_ids = graph.by_article[slug]
    rating = {claim_id: graph.verdicts[graph.claims[claim_id].verdict].rating for claim_id in claim_ids}
    listed = [claim_id for claim_id in claim_ids if rating[claim_id] is not None and rating[claim_id] != best]
    listed.sort(key=lambda claim_id: rating[claim_id] or 0)  # stable: article order within a rating
    at_top = sum(1 for claim_id in claim_ids if best is not None and rating[claim_id] == best)
    unrated = sum(1 for claim_id in claim_ids if rating[claim_id] is None)
    return ArticleFindings(tuple(listed), at_top, top.id if top else "", top.label if top else "", best,
                          unrated)


def opens_with_headline(blocks: tuple[BlockView, ...], title: str) -> bool:
    """Whether the text opens with the article's own headline as a heading (`# Headline` in text.md).

    Then the page's h1 names the check instead, so a screen reader does not read the headline twice.
    """
    if not blocks or blocks[0].block.kind != "heading":
        return False
    words = "".join(segment.text for segment in blocks[0].segments)
    return " ".join(words.split()).casefold() == " ".join(title.split()).casefold()

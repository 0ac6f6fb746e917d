"""Machine-readable outputs: ClaimReview, Web Annotations, claims.json and claims.csv.

Fact-checks reach readers through search engines and other checkers' tools, so the
same model that renders the pages also renders the data they read: a ClaimReview
for each claim page (Google's fact-check structured data), every anchored passage
as a W3C Web Annotation, and the whole set as JSON and CSV for reuse. Everything
here is a pure function of the graph, with no clock, so builds stay byte-identical.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from functools import partial
from importlib import resources
from typing import Any

from ..errors import Problem
from ..link import Graph, last_change

__all__ = ["article_notes", "claim_review", "json_for_html", "web_annotations", "claims_json", "claims_csv",
           "article_text", "claim_review_warnings", "claims_schema", "CLAIM_REVIEW_LIMIT"]

CLAIM_REVIEW_LIMIT = 75  # Google: claimReviewed "less than 75 characters", so 74 at most


def claim_url(graph: Graph, claim_id: str) -> str:
    return f"{graph.site.config.base_url}claims/{claim_id}/"


def claim_review(graph: Graph, claim_id: str) -> dict[str, Any]:
    claim = graph.claims[claim_id]
    verdict = graph.verdicts[claim.verdict]
    article = graph.articles[claim.article]
    config = graph.site.config
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.label}
    if verdict.rated:
        rating.update(ratingValue=verdict.rating, bestRating=5, worstRating=1)
    appearance: dict[str, Any] = {"@type": "NewsArticle", "headline": article.title,
                                  "publisher": {"@type": "Organization", "name": article.publisher}}
    if article.url:
        appearance["url"] = article.url
    if article.published:
        appearance["datePublished"] = article.published.isoformat()
    claimant = claim.claimant or article.publisher
    author: dict[str, Any] = {"name": claimant}
    if claimant == article.publisher:  # the one claimant whose kind is known; a person's is not guessed
        author["@type"] = "Organization"
    known = graph.desk.claimants[graph.desk.of_claim[claim_id]] if graph.desk is not None else None
    if known is not None and known.origin is not None:  # a claimant file: its name, its kind, its page
        author = {**author, "name": known.name, **({"@type": known.kind} if known.kind else {}),
                  **({"sameAs": known.url} if known.url else {})}
    item: dict[str, Any] = {"@type": "Claim", "author": author, "appearance": appearance}
    if article.published:
        item["datePublished"] = article.published.isoformat()
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim_url(graph, claim_id),
        "claimReviewed": claim.claim,
        "reviewRating": rating,
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": config.publisher.name, "url": config.publisher.url},
    }
    if claim.checked:
        review["datePublished"] = claim.checked.isoformat()
    changed = last_change(claim)
    if changed and claim.updates:
        review["dateModified"] = changed.isoformat()
    return review


def claim_review_warnings(graph: Graph, claim_id: str) -> list[Problem]:
    """Where a claim page's ClaimReview would fall short of Google's fact-check guidance."""
    found = []
    claim = graph.claims[claim_id]
    if len(claim.claim) >= CLAIM_REVIEW_LIMIT:
        found.append(Problem(claim.claim_origin, "claim-too-long",
                             f"'claim' has {len(claim.claim)} characters; Google asks for fewer than "
                             f"{CLAIM_REVIEW_LIMIT} (ClaimReview claimReviewed)", "state the claim more briefly",
                             "warning"))
    if (claim.claimant or graph.articles[claim.article].publisher) == graph.site.config.publisher.name:
        found.append(Problem(claim.origin, "claimant-is-us",
                             "the claimant is the site's own publisher; a ClaimReview needs who made the claim",
                             "set `claimant:` to the person or outlet that made the claim", "warning"))
    return found


def json_for_html(value: Any) -> str:
    """JSON that is safe inside <script type="application/ld+json">: no '<', '>' or '&' can end it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def article_text(graph: Graph, slug: str) -> str:
    """The text every offset refers to: the article's blocks joined by blank lines."""
    return graph.anchored[slug].text.plain


def article_notes(graph: Graph, slug: str) -> str:
    """The notes of an article's passages, loaded by the article page when a reader opens one.

    Keeping them out of the page's HTML keeps a heavily checked article light; without
    JavaScript every marker links to its claim page instead.
    """
    notes = {}
    for claim_id in graph.by_article[slug]:
        claim = graph.claims[claim_id]
        verdict = graph.verdicts[claim.verdict]
        notes[claim_id] = {
            "number": graph.number[claim_id], "verdict": verdict.id, "label": verdict.label,
            "rating": verdict.rating, "claim": claim.claim, "summary": claim.summary,
            "draft": claim.status == "draft", "url": f"../../claims/{claim_id}/",
            "sources": [{"publisher": graph.sources[ref.source].publisher,
                         "url": f"../../sources/{ref.source}/"} for ref in claim.sources],
        }
        changes = graph.anchored[slug].drift.get(claim_id)
        if changes:
            notes[claim_id]["changed"] = {"version": changes[0].version.isoformat(), "before": changes[0].before,
                                          "after": changes[0].after}
    return json.dumps(notes, ensure_ascii=False, separators=(",", ":")) + "\n"


def web_annotations(graph: Graph, remember: bool = True) -> Iterator[str]:
    """Every anchored passage as one AnnotationCollection (JSON-LD), in pieces (see `claims_json`)."""
    base = graph.site.config.base_url
    shell = json_for_html({
        "@context": "http://www.w3.org/ns/anno.jsonld", "id": f"{base}annotations.jsonld",
        "type": "AnnotationCollection", "label": f"Checks published by {graph.site.config.publisher.name}",
        "total": sum(len(graph.anchored[graph.claims[claim_id].article].claim_spans[claim_id])
                     for claim_id in graph.order),
        "first": {"id": f"{base}annotations.jsonld#page-1", "type": "AnnotationPage", "items": []}})
    head, tail = shell.split('"items":[]', 1)
    items = (annotations for _, _, annotations in _all_parts(graph)) if remember \
        else (_annotation_items(graph, claim_id) for claim_id in graph.order)
    yield head + '"items":['
    yield from _joined(text for text in items if text)
    yield "]" + tail + "\n"


def _joined(parts: Iterable[str]) -> Iterator[str]:
    """`",".join(parts)`, a part at a time."""
    for number, part in enumerate(parts):
        yield "," + part if number else part


def _annotation_items(graph: Graph, claim_id: str) -> str:
    """A claim's passages as Web Annotations whose selectors anchor on the resource they name.

    The selectors are offsets and context in the article's text.txt, so that is the target's
    source; the article page, where readers see the passage, is its scope. The claim page is a
    SpecificResource body because the model allows `purpose` only there and on textual bodies.
    """
    claim = graph.claims[claim_id]
    verdict = graph.verdicts[claim.verdict]
    spans = graph.anchored[claim.article].claim_spans[claim_id]
    page = f"{graph.site.config.base_url}articles/{claim.article}/"
    items = []
    for number, span in enumerate(spans, start=1):
        item: dict[str, Any] = {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": f"{claim_url(graph, claim_id)}#annotation-{number}",
            "type": "Annotation",
            "motivation": "assessing",
            "body": [
                {"type": "TextualBody", "purpose": "assessing", "format": "text/plain", "value": verdict.label},
                {"type": "TextualBody", "purpose": "describing", "format": "text/plain", "value": claim.summary},
                {"type": "SpecificResource", "purpose": "describing",
                 "source": {"id": claim_url(graph, claim_id), "type": "Text", "format": "text/html"}},
            ],
            "target": {
                "type": "SpecificResource",
                "source": {"id": f"{page}text.txt", "type": "Text", "format": "text/plain"},
                "scope": {"id": page, "type": "Text", "format": "text/html"},
                "selector": [
                    {"type": "TextQuoteSelector", "exact": span.exact, "prefix": span.prefix, "suffix": span.suffix},
                    {"type": "TextPositionSelector", "start": span.start, "end": span.end},
                ],
            },
        }
        if claim.checked:
            item["created"] = f"{claim.checked.isoformat()}T00:00:00Z"
        items.append(json_for_html(item))
    return ",".join(items)


# A claim's parts of claims.json, claims.csv and annotations.jsonld, by the identity of what they show:
# after an edit in `serve`, only the edited claim's parts are made again.
def _all_parts(graph: Graph) -> list[tuple[str, str, str]]:
    """Every claim's parts in site order, looked up once per graph for the three files."""
    memos = graph.memos
    return memos.all_parts.get((graph,), lambda: memos.claim_parts.sweep(lambda: [_parts(graph, claim_id)
                                                                                  for claim_id in graph.order]))


def _parts(graph: Graph, claim_id: str) -> tuple[str, str, str]:
    claim = graph.claims[claim_id]
    shown = (claim, graph.verdicts[claim.verdict], graph.articles[claim.article], graph.site.config,
             graph.anchored[claim.article].claim_spans[claim_id], *[graph.sources[ref.source] for ref in claim.sources])
    return graph.memos.claim_parts.get(shown, partial(_make_parts, graph, claim_id), graph.related[claim_id])


def _make_parts(graph: Graph, claim_id: str) -> tuple[str, str, str]:
    return _record_json(graph, claim_id), _csv_line(graph, claim_id), _annotation_items(graph, claim_id)


def _record_json(graph: Graph, claim_id: str) -> str:
    return json.dumps(_claim_record(graph, claim_id), ensure_ascii=False, separators=(",", ":"))


def _csv_line(graph: Graph, claim_id: str) -> str:
    claim = graph.claims[claim_id]
    verdict = graph.verdicts[claim.verdict]
    changed = last_change(claim)
    return _csv_row((
        claim_id, claim_url(graph, claim_id), claim.article, claim.quote, claim.claim,
        claim.claimant or graph.articles[claim.article].publisher, verdict.label, verdict.rating or "",
        claim.summary, claim.checked.isoformat() if claim.checked else "", changed.isoformat() if changed else "",
        " ".join(graph.sources[ref.source].url for ref in claim.sources), " ".join(claim.tags),
    ))


def _claim_record(graph: Graph, claim_id: str) -> dict[str, Any]:
    claim = graph.claims[claim_id]
    verdict = graph.verdicts[claim.verdict]
    article = graph.articles[claim.article]
    changed = last_change(claim)
    return {
        "id": claim_id,
        "url": claim_url(graph, claim_id),
        "article": {"slug": article.slug, "title": article.title, "publisher": article.publisher,
                    "url": article.url, "page": f"{graph.site.config.base_url}articles/{article.slug}/",
                    "text": f"{graph.site.config.base_url}articles/{article.slug}/text.txt"},
        "quote": claim.quote,
        "anchors": [{"start": s.start, "end": s.end, "exact": s.exact, "prefix": s.prefix, "suffix": s.suffix}
                    for s in graph.anchored[claim.article].claim_spans[claim_id]],
        "claim": claim.claim,
        "claimant": claim.claimant or article.publisher,
        "verdict": {"id": verdict.id, "label": verdict.label, "rating": verdict.rating},
        "summary": claim.summary,
        "checked": claim.checked.isoformat() if claim.checked else None,
        "updated": changed.isoformat() if changed else None,
        "sources": [{"id": ref.source, "title": graph.sources[ref.source].title,
                     "publisher": graph.sources[ref.source].publisher, "url": graph.sources[ref.source].url,
                     "kind": graph.sources[ref.source].kind, "quote": ref.quote, "note": ref.note or None,
                     "language": graph.sources[ref.source].language, "translation": ref.translation or None}
                    for ref in claim.sources],
        "tags": list(claim.tags),
        "related": list(graph.related[claim_id]),
        "updates": [{"date": update.date.isoformat(), "note": update.note} for update in claim.updates],
    }


def claims_json(graph: Graph, remember: bool = True) -> Iterator[str]:
    """claims.json in pieces, which a build writes as they come (the file is 100 MB at 53k pages).

    `serve` remembers each claim's parts from one save to the next (`remember`); a build
    makes each once and keeps none.
    """
    config = graph.site.config
    document = {
        "site": {"title": config.title, "url": config.base_url, "publisher": config.publisher.name},
        "verdicts": [{"id": v.id, "label": v.label, "description": v.description, "rating": v.rating}
                     for v in config.verdicts],
        "claims": [],
    }
    head, tail = json.dumps(document, ensure_ascii=False, separators=(",", ":")).rsplit("[]", 1)
    records = (record for record, _, _ in _all_parts(graph)) if remember \
        else (_record_json(graph, claim_id) for claim_id in graph.order)
    yield head + "["
    yield from _joined(records)
    yield "]" + tail + "\n"


def claims_schema(graph: Graph) -> str:
    """The JSON Schema of claims.json, published where its `$id` says it is: under this site's address."""
    schema = json.loads(resources.files("site_builder").joinpath("claims.schema.json").read_text(encoding="utf-8"))
    schema["$id"] = f"{graph.site.config.base_url}{schema['$id']}"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ("id", "url", "article", "quote", "claim", "claimant", "verdict", "rating", "summary", "checked",
               "updated", "sources", "tags")


def claims_csv(graph: Graph, remember: bool = True) -> Iterator[str]:
    """claims.csv in pieces (see `claims_json`)."""
    yield _csv_row(CSV_COLUMNS, header=True)
    yield from (row for _, row, _ in _all_parts(graph)) if remember \
        else (_csv_line(graph, claim_id) for claim_id in graph.order)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as the start of a formula (OWASP)


def _csv_row(values: tuple, header: bool = False) -> str:
    """One CSV line; a text cell that a spreadsheet would run as a formula starts with ' instead.

    claims.json keeps the exact text; the CSV is for spreadsheets, where `=HYPERLINK(...)` in a
    summary would otherwise become a live link (CSV injection, as OWASP describes it).
    """
    out = io.StringIO()
    cells = values if header else ["'" + value if isinstance(value, str) and value.startswith(_FORMULA_START)
                                   else value for value in values]
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()

"""What a page reads: the content files each page of the plan is made from.

`job_inputs` is the definition, page by page. The build cache keys a kept page by these files
(parallel/page_cache.py); `serve` asks the same question the other way round (preview/deps.py:
`dependants`), and a test holds the two equal (tests/test_render.py).
"""

from __future__ import annotations

from typing import Any

from ..link import Graph
from .desk_pages import repeat_links
from .plan import PageJob

__all__ = ["job_inputs", "desk_files", "WHOLE_SITE", "WITH_SOURCES", "FROM_PLAN", "DOWNLOADS"]


def job_inputs(job: PageJob, graph: Graph) -> set[str]:
    """The content files a page is made from (paths relative to the site root).

    This is the definition, page by page; `serve` asks the same question the other way
    round (`dependants`: which pages is this file in?), and a test holds the two equal.
    Every page shows the site's settings and the footer's page titles; the pages of
    `FROM_PLAN` also show the list of pages, which `serve` compares itself. A page that shows a
    claim also shows its claimant and its sign-off: their desk files are among its inputs.
    """
    site, desk = graph.site, graph.desk
    inputs = {site.config.origin.path, *(page.origin.path for page in site.pages)}

    def claims(ids: Any) -> None:
        for claim_id in ids:
            claim = graph.claims[claim_id]
            inputs.add(claim.origin.path)
            if desk is not None:
                inputs.update(desk_files(graph, claim_id))

    def articles(slugs: Any) -> None:
        for slug in slugs:
            article = graph.articles[slug]
            inputs.update((article.origin.path, article.text_path, *(v.path for v in article.versions)))

    key, kind = job.key, job.kind
    if kind in WHOLE_SITE:
        claims(graph.order)
        articles(graph.articles)
        if kind in WITH_SOURCES:
            inputs.update(source.origin.path for source in site.sources)
    elif kind == "text":
        articles([key])
    elif kind in ("article", "coverage", "notes"):
        articles([key])
        claims(graph.by_article[key])
        if kind == "notes":
            inputs.update(graph.sources[ref.source].origin.path for claim_id in graph.by_article[key]
                          for ref in graph.claims[claim_id].sources)
    elif kind == "claim":
        claim = graph.claims[key]
        claims([key, *graph.related[key], *(n for n in graph.neighbours[key] if n), *repeat_links(graph, key)])
        articles([claim.article])
        inputs.update(graph.sources[ref.source].origin.path for ref in claim.sources)
    elif kind == "embed":
        claims([key])
    elif kind == "source":
        inputs.add(graph.sources[key].origin.path)
        claims(claim_id for claim_id, _ in graph.by_source[key])
    elif kind == "verdict":
        claims(graph.by_verdict[key])
    elif kind == "tag":
        claims(graph.by_tag[key])
    elif kind == "desk":
        inputs.update(person.origin.path for person in desk.people.values())
    elif kind == "claimant":
        claims(graph.desk.by_claimant[key])
        articles({graph.claims[claim_id].article for claim_id in graph.desk.by_claimant[key]})
    return inputs


WHOLE_SITE = ("home", "claims", "claimants", "verdicts", "tags", "sources", "feed", "claims-json", "claims-csv",
              "annotations")  # pages made from every claim and article
WITH_SOURCES = ("sources", "claims-json", "claims-csv")  # ... and from every source
FROM_PLAN = ("sitemap",)  # pages made from the list of pages: made again when a page comes or goes
DOWNLOADS = ("claims-json", "claims-csv", "annotations")  # the whole-site data: `serve` makes them when asked


def desk_files(graph: Graph, claim_id: str) -> tuple[str, ...]:
    """The desk files a claim is shown with: its claimant's file, and the people files of its sign-off."""
    desk, claim = graph.desk, graph.claims[claim_id]
    claimant = desk.claimants[desk.of_claim[claim_id]]
    found = (claimant.origin.path,) if claimant.origin is not None else ()
    return found + tuple(desk.people[name].origin.path for name in (*claim.checked_by, *claim.reviewed_by)
                         if name in desk.people)

"""`serve`'s dependency index: which pages a content file is in, and which files a page is made from.

`job_inputs` is the definition, page by page; `dependants` asks the same question the other
way round, for each saved file, and a test holds the two equal (tests/output/test_render.py).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from ..link import Graph
from ..output.plan import PageJob, plan
from ..output.urls import SINGLE, article_urls, feed_urls, url

__all__ = ["job_inputs", "dependants", "WHOLE_SITE", "WITH_SOURCES", "FROM_PLAN", "DOWNLOADS"]


def job_inputs(job: PageJob, graph: Graph) -> set[str]:
    """The content files a page is made from (paths relative to the site root).

    This is the definition, page by page; `serve` asks the same question the other way
    round (`dependants`: which pages is this file in?), and a test holds the two equal.
    Every page shows the site's settings and the footer's page titles; the pages of
    `FROM_PLAN` also show the list of pages, which `serve` compares itself.
    """
    site = graph.site
    inputs = {site.config.origin.path, *(page.origin.path for page in site.pages)}

    def claims(ids: Any) -> None:
        for claim_id in ids:
            claim = graph.claims[claim_id]
            inputs.add(claim.origin.path)

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
        claims([key, *graph.related[key], *(n for n in graph.neighbours[key] if n)])
        articles([claim.article])
        inputs.update(graph.sources[ref.source].origin.path for ref in claim.sources)
    elif kind == "source":
        inputs.add(graph.sources[key].origin.path)
        claims(claim_id for claim_id, _ in graph.by_source[key])
    elif kind == "verdict":
        claims(graph.by_verdict[key])
    elif kind == "tag":
        claims(graph.by_tag[key])
    return inputs


WHOLE_SITE = ("home", "claims", "verdicts", "tags", "sources", "feed", "claims-json", "claims-csv",
              "annotations")  # pages made from every claim and article
WITH_SOURCES = ("sources", "claims-json", "claims-csv")  # ... and from every source
FROM_PLAN = ("sitemap",)  # pages made from the list of pages: made again when a page comes or goes
DOWNLOADS = ("claims-json", "claims-csv", "annotations")  # the whole-site data: `serve` makes them when asked


def dependants(graph: Graph, path: str) -> set[str]:
    """The URLs of the pages made from the content file `path`: `job_inputs` read backwards.

    `serve` asks this for each changed file, in the graph before and after the change,
    instead of computing the inputs of every page of a large site after each save.
    """
    site = graph.site
    if path == site.config.origin.path or any(page.origin.path == path for page in site.pages):
        return {job.url for job in plan(graph)}
    found: set[str] = set()
    files = _content_files(graph)
    kind, key = files.get(path, ("", ""))

    def articles_pages(slug: str) -> None:
        found.update(article_urls(slug))

    if kind == "article":
        found.update(_whole_site_urls(graph, WHOLE_SITE))
        articles_pages(key)
        found.add(url("text", key))
        found.update(map(partial(url, "claim"), graph.by_article[key]))
    elif kind == "claim":
        claim = graph.claims[key]
        found.update(_whole_site_urls(graph, WHOLE_SITE))
        articles_pages(claim.article)
        found.update(url("claim", claim_id) for claim_id in (key, *graph.related[key], *graph.neighbours[key])
                     if claim_id)
        found.update(url("source", ref.source) for ref in claim.sources)
        found.add(url("verdict", claim.verdict))
        found.update(map(partial(url, "tag"), claim.tags))
    elif kind == "source":
        found.update(_whole_site_urls(graph, WITH_SOURCES))
        citing = [claim_id for claim_id, _ in graph.by_source[key]]
        for claim_id in citing:
            found.update((url("claim", claim_id), article_urls(graph.claims[claim_id].article)[2]))
        found.add(url("source", key))
    return found


def _content_files(graph: Graph) -> dict[str, tuple[str, str]]:
    """Content file path -> (what it holds: article, claim or source; its id), once per graph."""
    def make() -> dict[str, tuple[str, str]]:
        files = {claim.origin.path: ("claim", claim_id) for claim_id, claim in graph.claims.items()}
        for slug, article in graph.articles.items():
            for path in (article.origin.path, article.text_path, *(v.path for v in article.versions)):
                files[path] = ("article", slug)
        files.update((source.origin.path, ("source", source_id)) for source_id, source in graph.sources.items())
        return files
    # Remembered by what a patch keeps as it was.
    return graph.memos.content_files.get((graph.order,), make, (tuple(graph.articles), tuple(graph.sources)))


def _whole_site_urls(graph: Graph, kinds: tuple[str, ...]) -> list[str]:
    return [url for kind in kinds for url in (feed_urls(graph) if kind == "feed" else [SINGLE[kind][0]])]

"""`serve`'s dependency index: which pages a content file is in, and which files a page is made from.

`job_inputs` (output/inputs.py) is the definition, page by page; `dependants` asks the same question the other
way round, for each saved file, and a test holds the two equal (tests/output/test_render.py).
"""

from __future__ import annotations

from functools import partial

from ..link import Graph
from ..output.desk_pages import repeat_links
from ..output.inputs import DOWNLOADS, FROM_PLAN, WHOLE_SITE, WITH_SOURCES, desk_files, job_inputs
from ..output.plan import plan
from ..output.urls import SINGLE, article_urls, feed_urls, url

__all__ = ["job_inputs", "dependants", "WHOLE_SITE", "WITH_SOURCES", "FROM_PLAN", "DOWNLOADS"]


def dependants(graph: Graph, path: str) -> set[str]:
    """The URLs of the pages made from the content file `path`: `job_inputs` read backwards.

    `serve` asks this for each changed file, in the graph before and after the change,
    instead of computing the inputs of every page of a large site after each save.
    """
    site = graph.site
    if path == site.config.origin.path or any(page.origin.path == path for page in site.pages):
        return {job.url for job in plan(graph)}
    if graph.desk is not None and path in graph.desk.files:
        return _desk_dependants(graph, path)
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
        if graph.desk is not None:
            found.update(url("claimant", graph.desk.of_claim[claim_id]) for claim_id in graph.by_article[key])
    elif kind == "claim":
        claim = graph.claims[key]
        found.update(_whole_site_urls(graph, WHOLE_SITE))
        articles_pages(claim.article)
        found.update(url("claim", claim_id) for claim_id in (key, *graph.related[key], *graph.neighbours[key],
                                                              *repeat_links(graph, key)) if claim_id)
        if graph.desk is not None:
            found.add(url("claimant", graph.desk.of_claim[key]))
        found.add(url("embed", key))
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


def _desk_dependants(graph: Graph, path: str) -> set[str]:
    """The pages of a desk file: those of each claim shown with it (`desk_files`), and the desk page of a person."""
    found = {url("desk") for person in graph.desk.people.values() if person.origin.path == path}
    for claim_id in graph.order:
        if path in desk_files(graph, claim_id):
            found |= dependants(graph, graph.claims[claim_id].origin.path)
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

"""Stage 5a, the plan: every page of the site as a `PageJob`, made once per graph.

The same list serves a clean build (every job), `serve` (the jobs a change touches), the
sitemap and the search index. Two jobs for one URL is a build error (`check_urls`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from ..errors import Origin, Problem
from ..link import Graph
from .urls import SINGLE, article_urls, feed_urls, output_path, url

__all__ = ["PageJob", "plan", "check_urls"]


@dataclass(frozen=True, slots=True)
class PageJob:
    url: str  # relative to the site's top: "" (home), "claims/x/", "404.html", "sitemap.xml"
    template: str
    kind: str
    key: str = ""  # the id of the thing the page is about


def _single(*kinds: str) -> list[PageJob]:
    return [PageJob(SINGLE[kind][0], SINGLE[kind][1], kind) for kind in kinds]


def plan(graph: Graph) -> tuple[PageJob, ...]:
    """Every page of the site, in a stable order (made once per graph: the sitemap lists them too).

    Remembered by what it is made from, which a patched graph (`patch`) keeps as it was.
    """
    return graph.memos.plans.get((graph.order, graph.verdicts, graph.by_tag, graph.site.pages), partial(_plan, graph),
                      (tuple(graph.articles), tuple(graph.sources)))


def _plan(graph: Graph) -> tuple[PageJob, ...]:
    jobs = _single("home")
    for slug in graph.articles:
        article, coverage, notes = article_urls(slug)
        jobs += [PageJob(article, "article.html", "article", slug),
                 PageJob(coverage, "coverage.html", "coverage", slug), PageJob(notes, "", "notes", slug)]
    jobs += _single("claims")
    jobs += [PageJob(url("claim", claim_id), "claim.html", "claim", claim_id) for claim_id in graph.order]
    jobs += _single("sources")
    jobs += [PageJob(url("source", source_id), "source.html", "source", source_id) for source_id in graph.sources]
    jobs += _single("verdicts")
    jobs += [PageJob(url("verdict", verdict_id), "verdict.html", "verdict", verdict_id)
             for verdict_id in graph.verdicts]
    jobs += _single("tags")
    jobs += [PageJob(url("tag", tag), "tag.html", "tag", tag) for tag in graph.by_tag]
    jobs += [PageJob(url("page", page.slug), "page.html", "page", page.slug) for page in graph.site.pages]
    jobs += _single("search", "404", "sitemap", "robots")
    jobs += [PageJob(url, "feed.xml", "feed", str(number)) for number, url in enumerate(feed_urls(graph), start=1)]
    jobs += [PageJob(url("text", slug), "", "text", slug) for slug in graph.articles]
    return tuple(jobs + _single("claims-json", "claims-csv", "annotations", "claims-schema"))  # shared: never changed


def check_urls(jobs: Sequence[PageJob]) -> list[Problem]:
    """Two pages must never claim one URL."""
    problems: list[Problem] = []
    claimed: dict[str, PageJob] = {}
    for job in jobs:
        path = output_path(job.url)
        if path in claimed:
            problems.append(Problem(Origin(path), "url-collision",
                                    f"two pages would be written to /{path}: {claimed[path].kind} "
                                    f"'{claimed[path].key}' and {job.kind} '{job.key}'", "rename one of them"))
        claimed[path] = job
    return problems

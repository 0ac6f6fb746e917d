"""Every output URL the site has, in one place: the plan, the dependency index and the feed use these.

URLs are relative to the site's top ("" is the home page, "claims/x/" a claim's page);
`output_path` is the file each is written to.
"""

from __future__ import annotations

from ..link import Graph

__all__ = ["SINGLE", "KEYED", "FEED_ENTRIES", "url", "feed_urls", "output_path", "article_urls"]

SINGLE = {  # kind -> (URL, template) of the pages the site has once
    "home": ("", "home.html"), "claims": ("claims/", "claims.html"), "sources": ("sources/", "sources.html"),
    "verdicts": ("verdicts/", "verdicts.html"), "tags": ("tags/", "tags.html"), "search": ("search/", "search.html"),
    "404": ("404.html", "404.html"), "sitemap": ("sitemap.xml", "sitemap.xml"), "robots": ("robots.txt", "robots.txt"),
    "feed": ("feed.xml", "feed.xml"), "claims-json": ("claims.json", ""), "claims-csv": ("claims.csv", ""),
    "annotations": ("annotations.jsonld", ""), "claims-schema": ("schemas/claims.schema.json", ""),
    "claimants": ("claimants/", "claimants.html"), "desk": ("desk/", "desk.html"),
    "search-index": ("pagefind/pagefind.js", ""),  # written by Pagefind (output/search.py), read by search.js
}



FEED_ENTRIES = 100  # a feed page's checks and updates; feed.xml holds the newest, feed/2.xml the next


def feed_urls(graph: Graph) -> list[str]:
    """The feed's pages (RFC 5005 paging), newest first: every check is in one of them."""
    pages = max(1, -(-len(graph.order) // FEED_ENTRIES))
    return [SINGLE["feed"][0]] + [f"feed/{number}.xml" for number in range(2, pages + 1)]




KEYED = {  # kind -> the URL of the page about one thing, {} its id
    "article": "articles/{}/", "coverage": "articles/{}/coverage/", "notes": "articles/{}/notes.json",
    "text": "articles/{}/text.txt", "claim": "claims/{}/", "embed": "claims/{}/embed/", "source": "sources/{}/",
    "verdict": "verdicts/{}/", "tag": "tags/{}/", "page": "{}/", "claimant": "claimants/{}/",
}


def url(kind: str, key: str = "") -> str:
    """The URL of a page: one the site has once (`SINGLE`), or the page of the thing `key`."""
    return SINGLE[kind][0] if kind in SINGLE else KEYED[kind].format(key)


def article_urls(slug: str) -> tuple[str, str, str]:
    """An article's page, its coverage page and its notes (what the article page's script reads)."""
    return url("article", slug), url("coverage", slug), url("notes", slug)


def output_path(url: str) -> str:
    return url + "index.html" if url == "" or url.endswith("/") else url

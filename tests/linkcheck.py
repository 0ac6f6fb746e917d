"""A static link checker for a built site: every internal href and #fragment must resolve."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            value = values.get(name)
            if value and (tag != "link" or values.get("rel") in ("stylesheet", "icon")):
                self.links.append(value)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def broken_links(site: Path) -> list[str]:
    """Every internal link of every HTML file that points nowhere, as 'page -> link: why'."""
    pages = {p.relative_to(site).as_posix(): parse(p) for p in site.rglob("*.html")}
    broken = []
    for name, page in sorted(pages.items()):
        base = "http://site/" + name
        for link in page.links:
            absolute = urljoin(base, link)
            if not absolute.startswith("http://site/"):
                continue  # external
            target, fragment = urldefrag(absolute)
            path = unquote(urlsplit(target).path[1:])
            if path == "" or path.endswith("/"):
                path += "index.html"
            if not (site / path).is_file():
                broken.append(f"{name} -> {link}: no such file")
            elif fragment and path in pages and fragment not in pages[path].ids:
                broken.append(f"{name} -> {link}: no element with id '{fragment}'")
    return broken

"""The one Markdown renderer: raw HTML escaped, only http(s), mailto and relative links.

A link with any other scheme is not emitted (its text stays, as plain text) and is
reported back, so that validation can name the file and line. Images are rendered
as links to the image: a page never loads anything from another host. Headings are
shifted down so author text never adds a second `h1` to a page. A build renders every
body with one `MarkdownRenderer` (a parser per heading shift); `serve`'s environment also
keeps results by (text, heading shift), so a preview renders each body once.
"""

from __future__ import annotations

import html
from typing import Any

import mistune
from mistune.renderers.html import HTMLRenderer

from ..safety import is_safe_link

__all__ = ["MarkdownRenderer", "render_markdown", "is_safe_link"]


class _SafeRenderer(HTMLRenderer):
    def __init__(self, heading_shift: int):
        super().__init__(escape=True)
        self.heading_shift = heading_shift
        self.rejected: list[str] = []

    def sanitize_url(self, url: str) -> str:
        return url if is_safe_link(url) else ""

    def link(self, text: str, url: str, title: str | None = None) -> str:
        if not is_safe_link(url):
            self.rejected.append(url)
            return text
        attrs: dict[str, object] = {"href": url}
        if title:
            attrs["title"] = title
        return "<a" + self.render_attrs(attrs) + ">" + text + "</a>"

    def image(self, text: str, url: str, title: str | None = None) -> str:
        label = text or html.escape(url)
        if not is_safe_link(url):
            self.rejected.append(url)
            return label
        return '<a class="image-link"' + self.render_attrs({"href": url}) + ">" + label + "</a>"

    def heading(self, text: str, level: int, **attrs: Any) -> str:
        level = min(level + self.heading_shift, 6)
        return f"<h{level}>{text}</h{level}>\n"


def _scrolling_table(renderer: HTMLRenderer, text: str) -> str:
    """A table in a box that scrolls sideways on a narrow screen, instead of the whole page.

    Focusable and named, so a keyboard can scroll it and a screen reader can say what it is.
    """
    return ('<div class="table-scroll" role="region" aria-label="Table" tabindex="0">\n<table>\n'
            + text + "</table>\n</div>\n")


class MarkdownRenderer:
    """Renders Markdown with a parser per heading shift, made on first use and kept by this object."""

    def __init__(self) -> None:
        self.parsers: dict[int, tuple[mistune.Markdown, _SafeRenderer]] = {}

    def __call__(self, text: str, heading_shift: int = 1) -> tuple[str, tuple[str, ...]]:
        """Markdown -> (HTML, the link targets that were refused)."""
        if heading_shift not in self.parsers:
            renderer = _SafeRenderer(heading_shift)
            markdown = mistune.create_markdown(escape=True, renderer=renderer, plugins=["strikethrough", "table"])
            renderer.register("table", _scrolling_table)  # in place of the plugin's bare <table>
            self.parsers[heading_shift] = markdown, renderer
        markdown, renderer = self.parsers[heading_shift]
        renderer.rejected = []
        return str(markdown(text)), tuple(renderer.rejected)


def render_markdown(text: str, heading_shift: int = 1) -> tuple[str, tuple[str, ...]]:
    """One text rendered with a parser of its own (a page's renderer keeps one `MarkdownRenderer`)."""
    return MarkdownRenderer()(text, heading_shift)

"""Every site-internal link a template writes comes from output/urls.py (`url()`), so one change of the URL
scheme reaches every page, the feed, the sitemap and robots.txt."""

from __future__ import annotations

import re

import pytest
from sitekit import REPO

# A link in a template: an attribute that holds an address (its value may hold quoted Jinja), an Atom or
# sitemap address, the sitemap line of robots.txt.
LINK = re.compile(r'\b(?:href|src|action|data-index)="((?:\{\{.*?\}\}|\{%.*?%\}|[^"{])*)"'
                  r"|<(?:id|loc)>([^<]*)</(?:id|loc)>|^Sitemap: (.*)$", re.MULTILINE)
TOPS = ("{{ root }}", "{{ site.base_url }}")  # the site's top, relative to the page or absolute
MADE = ("{{ url(", "{{ assets[",  # a URL from urls.py; an asset's fingerprinted name (output/assets.py)
        "{{ planned_url }}")  # sitemap.xml's loop over the plan's URLs, each made by urls.py


def hand_written(value: str) -> bool:
    """A link to a page of the site that is not `url()`'s: a path typed out, or built with string pieces."""
    if value.startswith(("#", "http://", "https://", "mailto:")):  # this page's fragment; another site
        return False
    for top in TOPS:
        if value.startswith(top):
            rest = value[len(top):]
            if not rest.startswith(MADE):
                return True
            after = rest[rest.index("}}") + 2:]
            return not (after == "" or after.startswith("#"))
    # a single value given whole (a source's address, the page's canonical URL), nothing appended
    return not re.fullmatch(r"\{\{[^{}]*\}\}", value)


def hand_written_links(text: str) -> list[tuple[int, str]]:
    return [(text[:found.start()].count("\n") + 1, value) for found in LINK.finditer(text)
            if hand_written(value := next(group for group in found.groups() if group is not None))]


def test_no_template_writes_an_internal_link_by_hand():
    found = [f"{path.relative_to(REPO)}:{line}: {value}" for path in sorted((REPO / "templates").rglob("*"))
             if path.is_file() for line, value in hand_written_links(path.read_text(encoding="utf-8"))]
    assert found == []


@pytest.mark.parametrize(("template", "wrong"), [
    ('<a href="{{ root }}claims/">', True),
    ('<a href="{{ root }}">', True),
    ('<a href="../../claims/{{ claim_id }}/">', True),
    ('<a href="coverage/">', True),
    ('<a href="/claims/x/">', True),
    ('<a href="{{ source.url }}/">', True),
    ('<link href="{{ site.base_url }}feed.xml">', True),
    ("<id>{{ site.base_url }}claims/{{ claim_id }}/</id>", True),
    ("Sitemap: {{ site.base_url }}sitemap.xml", True),
    ('<a href="{{ root }}{{ url("claim", item.id) }}">', False),
    ('<a href="{{ root }}{{ url("article", slug) }}#q-{{ claim.id }}">', False),
    ('<script src="{{ root }}{{ assets[\'article.js\'] }}">', False),
    ('<a href="{{ source.url|text_fragment(ref.quote) }}">', False),
    ('<a href="#main">', False),
    ('<a href="https://example.org/">', False),
])
def test_the_rule_tells_a_hand_written_link_from_a_made_one(template, wrong):
    assert bool(hand_written_links(template)) is wrong


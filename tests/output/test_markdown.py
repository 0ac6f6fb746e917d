from __future__ import annotations

import pytest

from site_builder.output.markdown import is_safe_link, render_markdown


@pytest.mark.parametrize("url", ["https://a.example/x", "http://a.example", "mailto:desk@a.example", "../claims/x/",
                                 "#note", "page/", "?q=1", "https://a.example/x@y", "https://a.example/?to=a@b"])
def test_safe_links(url):
    assert is_safe_link(url)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:x", "java\tscript:x", "jav%61script:x",
                                 "data:text/html,<script>", "vbscript:x", "file:///etc/passwd", "//evil.example",
                                 "\\\\evil\\share", " javascript:x", "ftp://a.example",
                                 "https://www.reuters.com@evil.example/", "http://user:pw@a.example",
                                 "https:\\\\a@b.example"])
def test_unsafe_links(url):
    assert not is_safe_link(url)


def test_raw_html_is_escaped_and_unsafe_links_dropped():
    html, refused = render_markdown('<b onclick="x()">hi</b>\n\n[go](javascript:alert(1)) and [ok](https://a.example)')
    assert "&lt;b onclick=" in html and "<b " not in html
    assert '<a href="https://a.example">ok</a>' in html and "javascript" not in html
    assert refused == ("javascript:alert(1)",)


def test_images_become_links_and_headings_shift():
    html, _ = render_markdown("# Top\n\n![a chart](https://a.example/c.png)", 2)
    assert "<h3>Top</h3>" in html and "<img" not in html
    assert '<a class="image-link" href="https://a.example/c.png">a chart</a>' in html


def test_a_table_scrolls_in_its_own_box_that_a_keyboard_can_reach():
    html, _ = render_markdown("| a | b |\n|---|---|\n| 1 | <b>2</b> |\n")
    assert html.startswith('<div class="table-scroll" role="region" aria-label="Table" tabindex="0">\n<table>\n')
    assert html.endswith("</table>\n</div>\n") and "<td>&lt;b&gt;2&lt;/b&gt;</td>" in html

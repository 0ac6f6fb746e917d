"""Lookalike addresses: a user name before the host hidden by an encoded or odd separator.

Each address in LOOKALIKES takes a browser to evil.example (the WHATWG URL standard reads
everything after `https://` up to the first `/`, `\\`, `?` or `#` as the authority, and a
percent-encoded separator is not one), while a reader sees good.example. Every URL field and
every kind of Markdown link must refuse them all; SAFE holds look-alike-free addresses that
must still pass.
"""

from __future__ import annotations

import pytest

from site_builder.content.fields import SOURCE, read_record
from site_builder.content.yamltree import parse_yaml
from site_builder.errors import Origin
from site_builder.output.markdown import render_markdown
from site_builder.safety import find_control_character, has_user_before_host, is_safe_link, is_web_url

SEPARATORS = ["%2F", "%2f", "%23", "%3F", "%3f", "%5C", "%5c", "%252F", "%2523", "%253F", "%255C", "%25252F",
              "%2F%2F", "%09", "%0A"]
LOOKALIKES = [f"https://good.example{sep}@evil.example/" for sep in SEPARATORS] + [
    "https://good.example@evil.example/",
    "https://good.example%2F:password@evil.example/",
    "HTTPS://good.example%2F@evil.example/",
    "https:good.example%2F@evil.example/",        # no slashes: a browser still reads an authority
    "https:/\\good.example%2F@evil.example/",
    "https:\\\\good.example%3F@evil.example/",
    "http://good.example%5C@evil.example/path",
    "https://good.example\t@evil.example/",        # a browser drops tabs and newlines anywhere
    "https://good.example\n%2F@evil.example/",
    " https://good.example%2F@evil.example/ ",
]
SAFE = ["https://good.example/", "https://good.example/a%2F@b", "https://good.example/?to=a%40b.example",
        "https://good.example/#%2F@evil.example", "https://good.example/path@evil.example",
        "https://web.archive.org/web/2024/https://good.example/x", "http://good.example:8080/a?b=c#d"]


@pytest.mark.parametrize("url", LOOKALIKES)
def test_a_lookalike_is_refused_as_a_link(url):
    assert not is_safe_link(url)
    for source in (f"[x]({url.strip()})", f"[x](<{url.strip()}>)", f"![x]({url.strip()})",
                   f"[x][r]\n\n[r]: {url.strip()}"):
        if "\n" in url.strip() or "\t" in url:
            continue  # not a link destination Markdown accepts: checked above, as an href
        html, refused = render_markdown(source)
        assert "href" not in html and len(refused) == 1, (source, html)


@pytest.mark.parametrize("url", [u for u in LOOKALIKES if not u[0].isspace() and "\t" not in u and "\n" not in u])
def test_a_lookalike_autolink_is_not_emitted(url):
    html, refused = render_markdown(f"<{url}>")
    assert "href" not in html and len(refused) == 1, html  # (mistune writes a backslash as %5C)


def test_a_backslash_escape_in_markdown_is_read_as_the_browser_gets_it():
    """`\\@` in Markdown is an escaped `@`: the href would be https://good.example@evil.example/."""
    html, refused = render_markdown("[x](https://good.example\\@evil.example/)")
    assert "href" not in html and refused == ("https://good.example@evil.example/",)


@pytest.mark.parametrize("url", LOOKALIKES)
def test_a_lookalike_is_refused_in_a_url_field(url):
    problems: list = []
    text = "title: T\npublisher: P\nkind: data\nurl: " + ('"' + url.replace("\\", "\\\\").replace("\t", "\\t")
                                                           .replace("\n", "\\n") + '"') + "\n"
    tree, parse_problems = parse_yaml(text, "content/sources/s.yaml")
    assert parse_problems == []
    record = read_record(tree, SOURCE, Origin("content/sources/s.yaml", 1, 1), problems, "a source")
    assert record is not None and record.get("url") is None
    assert [(p.code, p.origin.line) for p in problems] == [("unsafe-url", 4)]
    assert not (is_web_url(url) and not has_user_before_host(url))


@pytest.mark.parametrize("url", SAFE)
def test_a_plain_address_still_passes_everywhere(url):
    assert is_safe_link(url) and is_web_url(url) and not has_user_before_host(url)
    html, refused = render_markdown(f"[x]({url})")
    assert refused == () and 'href="' in html


@pytest.mark.parametrize("url", ["../claims/x/", "#note", "page/", "?q=1", "mailto:desk@good.example",
                                 "/about/", "a%2F@b"])
def test_relative_and_mail_links_pass(url):
    assert is_safe_link(url)


@pytest.mark.parametrize("url", ["//evil.example/", "/\\evil.example/", "\\\\evil.example\\share", "/%09/evil.example",
                                 "/\t/evil.example", "//good.example%2F@evil.example/", "javascript:alert(1)",
                                 "java\nscript:alert(1)", "jav%61script:x", "data:text/html,x"])
def test_links_that_leave_the_site_or_run_code_are_refused(url):
    assert not is_safe_link(url)


def test_every_url_field_of_a_site_refuses_a_lookalike(make_site, capsys):
    from site_builder.commands.cli import main
    bad = "https://good.example%2F@evil.example/"
    root = make_site({
        "content/site.yaml": f"""
            title: Mini
            base_url: "{bad}"
            language: en
            description: A minimal site.
            publisher: {{name: Mini Desk, url: "{bad}"}}
            verdicts:
              - {{id: accurate, label: Accurate, description: Correct., rating: 5}}
            """,
        "content/articles/story/article.yaml": f"""
            title: A story
            publisher: The Paper
            url: "{bad.replace('%2F', '%5C')}"
            archived_url: "{bad.replace('%2F', '%3F')}"
            summary: A short story.
            """,
        "content/sources/almanac.yaml": f"""
            title: The Almanac
            publisher: Almanac Press
            url: "{bad}"
            archived_url: "{bad.replace('%2F', '%23')}"
            kind: reference
            """,
    })
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    found = sorted(line.split(": error[")[0] for line in err.splitlines() if ": error[unsafe-url]" in line)
    assert found == ["content/articles/story/article.yaml:3:6", "content/articles/story/article.yaml:4:15",
                     "content/site.yaml:2:11", "content/site.yaml:5:35",
                     "content/sources/almanac.yaml:3:6", "content/sources/almanac.yaml:4:15"], err


def test_every_markdown_text_of_a_site_refuses_a_lookalike_link(make_site, capsys):
    from site_builder.commands.cli import main
    root = make_site({
        "content/articles/story/article.yaml": """
            title: A story
            publisher: The Paper
            summary: A short story.
            notes: "[see](https://good.example%2F@evil.example/)"
            """,
        "content/articles/story/claims/ten-people.yaml": """
            quote: Ten people saw it.
            claim: Ten people saw the sky.
            verdict: opinion
            summary: S.
            body: "<https://good.example%5C@evil.example/>"
            """,
        "content/pages/about.md": "---\ntitle: About\ndescription: D.\n---\n[one]: https://good.example%3F@evil.example/"
                                  "\n\nSee [the log][one].\n",
    })
    assert main(["build", "--no-search", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    found = sorted(line.split(": error[")[0] for line in err.splitlines() if ": error[unsafe-link]" in line)
    assert found == ["content/articles/story/article.yaml:4:8", "content/articles/story/claims/ten-people.yaml:5:7",
                     "content/pages/about.md:5:1"], err
    assert not (root / "public").exists()


@pytest.mark.parametrize("code", [*range(0x00, 0xa0), 0x2028, 0xfeff])
def test_a_control_character_is_found_in_ascii_text_and_in_any_other(code):
    is_control = code <= 0x1f and code not in (0x09, 0x0a) or 0x7f <= code <= 0x9f
    for text in (f"title: one\n\tand {chr(code)} two\n", f"title: é\n\tand {chr(code)} two\n", f"one {chr(code)}"):
        assert find_control_character(text) == (text.index(chr(code)) if is_control else None), (code, text)

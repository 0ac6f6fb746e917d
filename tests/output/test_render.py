"""The render plan: which pages each content file feeds, read both ways; and whose fault a failed page is."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import REPO, SITES, copy_site

from site_builder.build import build, compile_site
from site_builder.errors import BuildFailed
from site_builder.output import render
from site_builder.output.plan import plan
from site_builder.preview.deps import dependants, job_inputs


@pytest.mark.parametrize("site", ["basic", "versions", "karlov"])
def test_dependants_are_job_inputs_read_backwards(site: str, tmp_path: Path):
    root = REPO if site == "karlov" else copy_site(SITES / site, tmp_path / site)
    graph = compile_site(root, drafts=True).graph
    jobs = plan(graph)
    inputs = {job.url: job_inputs(job, graph) for job in jobs}
    files = set().union(*inputs.values())
    assert any("/versions/" in path for path in files) or site != "versions"
    for path in sorted(files):
        expected = {url for url, used in inputs.items() if path in used}
        assert dependants(graph, path) == expected, path
    assert dependants(graph, "content/articles/nowhere/claims/gone.yaml") == set()


def test_a_fault_outside_the_templates_is_not_blamed_on_them(basic_site: Path, monkeypatch):
    """A template's mistake is the author's problem to fix; a fault in site-builder's own code is raised."""
    def broken(*args):
        raise KeyError("a fault of our own")
    monkeypatch.setattr(render, "_context", broken)
    with pytest.raises(KeyError, match="a fault of our own"):
        build(basic_site, write=False, search=False, workers=1)


LOOPING = {  # a partial that never ends, and a site that allows a page one second
    "templates/partials/loop.html": "<p>\n{% for i in range(10 ** 15) %}{% endfor %}</p>\n",
    "templates/claim.html": "{% extends 'base.html' %}\n{% block main %}{% include 'partials/loop.html' %}"
                            "{% endblock %}\n",
}


def _with_timeout(root: Path, seconds: int) -> None:
    site = root / "content/site.yaml"
    site.write_text(site.read_text() + f"timeout: {seconds}\n")


@pytest.mark.slow
def test_a_template_that_never_ends_stops_the_build_with_its_name(make_site):
    import subprocess
    import sys
    import time
    root = make_site()
    _with_timeout(root, 1)
    assert build(root, search=False).out is not None
    before = {p: p.read_bytes() for p in (root / "public").rglob("*") if p.is_file()}
    for relative, text in LOOPING.items():
        (root / relative).write_text(text)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "site_builder", "build", "--no-search", "--root", str(root)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1 and time.monotonic() - started < 20
    assert [line for line in done.stderr.splitlines() if "error[" in line] == [
        "templates/partials/loop.html:2:1: error[template-error]: RenderTimeout: the page took longer than 1 s to "
        "render (a loop that never ends?); the limit is `timeout` in content/site.yaml (while rendering "
        "/claims/ten-people/)"]
    assert {p: p.read_bytes() for p in (root / "public").rglob("*") if p.is_file()} == before


@pytest.mark.slow
def test_the_preview_abandons_a_page_that_never_ends_and_recovers(make_site, tmp_path):
    import time

    from site_builder.preview.preview import Preview
    root = make_site()
    _with_timeout(root, 1)
    base = root / "templates/base.html"
    good = base.read_text()
    preview = Preview(root, tmp_path / "out")
    assert len(preview.rebuild().rendered) > 10
    (root / "templates/partials/loop.html").write_text(LOOPING["templates/partials/loop.html"])
    base.write_text(good.replace('<main id="main">', '<main id="main">{% include "partials/loop.html" %}'))
    started = time.monotonic()
    report = preview.rebuild()  # every page loops
    assert time.monotonic() - started < 5  # one page's limit, not one per page
    assert report.failed and [(p.origin.path, p.origin.line, p.code) for p in preview.problems] == [
        ("templates/partials/loop.html", 2, "template-error")]
    base.write_text(good)
    assert not preview.rebuild().failed and preview.problems == []
    assert "Ten people saw the sky." in (tmp_path / "out/claims/ten-people/index.html").read_text()


def test_the_page_time_limit_is_thirty_seconds_unless_the_site_says(make_site):
    assert compile_site(make_site()).graph.site.config.timeout == 30
    root = make_site(name="short")
    _with_timeout(root, 5)
    assert compile_site(root).graph.site.config.timeout == 5


@pytest.mark.slow
def test_a_template_that_never_ends_costs_one_limit_per_process_in_a_parallel_build(tmp_path):
    import subprocess
    import sys
    import time
    site = tmp_path / "synthetic"
    subprocess.run([sys.executable, str(REPO / "bench/synth.py"), str(site), "--articles", "6", "--claims", "50"],
                   check=True, capture_output=True)
    _with_timeout(site, 1)
    (site / "templates/partials/loop.html").write_text(LOOPING["templates/partials/loop.html"])
    base = site / "templates/base.html"
    base.write_text(base.read_text().replace('<main id="main">', '<main id="main">{% include "partials/loop.html" %}'))
    started = time.monotonic()
    with pytest.raises(BuildFailed) as failed:
        build(site, tmp_path / "out", search=False, workers=2)
    assert time.monotonic() - started < 10  # 300 pages in pieces of 64: not one limit per piece
    assert [(p.origin.path, p.code) for p in failed.value.problems if p.is_error] == [
        ("templates/partials/loop.html", "template-error")]
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_page_can_carry_the_correction_request_form(make_site):
    """Readers report an error through the form; Netlify Forms finds it by data-netlify, bots fill the honeypot."""
    import re
    root = make_site({"content/pages/corrections.md": """
        ---
        title: Corrections
        description: How to report an error.
        form: correction-request
        ---
        Tell us.
        """})
    build(root, search=False)
    html = (root / "public/corrections/index.html").read_text()
    form = re.search(r"<form ([^>]*)>(.*?)</form>", html, re.S)
    assert form is not None
    assert 'name="correction-request"' in form[1] and 'data-netlify="true"' in form[1]
    assert 'data-netlify-honeypot="bot-field"' in form[1] and 'method="POST"' in form[1]
    fields = re.findall(r'<(?:input|textarea) id="([^"]+)" name="([^"]+)"', form[2])
    assert [name for _, name in fields] == ["check", "problem", "source", "email"]
    assert all(f'<label for="{field_id}">' in form[2] for field_id, _ in fields)  # every field named
    assert '<input type="hidden" name="form-name" value="correction-request">' in form[2]
    plain = make_site({"content/pages/about.md": "---\ntitle: About\ndescription: Us.\n---\nHello.\n"}, name="plain")
    build(plain, search=False)
    assert "<form" not in (plain / "public/about/index.html").read_text()


def test_a_pull_quotes_attribution_is_shown_as_a_citation_after_it(make_site):
    root = make_site({"content/articles/story/text.md": """
        The sky was blue on Monday. Ten people saw it.

        > "Libraries are not a luxury."
        > <cite>Councillor Ann Reid</cite>
        """})
    build(root, search=False)
    html = (root / "public/articles/story/index.html").read_text()
    import lxml.html
    text = lxml.html.fromstring(html).find_class("article-text")[0]
    blocks = [(block.tag, block.get("class"), block.text_content().strip()) for block in text]
    assert blocks[-2:] == [("blockquote", "block", '"Libraries are not a luxury."'),
                           ("p", "block attribution", "Councillor Ann Reid")]
    assert text[-1][0].tag == "cite" and "cite&gt;" not in html


def test_the_article_page_links_the_original_and_its_archived_copy(make_site):
    """Both addresses article.yaml gives are linked, named for what they are; neither when it gives none."""
    import re
    story = """
        title: A story
        publisher: The Paper
        url: https://paper.example/story
        archived_url: https://web.archive.org/web/2024/https://paper.example/story
        summary: A short story.
        """
    root = make_site({"content/articles/story/article.yaml": story})
    build(root, search=False)
    html = (root / "public/articles/story/index.html").read_text()
    links = dict((text, href) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', html))
    assert links["original article"] == "https://paper.example/story"
    assert links["archived copy"] == "https://web.archive.org/web/2024/https://paper.example/story"
    only_copy = make_site({"content/articles/story/article.yaml": story.replace(
        "url: https://paper.example/story\n        archived_url", "archived_url")}, name="only-copy")
    build(only_copy, search=False)
    html = (only_copy / "public/articles/story/index.html").read_text()
    assert ">original article<" not in html
    assert '<a href="https://web.archive.org/web/2024/https://paper.example/story">archived copy of the original ' \
           'article</a>' in html
    plain = make_site(name="plain")
    build(plain, search=False)
    html = (plain / "public/articles/story/index.html").read_text()
    assert "archived copy" not in html and "original article" not in html


def test_a_quote_from_a_source_in_another_language_carries_it_with_a_labelled_translation(make_site):
    """Claim page and source page: the quote in the source's language, our translation in the site's."""
    import re

    from sitekit import MINIMAL, as_written
    CLAIM = "content/articles/story/claims/ten-people.yaml"
    root = make_site({
        "content/sources/gazete.yaml": """
            title: Gökyüzü
            publisher: Gazete
            url: https://gazete.example/gok
            kind: news-report
            language: tr
            """,
        CLAIM: as_written(MINIMAL[CLAIM]).replace("    quote: ten witnesses\n", "    quote: ten witnesses\n"
                                                  "  - source: gazete\n    quote: on tanık gördü\n"
                                                  "    translation: ten witnesses saw it\n")})
    build(root, search=False)
    for page in ("claims/ten-people/", "sources/gazete/"):
        html = (root / "public" / page / "index.html").read_text()
        assert '<blockquote class="pinpoint" lang="tr"><p>on tanık gördü</p></blockquote>' in html, page
        translation = re.search(r'<p class="translation" lang="([^"]+)">(.*?)</p>', html)
        assert translation is not None, page
        assert translation[1] == "en"  # the site's language
        assert re.sub(r"<[^>]+>", "", translation[2]) == "Our translation: ten witnesses saw it"
    claim = (root / "public/claims/ten-people/index.html").read_text()
    assert '<blockquote class="pinpoint"><p>ten witnesses</p></blockquote>' in claim  # no language given: none
    assert claim.count('class="translation"') == 1


def test_each_page_folder_is_made_once_also_when_another_process_made_it_first(tmp_path):
    made: set[str] = set()
    paths = ["articles/a/index.html", "articles/b/index.html", "claims/x/index.html", "claims/x/embed/index.html",
             "404.html"]
    (tmp_path / "articles" / "b").mkdir(parents=True)  # another worker's page
    for path in paths:
        target = render._new_path(tmp_path, path, made)
        assert target == str(tmp_path / path) and Path(target).parent.is_dir()
    assert {str(tmp_path / folder) for folder in ("articles", "articles/a", "articles/b", "claims/x/embed")} <= made

"""The whole pipeline on the fixture site: the pages written, their links, their safety, their bytes."""

from __future__ import annotations

import gc
import json
import re
import sys
from pathlib import Path

import pytest
from linkcheck import broken_links
from sitekit import MINIMAL, REPO, as_written

from site_builder.build import build
from site_builder.content import validate as validate_module
from site_builder.errors import BuildFailed

EXPECTED_PAGES = {
    "index.html", "404.html", "articles/harbour-fire/index.html", "claims/index.html", "sources/index.html",
    "verdicts/index.html", "tags/index.html", "methodology/index.html", "about/index.html", "search/index.html",
    "articles/harbour-fire/coverage/index.html",
    *(f"claims/{c}/index.html" for c in ("headline", "friday-fire", "crews-hours", "best-response", "built-1962",
                                         "grain-tonnes", "twelve-crews")),
    *(f"claims/{c}/embed/index.html" for c in ("headline", "friday-fire", "crews-hours", "best-response",
                                               "built-1962", "grain-tonnes", "twelve-crews")),
    *(f"sources/src-{k}/index.html" for k in ("official-statement", "transcript", "document", "data", "reference",
                                              "news-report", "agency-report", "academic", "video",
                                              "social-media", "archive")),
    *(f"verdicts/{v}/index.html" for v in ("accurate", "needs-context", "inaccurate", "opinion")),
    *(f"tags/{t}/index.html" for t in ("numbers", "fire-service", "dates-and-times", "quotes")),
    *(f"claimants/{c}index.html" for c in ("", "ann-lee/", "the-eastport-courier/")),  # the desk (issue 21)
}


def html_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.html")}


@pytest.mark.slow
def test_every_page_type_is_written(basic_site):
    result = build(basic_site)
    assert (basic_site / "public/pagefind/pagefind.js").is_file()  # the search index
    assert html_files(basic_site / "public") == EXPECTED_PAGES
    assert result.pages == len(EXPECTED_PAGES)
    assert (basic_site / "public/sitemap.xml").is_file()
    css = list((basic_site / "public/assets").glob("style.*.css"))
    assert len(css) == 1


@pytest.mark.slow
def test_every_internal_link_and_fragment_resolves(basic_site):
    build(basic_site)
    assert broken_links(basic_site / "public") == []


@pytest.mark.slow
def test_article_page_marks_every_anchored_quote(basic_site):
    build(basic_site)
    page = (basic_site / "public/articles/harbour-fire/index.html").read_text()
    # seven claims, crews-hours twice: one marker per anchored span, each linking to its claim page
    assert page.count('class="marker ') == 8
    assert 'id="q-crews-hours-2" href="../../claims/crews-hours/"' in page
    assert "No one was hurt" in page and "no-one-hurt" not in page  # the draft's passage stays plain
    notes = json.loads((basic_site / "public/articles/harbour-fire/notes.json").read_text())
    assert list(notes) == ["headline", "friday-fire", "crews-hours", "best-response", "built-1962", "grain-tonnes",
                           "twelve-crews"]
    assert notes["twelve-crews"] == {
        "number": 7, "verdict": "needs-context", "label": "Needs context", "rating": 3,
        "claim": "Twelve crews attended.", "summary": "Twelve crews attended, but only eight at the same time.",
        "draft": False, "url": "../../claims/twelve-crews/",
        "sources": [{"publisher": "Publisher 2", "url": "../../sources/src-transcript/"},
                    {"publisher": "Publisher 7", "url": "../../sources/src-agency-report/"}]}
    coverage = (basic_site / "public/articles/harbour-fire/coverage/index.html").read_text()
    assert "<td><q>Smoke over the harbour at dawn.</q></td><td>describes a photo</td>" in coverage


@pytest.mark.slow
def test_claim_page_cross_links(basic_site):
    build(basic_site)
    page = (basic_site / "public/claims/crews-hours/index.html").read_text()
    for link in ('href="../../verdicts/accurate/"', 'href="../../sources/src-official-statement/"',
                 'href="../../claims/twelve-crews/"', 'href="../../tags/numbers/"',
                 'href="../../articles/harbour-fire/#q-crews-hours"', 'rel="prev" href="../../claims/friday-fire/"',
                 'rel="next" href="../../claims/best-response/"'):
        assert link in page, link
    assert "https://source1.example.net/page?id=1#:~:text=twelve%20crews%20attended%20for%20six%20hours" in page
    source = (basic_site / "public/sources/src-official-statement/index.html").read_text()
    assert 'href="../../claims/crews-hours/"' in source and "twelve crews attended for six hours" in source


@pytest.mark.slow
def test_drafts_only_with_the_flag(basic_site):
    build(basic_site)
    assert not (basic_site / "public/claims/no-one-hurt").exists()
    build(basic_site, drafts=True)
    assert (basic_site / "public/claims/no-one-hurt/index.html").is_file()


@pytest.mark.slow
def test_a_claim_related_to_a_draft_articles_claim_builds_with_and_without_drafts(make_site):
    """Like a draft claim, a claim of a draft article is linked only when drafts are built."""
    draft = "content/articles/draft-story"
    claim = "content/articles/story/claims/ten-people.yaml"
    root = make_site({
        claim: as_written(MINIMAL[claim]) + "related: [blue-monday]\n",
        f"{draft}/article.yaml": "title: A draft\npublisher: The Paper\nsummary: Not yet.\nstatus: draft\n",
        f"{draft}/text.md": "It rained on Monday.\n",
        f"{draft}/claims/blue-monday.yaml": "quote: It rained on Monday.\nclaim: It rained.\nverdict: opinion\n"
                                            "summary: A view.\n",
    })
    published = build(root, write=False, search=False)
    assert published.graph.related["ten-people"] == ()
    with_drafts = build(root, drafts=True, write=False, search=False)
    assert with_drafts.graph.related["ten-people"] == ("blue-monday",)
    assert 'href="../../claims/blue-monday/"' in with_drafts.files["claims/ten-people/index.html"].decode()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_two_builds_are_byte_identical(basic_site, tmp_path):
    build(basic_site, tmp_path / "one")
    build(basic_site, tmp_path / "two")
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


@pytest.mark.slow
def test_parallel_and_serial_builds_are_byte_identical(tmp_path):
    """Enough pages for the process pool to be used; one process or three, the same bytes."""
    import subprocess
    import sys
    site = tmp_path / "synthetic"
    subprocess.run([sys.executable, str(REPO / "bench/synth.py"), str(site), "--articles", "6", "--claims", "50"],
                   check=True, capture_output=True)
    serial = build(site, tmp_path / "serial", search=False, workers=1)
    parallel = build(site, tmp_path / "parallel", search=False, workers=3)
    assert serial.pages == parallel.pages > 300
    assert snapshot(tmp_path / "serial") == snapshot(tmp_path / "parallel")
    assert (tmp_path / "serial/feed.xml").read_text().count("<entry>") == 100  # the newest, not all 294
    in_memory = build(site, search=False, write=False, workers=2)  # as `check` builds: no share cards
    assert in_memory.files == {k: v for k, v in snapshot(tmp_path / "serial").items()
                               if k != ".site-builder-output" and not k.endswith("/card.png")}


def event_handler_attributes(html: str) -> list[str]:
    from html.parser import HTMLParser

    found: list[str] = []

    class Attributes(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend(f"{tag} {name}" for name, _ in attrs if name.startswith("on"))

    Attributes().feed(html)
    return found


@pytest.mark.slow
def test_author_text_is_escaped_everywhere(make_site):
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    root = make_site({
        "content/articles/story/claims/ten-people.yaml": f"""
            quote: Ten people saw it.
            claim: "{payload}"
            claimant: "{payload}"
            verdict: accurate
            summary: "{payload}"
            body: |
              {payload}

              [click](javascript:alert(3))
            sources:
              - source: almanac
                quote: "{payload}"
                note: "{payload}"
            tags: [numbers]
            """,
    })
    with pytest.raises(BuildFailed) as failed:  # the javascript: link is refused
        build(root)
    assert [p.code for p in failed.value.problems if p.is_error] == ["unsafe-link"]
    text = (root / "content/articles/story/claims/ten-people.yaml").read_text().replace(
        "[click](javascript:alert(3))", "[click](https://ok.example/)")
    (root / "content/articles/story/claims/ten-people.yaml").write_text(text)
    build(root)
    for page in (root / "public").rglob("*.html"):
        html = page.read_text()
        scripts = re.findall(r"<script[^>]*>", html)
        assert all(re.fullmatch(r'<script src="[./]*assets/(article|search)\.[0-9a-f]+\.js" defer>', tag)
                   or tag == '<script type="application/ld+json">' for tag in scripts), scripts
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            assert "<" not in block and json.loads(block)["@type"] == "ClaimReview"
        assert "<img" not in html, page
        assert event_handler_attributes(html) == [], page
    claim_page = (root / "public/claims/ten-people/index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in claim_page


def test_check_writes_nothing(basic_site, capsys):
    from site_builder.commands.cli import main
    assert main(["check", "--root", str(basic_site)]) == 0
    assert not (basic_site / "public").exists()
    assert "Checked 47 pages" in capsys.readouterr().out


FULL_DISK_PAGEFIND = {  # what Pagefind did on a full disk, and a few ways it could: exit 0 each time
    "empty files": "for name in ('pagefind.js', 'pagefind-entry.json', 'pagefind.en_1.pf_meta'):\n"
                   "    open(os.path.join(index, name), 'wb').close()\n",
    "no entry file": "open(os.path.join(index, 'pagefind.js'), 'w').write('x')\n",
    "an error said": "open(os.path.join(index, 'pagefind.js'), 'w').write('x')\n"
                     "open(os.path.join(index, 'pagefind-entry.json'), 'w').write("
                     "'{\"languages\": {\"en\": {\"hash\": \"en_1\"}}}')\n"
                     "open(os.path.join(index, 'pagefind.en_1.pf_meta'), 'w').write('x')\n"
                     "print('Error: No space left on device (os error 28)', file=sys.stderr)\n",
}


@pytest.mark.slow
@pytest.mark.parametrize("how", FULL_DISK_PAGEFIND)
def test_a_search_index_written_incompletely_fails_the_build_and_keeps_the_site(basic_site, tmp_path, monkeypatch,
                                                                                 how):
    import os
    build(basic_site)
    before = {p.relative_to(basic_site / "public"): p.read_bytes() for p in (basic_site / "public").rglob("*")
              if p.is_file()}
    assert any(path.parts[0] == "pagefind" for path in before)
    fake = tmp_path / "fake" / "pagefind"  # found by `python -m pagefind` before the real one
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "__main__.py").write_text("import os, sys\nindex = os.path.join(sys.argv[sys.argv.index('--site') + 1], "
                                      "'pagefind')\nos.makedirs(index)\n" + FULL_DISK_PAGEFIND[how])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(fake.parent), os.environ.get("PYTHONPATH", "")]))
    with pytest.raises(BuildFailed) as failed:
        build(basic_site)
    assert [(p.origin.path, p.code) for p in failed.value.problems if p.is_error] == [("pagefind", "search-index")]
    assert failed.value.problems[-1].message.startswith("the search index is incomplete: ")
    after = {p.relative_to(basic_site / "public"): p.read_bytes() for p in (basic_site / "public").rglob("*")
             if p.is_file()}
    assert after == before


@pytest.mark.slow
def test_static_files_are_published_as_they_are(make_site):
    root = make_site()
    for relative, data in {"static/CNAME": b"checks.example\n", "static/downloads/report.pdf": b"%PDF-1.7",
                           "static/.well-known/security.txt": b"Contact: mailto:desk@mini.example\n",
                           "static/.DS_Store": b"junk", "static/downloads/.git/config": b"junk"}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
    result = build(root, search=False)
    public = root / "public"
    assert (public / "CNAME").read_bytes() == b"checks.example\n"
    assert (public / "downloads/report.pdf").read_bytes() == b"%PDF-1.7"
    assert (public / ".well-known/security.txt").is_file()
    assert not (public / ".DS_Store").exists() and not (public / "downloads/.git").exists()
    assert {"CNAME", "downloads/report.pdf", ".well-known/security.txt"} <= set(result.paths)
    assert [p.code for p in result.warnings if p.code == "foreign-output"] == []
    assert build(root, search=False).warnings == result.warnings  # built again: its own files, no warning


@pytest.mark.slow
@pytest.mark.parametrize("relative", ["static/index.html", "static/claims/ten-people/index.html",
                                      "static/assets/style.css", "static/pagefind/pagefind.js"])
def test_a_static_file_may_not_replace_what_the_build_writes(make_site, relative):
    root = make_site()
    build(root, search=False)
    before = {p: p.read_bytes() for p in (root / "public").rglob("*") if p.is_file()}
    (root / relative).parent.mkdir(parents=True, exist_ok=True)
    (root / relative).write_bytes(b"mine")
    with pytest.raises(BuildFailed) as failed:
        build(root, search=False)
    shown = relative.removeprefix("static/")
    assert [(p.origin.path, p.code, p.message) for p in failed.value.problems if p.is_error] == [
        (relative, "static-collision", f"this file would replace /{shown}, which the build writes itself")]
    assert {p: p.read_bytes() for p in (root / "public").rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("collecting", [True, False])
def test_the_collector_is_paused_while_loading_and_left_as_it_was(make_site, monkeypatch, collecting):
    build_module = sys.modules["site_builder.build"]  # the package's `build` is the function

    seen = []
    checked = validate_module.validate

    def validate(*args, **kwargs):
        seen.append(gc.isenabled())
        return checked(*args, **kwargs)

    monkeypatch.setattr(build_module, "validate", validate)
    frozen = gc.get_freeze_count()
    (gc.enable if collecting else gc.disable)()
    try:
        build_module.compile_site(make_site())
        assert gc.isenabled() == collecting
        # What the build loaded is frozen, never scanned again; `serve` (which pauses the collector) freezes nothing.
        assert (gc.get_freeze_count() > frozen) == collecting
    finally:
        gc.unfreeze()
        gc.enable()
    assert seen == [False]

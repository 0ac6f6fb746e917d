"""The preview's incremental rebuild: exactly the dependants of a change, the same bytes as a full build."""

from __future__ import annotations

from pathlib import Path

import pytest
from problemkit import assert_problem
from sitekit import SITES, copy_site

from site_builder.build import build
from site_builder.commands.cli import main
from site_builder.errors import format_problem
from site_builder.output.plan import plan
from site_builder.preview import preview as serve_module
from site_builder.preview.preview import Preview
from site_builder.preview.server import notice

CLAIM = "content/articles/harbour-fire/claims/crews-hours.yaml"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def started(root: Path, tmp_path: Path) -> Preview:
    """A preview of `root` in tmp_path/out, built once."""
    preview = Preview(root, tmp_path / "out")
    assert not preview.rebuild().failed
    return preview


def fresh(root: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "fresh"
    out.mkdir(exist_ok=True)
    report = Preview(root, out).rebuild()
    assert not report.failed
    return snapshot(out)


def test_nothing_changed_nothing_rendered(basic_site, tmp_path):
    preview = Preview(basic_site, tmp_path / "out")
    first = preview.rebuild()
    # 38 pages with the draft, 8 claims' embed pages, and 6 data files (the claims schema the sixth);
    # claims.json, claims.csv and annotations.jsonld wait to be asked for
    assert len(first.rendered) == 55 and not first.failed  # with the claimant pages (issue 21)
    again = preview.rebuild()
    assert again.rendered == [] and again.written == []


@pytest.mark.slow
def test_claim_edit_rerenders_exactly_its_dependants(basic_site, tmp_path):
    preview = started(basic_site, tmp_path)
    edit(basic_site, CLAIM, "The fire service log lists", "The fire service's log lists")
    report = preview.rebuild()
    assert sorted(report.rendered) == sorted([
        "claims/crews-hours/index.html", "claims/crews-hours/embed/index.html",  # the claim and its embed
        "claims/friday-fire/index.html", "claims/best-response/index.html",  # its neighbours show its text
        "claims/twelve-crews/index.html",  # a related claim
        "articles/harbour-fire/index.html", "articles/harbour-fire/coverage/index.html",
        "articles/harbour-fire/notes.json", "index.html", "claims/index.html", "sources/index.html",
        "verdicts/index.html", "tags/index.html",
        "sources/src-official-statement/index.html", "sources/src-data/index.html",
        "verdicts/accurate/index.html", "tags/numbers/index.html", "tags/fire-service/index.html",
        "feed.xml",
        "claimants/index.html", "claimants/the-eastport-courier/index.html",  # the claimant's card lists it
    ])
    # the summary shows on the claim, in its note and feed entry, and in every list of claims that holds it
    # (issue 20), and in the article's endnotes (printed without JavaScript); its neighbours show only its claim
    assert sorted(report.written) == sorted([
        "articles/harbour-fire/index.html",  # its endnote; the findings list only claims below the top rating
        "articles/harbour-fire/notes.json", "claims/crews-hours/index.html", "feed.xml",
        "claims/crews-hours/embed/index.html", "articles/harbour-fire/coverage/index.html", "claims/index.html",
        "claims/twelve-crews/index.html", "claimants/the-eastport-courier/index.html",  # its card lists it
        "index.html", "sources/src-data/index.html", "sources/src-official-statement/index.html",
        "tags/fire-service/index.html", "tags/numbers/index.html", "verdicts/accurate/index.html",
    ])
    assert snapshot(tmp_path / "out") == fresh(basic_site, tmp_path)
    assert_downloads_are_built(preview, basic_site)  # claims.json and the others carry the summary


def test_a_new_claimant_in_a_patched_claim_gets_its_page(basic_site, tmp_path):
    """A claimant is not one of the claim's links, so the graph is patched: its desk, and the plan, are new."""
    preview = started(basic_site, tmp_path)
    edit(basic_site, CLAIM, "verdict:", "claimant: Jo Bloggs\nverdict:")
    report = preview.rebuild({CLAIM})
    assert "patch" in preview.compiled.timings
    assert not report.failed and "claimants/jo-bloggs/index.html" in report.written
    assert snapshot(tmp_path / "out") == fresh(basic_site, tmp_path)


def assert_downloads_are_built(preview: Preview, root: Path) -> None:
    """The whole-site data files, made when asked for, are what a build with drafts writes."""
    built = build(root, drafts=True, write=False, search=False).files
    for path in ("claims.json", "claims.csv", "annotations.jsonld"):
        assert not (preview.out / path).exists()
        assert preview.download(path) == built[path], path
    assert preview.download("claims/crews-hours/index.html") is None  # pages are files on disk


@pytest.mark.slow
def test_template_edit_rerenders_the_pages_that_use_it(basic_site, tmp_path):
    preview = started(basic_site, tmp_path)
    edit(basic_site, "templates/tag.html", "<h1>Claims tagged", "<h1>Checks tagged")
    report = preview.rebuild()
    assert sorted(report.rendered) == [f"tags/{t}/index.html" for t in
                                       ("dates-and-times", "fire-service", "numbers", "quotes")]
    assert "<h1>Checks tagged" in (tmp_path / "out/tags/numbers/index.html").read_text()
    edit(basic_site, "templates/partials/claim_item.html", '<a href="{{ root }}{{ url("claim"',
         '<a class="x" href="{{ root }}{{ url("claim"')
    report = preview.rebuild()
    assert "claims/crews-hours/index.html" in report.rendered  # related claims use the partial
    assert "articles/harbour-fire/index.html" not in report.rendered  # the article does not
    assert snapshot(tmp_path / "out") == fresh(basic_site, tmp_path)


def test_stylesheet_edit_is_swapped_without_rendering_pages(basic_site, tmp_path):
    preview = started(basic_site, tmp_path)
    edit(basic_site, "assets/style.css", "--bg: #fdfdfb;", "--bg: #ffffff;")
    report = preview.rebuild()
    assert report.rendered == [] and report.written == ["assets/style.css"]
    assert notice(report, was_failing=False) == {"written": ["assets/style.css"]}  # the client swaps it in place
    assert b"--bg: #ffffff;" in (tmp_path / "out/assets/style.css").read_bytes()


def test_broken_file_shows_every_problem_then_recovers(basic_site, tmp_path):
    preview = started(basic_site, tmp_path)
    before = snapshot(tmp_path / "out")
    good = (basic_site / CLAIM).read_text()
    (basic_site / CLAIM).write_text(good.replace("verdict: accurate", "verdict: [accurate"))
    report = preview.rebuild()
    assert report.failed and snapshot(tmp_path / "out") == before
    page = preview.error_page().decode()
    assert (f"<code>{CLAIM}:5:8</code>: error[<code>yaml-syntax</code>]: "
            "invalid YAML: while parsing a flow sequence that starts on line 4, "
            "did not find expected &#x27;,&#x27; or &#x27;]&#x27;") in page
    assert '<span class="line">     4 | verdict: [accurate</span><span class="line hit">' in page  # one line each
    assert '<span class="line hit">&gt;    5 | summary: The fire service log' in page
    (basic_site / CLAIM).write_text(good)
    report = preview.rebuild()
    assert not report.failed and preview.problems == []


@pytest.mark.slow
def test_a_mistyped_quote_is_pinpointed_in_the_browser_and_the_terminal(make_site, tmp_path, capsys):
    root = make_site()
    preview = started(root, tmp_path)
    claim = root / "content/articles/story/claims/ten-people.yaml"
    claim.write_text(claim.read_text().replace("quote: Ten people saw it.", "quote: Ten people saw-it."))
    assert preview.rebuild().failed
    page = preview.error_page().decode()
    assert "error[<code>quote-not-found</code>]: the quote is not in the article" in page
    assert ('<pre class="pinpoint">differs at column 15 of the quote:\n  quote:   Ten people saw-it.\n'
            "  article: Ten people saw it.\n" + " " * (11 + 14) + "^</pre>")  # under the 15th character in page
    assert main(["check", "--root", str(root)]) == 1
    assert ("  hint: the closest passage (content/articles/story/text.md line 3) reads: \"Ten people saw it.\"\n"
            "        differs at column 15 of the quote:\n"
            "          quote:   Ten people saw-it.\n"
            "          article: Ten people saw it.\n" + " " * (8 + 11 + 14) + "^\n") in capsys.readouterr().err


@pytest.mark.slow
def test_failing_template_is_named_with_its_line_then_recovers(basic_site, tmp_path):
    preview = started(basic_site, tmp_path)
    before = snapshot(tmp_path / "out")
    edit(basic_site, "templates/partials/claim_item.html", "{{ item.claim }}</a>", "{{ item.claim + 1 }}</a>")
    report = preview.rebuild()
    assert report.failed and snapshot(tmp_path / "out") == before
    assert [(p.origin.path, p.origin.line, p.code) for p in preview.problems] == [
        ("templates/partials/claim_item.html", 3, "template-error")]
    assert "TypeError: can only concatenate str" in preview.problems[0].message
    assert "<code>templates/partials/claim_item.html:3:1</code>" in preview.error_page().decode()
    edit(basic_site, "templates/partials/claim_item.html", "{{ item.claim + 1 }}</a>", "{{ item.claim }}</a>")
    report = preview.rebuild()
    assert not report.failed and preview.problems == []
    assert snapshot(tmp_path / "out") == fresh(basic_site, tmp_path)


@pytest.mark.slow
def test_a_fault_of_ours_is_shown_in_the_browser_and_the_preview_recovers(basic_site, tmp_path, monkeypatch,
                                                                           capsys):
    preview = started(basic_site, tmp_path)
    edit(basic_site, CLAIM, "The fire service log lists", "The fire service's log lists")

    def broken(*args):
        raise RuntimeError("a fault of ours")
    monkeypatch.setattr(serve_module, "render_job", broken)
    report = preview.rebuild({CLAIM})
    assert report.failed and len(preview.problems) == 1
    assert_problem(format_problem(preview.problems[0]), basic_site, "site-builder: error[internal-error]: "
                   "RuntimeError: a fault of ours", "this is a fault in site-builder, not in your files; the terminal "
                   "shows where it happened: please report it")
    assert "RuntimeError: a fault of ours" in preview.error_page().decode()
    assert "Traceback" in capsys.readouterr().err  # for the report the hint asks for
    monkeypatch.undo()
    report = preview.rebuild(set())
    assert not report.failed and preview.problems == []
    assert snapshot(tmp_path / "out") == fresh(basic_site, tmp_path)


def test_an_asset_problem_is_shown_once_while_it_lasts(basic_site, tmp_path):
    preview = started(basic_site, tmp_path)
    (tmp_path / "secret.txt").write_text("private\n")
    (basic_site / "assets/leak.txt").symlink_to(tmp_path / "secret.txt")
    preview.rebuild()
    shown = [("assets/leak.txt", "unsafe-path")]
    assert [(p.origin.path, p.code) for p in preview.problems] == shown
    assert not (tmp_path / "out/assets/leak.txt").exists()
    edit(basic_site, CLAIM, "The fire service log lists", "The fire service's log lists")
    preview.rebuild({CLAIM})  # a patched compile: what rendering found last time is not carried into it
    assert [(p.origin.path, p.code) for p in preview.problems] == shown
    (basic_site / "assets/leak.txt").unlink()
    assert not preview.rebuild().failed


@pytest.mark.slow
def test_removed_claim_removes_its_page(basic_site, tmp_path):
    preview = started(basic_site, tmp_path)
    edit(basic_site, "content/articles/harbour-fire/claims/crews-hours.yaml", "related: [twelve-crews]\n", "")
    (basic_site / "content/articles/harbour-fire/claims/twelve-crews.yaml").unlink()
    report = preview.rebuild()
    assert {"claims/twelve-crews/index.html", "sitemap.xml"} <= set(report.written)
    assert not (tmp_path / "out/claims/twelve-crews/index.html").exists()
    assert snapshot(tmp_path / "out") == fresh(basic_site, tmp_path)


@pytest.mark.slow
def test_version_edit_rerenders_the_checks_of_its_article(tmp_path):
    root = copy_site(SITES / "versions", tmp_path / "versions")
    preview = started(root, tmp_path)
    edit(root, "content/articles/report/versions/2024-05-01.md", "It was a long meeting.", "The meeting ran late.")
    report = preview.rebuild()
    assert not report.failed
    assert {"claims/bridge-cost/index.html", "claims/vote-count/index.html"} <= set(report.rendered)
    assert snapshot(tmp_path / "out") == fresh(root, tmp_path)


@pytest.mark.slow
def test_rebuild_told_what_was_saved_reads_only_that(basic_site, tmp_path, monkeypatch):
    import os

    from site_builder.content import load
    preview = started(basic_site, tmp_path)
    edit(basic_site, CLAIM, "The fire service log lists", "The fire service's log lists")
    looked_at: list[str] = []
    real = os.lstat
    monkeypatch.setattr(load.os, "lstat", lambda path: looked_at.append(str(path)) or real(path))
    report = preview.rebuild({CLAIM})
    monkeypatch.undo()
    assert [path for path in looked_at if path.startswith(str(basic_site / "content"))] == [str(basic_site / CLAIM)]
    assert "claims/crews-hours/index.html" in report.written
    assert snapshot(tmp_path / "out") == fresh(basic_site, tmp_path)
    assert_downloads_are_built(preview, basic_site)


@pytest.mark.slow
def test_rebuild_told_of_a_new_file_looks_at_everything(basic_site, tmp_path):
    preview = started(basic_site, tmp_path)
    new = "content/articles/harbour-fire/claims/crews-again.yaml"
    (basic_site / new).write_text((basic_site / CLAIM).read_text())
    report = preview.rebuild({new})  # not part of the site yet: only a look at everything finds its place
    assert {"claims/crews-again/index.html", "sitemap.xml"} <= set(report.written)  # the sitemap lists pages
    assert snapshot(tmp_path / "out") == fresh(basic_site, tmp_path)


def test_saved_files_are_collected_until_something_else_happens(tmp_path):
    from watchfiles import Change

    from site_builder.preview.server import Saved
    saved = Saved(tmp_path)
    saved.add({(Change.modified, str(tmp_path / "content/a.yaml"))})
    saved.add({(Change.modified, str(tmp_path / "templates/claim.html"))})
    assert saved.take() == {"content/a.yaml", "templates/claim.html"}
    assert saved.take() == set()
    saved.add({(Change.modified, str(tmp_path / "content/a.yaml")), (Change.added, str(tmp_path / "content/b.yaml"))})
    assert saved.take() is None
    assert saved.take() == set()


LIST_EDITS = {  # what lists of claims, articles and sources show, edited as a save the watcher reports
    "claim text": (CLAIM, "claim: Twelve fire crews", "claim: Twelve crews"),
    "article title": ("content/articles/harbour-fire/article.yaml", "title: Fire breaks out", "title: Fire at"),
    "source title": ("content/sources/src-data.yaml", "title: Source of kind data", "title: A data source"),
    "verdict label": ("content/site.yaml", "label: Accurate", "label: Correct"),
    "article text": ("content/articles/harbour-fire/text.md", "the alarm sounded", "the alarm first sounded"),
    "verdict": (CLAIM, "verdict: accurate", "verdict: inaccurate"),
    "new tag": (CLAIM, "tags: [numbers, fire-service]", "tags: [numbers, harbour]"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", LIST_EDITS)
def test_remembered_lists_follow_what_they_show(basic_site, tmp_path, name):
    path, old, new = LIST_EDITS[name]
    preview = started(basic_site, tmp_path)
    edit(basic_site, path, old, new)
    report = preview.rebuild({path})
    assert not report.failed
    assert snapshot(tmp_path / "out") == fresh(basic_site, tmp_path)


@pytest.mark.slow
def test_a_large_first_build_is_shared_between_processes(basic_site, tmp_path, monkeypatch):
    from site_builder.parallel import forked
    serial = Preview(basic_site, tmp_path / "serial")
    alone = serial.rebuild()
    shared_out = []
    monkeypatch.setattr(serve_module, "SHARED_FROM", 1)
    monkeypatch.setattr(serve_module, "_may_fork", lambda: True)
    monkeypatch.setattr(serve_module, "cpus", lambda: 3)
    monkeypatch.setattr(serve_module, "shared_out", lambda *args: shared_out.append(args) or forked.shared_out(*args))
    preview = Preview(basic_site, tmp_path / "shared")
    together = preview.rebuild()
    assert shared_out and together.rendered == alone.rendered and together.problems == alone.problems
    assert snapshot(tmp_path / "shared") == snapshot(tmp_path / "serial") and preview.hashes == serial.hashes
    long_lists = [job for job in plan(preview.graph) if job.kind in serve_module.LONG_LISTS]
    assert shared_out[0][4] == len(long_lists) > 4  # home, claims, sources, verdicts, tags: made in this process
    edit(basic_site, CLAIM, "The fire service log lists", "The fire service's log lists")
    assert preview.rebuild({CLAIM}).written == serial.rebuild({CLAIM}).written  # the hashes came back


def get(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/%00", "/claims/%00/", "/a%00b.html", "/claims.json%00"])
def test_a_null_byte_in_the_address_is_not_found(running, path):
    port, server = running
    status, body = get(port, path)
    assert status == 404 and b"Page not found" in body
    assert "Traceback" not in server.output() and "ValueError" not in server.output()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "192.168.1.20"])
def test_a_host_other_than_the_one_listened_on_is_refused(running, host):
    port, _ = running
    status, body = get(port, "/claims/no-one-hurt/", host)  # a draft
    assert status == 421 and b"no-one-hurt" not in body


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", "LocalHost"])
def test_the_hosts_of_the_address_listened_on_are_answered(running, host):
    port, _ = running
    status, body = get(port, "/claims/no-one-hurt/", f"{host}:{port}")
    assert status == 200 and b"Draft" in body


def test_a_preview_on_every_interface_answers_addresses_but_not_names():
    from site_builder.safety import host_allowed
    assert host_allowed("192.168.1.20", "0.0.0.0") and host_allowed("[fe80::1]", "::")
    assert not host_allowed("evil.example", "0.0.0.0")
    assert host_allowed("preview.lan", "preview.lan") and not host_allowed("192.168.1.20", "preview.lan")


@pytest.mark.slow
def test_the_watch_follows_a_content_folder_deleted_and_put_back(basic_site, tmp_path):
    import shutil
    import threading
    import time

    from site_builder.preview.server import watch_site
    seen: list[str] = []
    stop = threading.Event()
    watcher = threading.Thread(target=watch_site, args=(basic_site, stop, lambda changes: seen.extend(
        path for _, path in changes)), daemon=True)
    watcher.start()

    def saved_until_seen(relative: str) -> None:
        deadline = time.monotonic() + 15
        while str(basic_site / relative) not in seen:
            assert time.monotonic() < deadline, f"the watch never saw {relative}: {seen}"
            (basic_site / relative).write_text(f"{time.monotonic()}\n")  # again, until the watch is on
            time.sleep(0.2)

    try:
        saved_until_seen("content/pages/one.md")
        kept = tmp_path / "kept"
        shutil.copytree(basic_site / "content", kept)
        shutil.rmtree(basic_site / "content")
        time.sleep(1.0)  # the watch sees it go
        shutil.copytree(kept, basic_site / "content")  # a new folder by the same name
        saved_until_seen("content/pages/two.md")
        assert str(basic_site / "content") in seen  # put back: reported, so everything is looked at again
    finally:
        stop.set()
        watcher.join(10)
    assert not watcher.is_alive()


@pytest.mark.slow
@pytest.mark.parametrize("stopped_by", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_stopped_preview_leaves_no_copy_of_the_site(basic_site, tmp_path, stopped_by):
    import os
    import signal
    import sys

    from servers import Process, free_port
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    port = free_port()
    server = Process([sys.executable, "-m", "site_builder", "serve", "--root", str(basic_site), "--port", str(port)],
                     tmp_path / "serve.log", env={**os.environ, "TMPDIR": str(temporary)})
    try:
        server.wait_for_port(port)
        assert [p.name.startswith("site-builder-preview-") for p in temporary.iterdir()] == [True]
        server.process.send_signal(getattr(signal, stopped_by))
        server.process.wait(timeout=10)
    finally:
        server.stop()
    assert list(temporary.iterdir()) == [], server.output()
    assert "Traceback" not in server.output()


def test_the_preview_serves_static_files_and_refuses_one_over_a_page(basic_site, tmp_path):
    (basic_site / "static").mkdir()
    (basic_site / "static/CNAME").write_text("checks.example\n")
    preview = started(basic_site, tmp_path)
    assert (tmp_path / "out/CNAME").read_text() == "checks.example\n"
    before = (tmp_path / "out/index.html").read_bytes()
    (basic_site / "static/index.html").write_text("mine")
    assert preview.rebuild().failed
    assert [(p.origin.path, p.code) for p in preview.problems] == [("static/index.html", "static-collision")]
    assert (tmp_path / "out/index.html").read_bytes() == before


@pytest.mark.slow
def test_a_list_item_shows_the_edit_of_any_field_its_partial_shows(basic_site, tmp_path):
    """The remembered list items follow the claim itself, not a hand-picked set of its fields."""
    edit(basic_site, "templates/partials/claim_item.html", "{{ item.claim }}</a>",
         "{{ item.claim }}</a> {{ item.summary }}")
    preview = started(basic_site, tmp_path)
    assert "The fire service log lists twelve crews" in (tmp_path / "out/claims/index.html").read_text()
    edit(basic_site, CLAIM, "summary: The fire service log lists", "summary: The harbour log lists")
    assert not preview.rebuild({CLAIM}).failed
    listed = (tmp_path / "out/claims/index.html").read_text()
    assert "The harbour log lists twelve crews" in listed and "The fire service log lists" not in listed
    assert snapshot(tmp_path / "out") == fresh(basic_site, tmp_path)

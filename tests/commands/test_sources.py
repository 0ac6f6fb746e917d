"""`sources archive` and `sources check` against a real HTTP server on 127.0.0.1.

The server serves pages written for these tests: a page holding the quotes, one
whose words change between runs, a redirect, a 404, a slow page, a page over the
size limit, a PDF, and a robots.txt that forbids one path. Everything asserted is
read back from disk: archive/index.json, and the WARC files through warcio.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sourcekit import PDF, QUOTE_PAGE, FixtureServer, self_signed, source
from warcio.archiveiterator import ArchiveIterator

from site_builder.commands.cli import main

BEFORE = (b"<html><body><article><h1>Count</h1><p>The count was twelve people on the quay, said the harbour "
          b"master.</p></article></body></html>")
AFTER = (b"<html><body><article><h1>Count</h1><p>The count was revised to fourteen people, said the harbour "
         b"master.</p></article></body></html>")
MOVED_PAGE = (b"<html><body><article><p>The report moved here and still says the ferry left at nine.</p>"
              b"</article></body></html>")


@pytest.fixture
def server():
    running = FixtureServer()
    running.page("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
    running.page("/sky.html", QUOTE_PAGE)
    running.page("/count.html", BEFORE)
    running.page("/old-report", b"", status=301, Location="/new-report.html")
    running.page("/new-report.html", MOVED_PAGE)
    running.page("/big.html", b"<html><body><p>" + b"words " * 2000 + b"</p></body></html>")
    running.page("/minutes.pdf", PDF, "application/pdf")
    running.page("/private/memo.html", b"<html><body><p>secret</p></body></html>")
    running.page("/slow.html", QUOTE_PAGE)
    yield running
    running.stop()


CLAIM = "content/articles/story/claims/ten-people.yaml"


def claim_citing(*refs: tuple[str, str]) -> str:
    lines = ["quote: Ten people saw it.", "claim: Ten people saw the sky.", "verdict: accurate",
             "summary: The almanac counts ten.", "sources:"]
    for source_id, quote in refs:
        lines += [f"  - source: {source_id}", f"    quote: \"{quote}\""]
    return "\n".join(lines) + "\n"


@pytest.fixture
def archived_site(make_site, server):
    """A site whose sources are the server's pages, one per case."""
    pages = {"sky": "/sky.html", "count": "/count.html", "report": "/old-report", "missing": "/missing.html",
             "big": "/big.html", "minutes": "/minutes.pdf", "memo": "/private/memo.html", "slow": "/slow.html"}
    changes: dict[str, str | None] = {f"content/sources/{sid}.yaml": source(server.url + path)
                                      for sid, path in pages.items()}
    changes["content/sources/almanac.yaml"] = None
    changes[CLAIM] = claim_citing(
        ("sky", "ten witnesses said so"), ("sky", "the almanac's reporters"), ("sky", "eleven witnesses"),
        ("count", "twelve people on the quay"), ("report", "the ferry left at nine"), ("missing", "anything"),
        ("big", "words"), ("minutes", "voted nine to two"), ("memo", "secret"), ("slow", "ten witnesses"))
    return make_site(changes)


FAST = ["--allow-private", "--delay", "0", "--timeout", "0.5", "--max-bytes", "5000"]


def archive(root: Path, *extra: str) -> int:
    return main(["sources", "archive", "--root", str(root), *FAST, *extra])


def index_of(root: Path) -> dict:
    return json.loads((root / "archive" / "index.json").read_text())["sources"]


def warc_records(path: Path) -> list[tuple[str, str, bytes]]:
    with open(path, "rb") as stream:
        return [(record.rec_type, record.rec_headers.get_header("WARC-Target-URI"), record.content_stream().read())
                for record in ArchiveIterator(stream)]


@pytest.mark.slow
def test_archive_keeps_each_page_and_says_why_not_for_the_others(archived_site: Path, server, capsys):
    code = archive(archived_site)
    out = capsys.readouterr().out
    assert code == 1, out
    index = index_of(archived_site)
    assert sorted(index) == ["count", "minutes", "report", "sky"]  # the four that answered with a page
    lines = {line.split(": ")[1]: line for line in out.splitlines() if ": " in line and not line[0].isdigit()}
    assert lines["missing"].startswith("gone: missing: ") and "answered 404" in lines["missing"]
    assert lines["big"].startswith("too-large: big: ") and "over the limit of 5,000" in lines["big"]
    assert lines["memo"].startswith("robots: memo: ") and "robots.txt" in lines["memo"]
    assert lines["slow"].startswith("unreachable: slow: ") and "timed out after 0.5 s" in lines["slow"]
    assert out.splitlines()[-1] == "4 source(s) could not be archived; nothing was written for them " \
                                   "(see the lines above)"
    assert server.fetched("/private/memo.html") == 0  # robots.txt was asked first, and obeyed
    assert all(agent.startswith("site-builder/") and "+https://mini.example/" in agent for agent in server.agents)

    sky = index["sky"]
    assert sky["status"] == 200 and sky["content_type"] == "text/html"
    assert sky["final_url"] == server.url + "/sky.html"
    assert sky["sha256"] == hashlib.sha256(QUOTE_PAGE).hexdigest()
    records = warc_records(archived_site / "archive" / sky["warc"])
    assert [(kind, uri) for kind, uri, _ in records] == [("response", server.url + "/sky.html"),
                                                         ("conversion", server.url + "/sky.html")]
    assert records[0][2] == QUOTE_PAGE  # the exact bytes served
    text = records[1][2].decode()
    quotes = {quote["quote"]: quote for quote in sky["quotes"]}
    exact = quotes["ten witnesses said so"]
    assert (exact["found"], exact["match"], exact["claim"]) == (True, "exact", "ten-people")
    assert text[exact["start"]:exact["end"]] == "ten witnesses said so"
    folded = quotes["the almanac's reporters"]
    assert (folded["found"], folded["match"]) == (True, "folded")
    assert text[folded["start"]:folded["end"]] == "the almanac\u2019s reporters"
    assert quotes["eleven witnesses"] == {"claim": "ten-people", "quote": "eleven witnesses", "found": False,
                                          "match": "not-found", "start": None, "end": None}
    assert sky["warc"].startswith("sky-") and sky["warc"].endswith(".warc.gz")
    assert sky["fetched"][:10] in sky["warc"]

    report = index["report"]  # followed the redirect; the final page is kept
    assert report["final_url"] == server.url + "/new-report.html"
    assert report["quotes"][0]["found"] is True
    assert warc_records(archived_site / "archive" / report["warc"])[0][2] == MOVED_PAGE

    minutes = index["minutes"]  # the PDF's text is read back
    assert minutes["content_type"] == "application/pdf"
    assert warc_records(archived_site / "archive" / minutes["warc"])[0][2] == PDF
    assert minutes["quotes"][0]["match"] == "exact"

    names = sorted(path.name for path in (archived_site / "archive").iterdir())
    assert names == sorted([entry["warc"] for entry in index.values()] + ["index.json"])  # nothing else left


@pytest.mark.slow
def test_a_rerun_fetches_nothing_new_and_refresh_fetches_again(archived_site: Path, server, capsys):
    archive(archived_site)
    before = index_of(archived_site)
    warcs = {path.name: path.read_bytes() for path in (archived_site / "archive").glob("*.warc.gz")}
    server.requests.clear()
    archive(archived_site, "--only", "sky", "count", "report", "minutes")
    assert server.requests == []
    assert index_of(archived_site) == before
    assert {path.name: path.read_bytes() for path in (archived_site / "archive").glob("*.warc.gz")} == warcs
    assert "kept: sky (archived " in capsys.readouterr().out
    assert archive(archived_site, "--only", "sky", "--refresh") == 0
    assert server.requests == ["/robots.txt", "/sky.html"]


def test_a_rerun_checks_edited_quotes_against_the_copy_without_fetching(archived_site: Path, server):
    archive(archived_site, "--only", "sky")
    (archived_site / CLAIM).write_text(claim_citing(("sky", "Nobody disputed it.")))
    server.requests.clear()
    assert archive(archived_site, "--only", "sky") == 0
    assert server.requests == []
    assert [(q["quote"], q["match"]) for q in index_of(archived_site)["sky"]["quotes"]] == \
        [("Nobody disputed it.", "exact")]


def test_a_site_may_ignore_robots_txt(make_site, server, capsys):
    from sitekit import MINIMAL, as_written
    root = make_site({"content/sources/almanac.yaml": source(server.url + "/private/memo.html"),
                      CLAIM: claim_citing(("almanac", "secret")),
                      "content/site.yaml": as_written(MINIMAL["content/site.yaml"])
                      + "sources: {honour_robots: false}\n"})
    assert archive(root) == 0
    assert server.requests == ["/private/memo.html"]  # robots.txt not even asked
    assert index_of(root)["almanac"]["quotes"][0]["found"] is True


def test_loopback_is_refused_without_allow_private(archived_site: Path, server, capsys):
    code = main(["sources", "archive", "--root", str(archived_site), "--delay", "0", "--only", "sky"])
    out = capsys.readouterr().out
    assert code == 1
    assert f"refused: sky: {server.url}/sky.html: 127.0.0.1 is a loopback, private, link-local or multicast " \
           "address (127.0.0.1); use --allow-private to fetch it anyway" in out
    assert server.requests == []
    assert not (archived_site / "archive").exists()


@pytest.mark.parametrize("url, message", [
    ("http://user:pw@example.org/a", "an address with a user name or password is never fetched"),
    ("http://no-such-host.invalid/a", "cannot resolve no-such-host.invalid"),
])
def test_addresses_never_fetched(make_site, capsys, url: str, message: str):
    # `user:pw@` would be refused by validation too; the fetcher refuses it on its own.
    from site_builder.commands.fetch import Fetcher, FetchFailed, FetchPolicy
    with Fetcher(FetchPolicy("site-builder/test")) as fetcher, pytest.raises(FetchFailed) as failure:
        fetcher.get(url)
    assert message in failure.value.message


def test_every_redirect_hop_is_checked(make_site, server):
    """A page cannot send the fetcher to a file or to an address with credentials by redirecting there."""
    from site_builder.commands.fetch import Fetcher, FetchFailed, FetchPolicy
    server.page("/to-file", b"", status=302, Location="file:///etc/passwd")
    server.page("/to-user", b"", status=302, Location="http://user:secret@127.0.0.1/")
    with Fetcher(FetchPolicy("site-builder/test", allow_private=True, delay=0)) as fetcher:
        for path, message in (("/to-file", "file:///etc/passwd: only http and https addresses are fetched"),
                              ("/to-user", "an address with a user name or password is never fetched")):
            with pytest.raises(FetchFailed) as failure:
                fetcher.get(server.url + path)
            assert message in failure.value.message


def test_too_many_redirects(make_site, server):
    from site_builder.commands.fetch import Fetcher, FetchFailed, FetchPolicy
    for number in range(7):
        server.page(f"/r{number}", b"", status=302, Location=f"/r{number + 1}")
    policy = FetchPolicy("site-builder/test", allow_private=True, delay=0)
    with Fetcher(policy) as fetcher, pytest.raises(FetchFailed) as failure:
        fetcher.get(server.url + "/r0")
    assert failure.value.message == f"{server.url}/r0: more than 5 redirects"
    assert server.fetched("/r5") == 1 and server.fetched("/r6") == 0


@pytest.mark.slow
def test_an_interrupted_run_keeps_what_it_finished(archived_site: Path, server):
    """Ctrl-C while the second source is being fetched: the first stays archived, the index stays whole."""
    changes = {"content/sources/a-first.yaml": source(server.url + "/sky.html"),
               "content/sources/b-held.yaml": source(server.url + "/hold.html")}
    for relative, text in changes.items():
        (archived_site / relative).write_text(text)
    server.page("/hold.html", QUOTE_PAGE)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    process = subprocess.Popen([sys.executable, "-m", "site_builder", "sources", "archive", "--root",
                                str(archived_site), *FAST, "--timeout", "20", "--only", "a-first", "b-held"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 20
    while server.fetched("/hold.html") == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 130, (out, err)
    assert b"interrupted; every source archived before now is kept in archive/." in err
    index = index_of(archived_site)
    assert sorted(index) == ["a-first"]
    assert warc_records(archived_site / "archive" / index["a-first"]["warc"])[0][2] == QUOTE_PAGE
    assert sorted(p.name for p in (archived_site / "archive").iterdir()) == [index["a-first"]["warc"],
                                                                           "index.json"]


def check(root: Path, *extra: str) -> int:
    return main(["sources", "check", "--root", str(root), *FAST, *extra])


@pytest.mark.slow
def test_check_reports_every_state(archived_site: Path, server, capsys):
    archive(archived_site)
    server.page("/count.html", AFTER)  # the quoted words are gone: drift
    server.page("/sky.html", QUOTE_PAGE)
    server.page("/old-report", b"", status=301, Location="/elsewhere.html")
    server.page("/elsewhere.html", MOVED_PAGE)
    server.page("/minutes.pdf", b"", status=410)
    capsys.readouterr()
    code = check(archived_site, "--format", "json")
    states = {state["id"]: state for state in json.loads(capsys.readouterr().out)["sources"]}
    assert code == 1
    assert {sid: state["state"] for sid, state in states.items()} == {
        "big": "not-archived", "count": "changed", "memo": "not-archived", "minutes": "gone",
        "missing": "not-archived", "report": "moved", "sky": "ok", "slow": "not-archived"}
    assert states["count"]["changed_quotes"] == [{"claim": "ten-people", "quote": "twelve people on the quay"}]
    assert states["sky"]["quote_not_in_archive"] == [{"claim": "ten-people", "quote": "eleven witnesses"}]
    assert states["report"]["final_url"] == server.url + "/elsewhere.html"
    assert states["minutes"]["status"] == 410


@pytest.mark.slow
def test_check_exit_codes_and_table(archived_site: Path, server, capsys):
    assert archive(archived_site, "--only", "sky", "report") == 0
    (archived_site / CLAIM).write_text(claim_citing(("sky", "ten witnesses said so"),
                                                    ("report", "the ferry left at nine")))
    for name in ("count", "missing", "big", "minutes", "memo", "slow"):
        (archived_site / "content" / "sources" / f"{name}.yaml").unlink()
    capsys.readouterr()
    assert check(archived_site) == 0
    assert capsys.readouterr().out.splitlines() == [
        "ok            report the pinpoint quotes are still found",
        "ok            sky the pinpoint quotes are still found",
        "2 sources: 2 ok"]
    server.page("/old-report", b"", status=301, Location="/elsewhere.html")  # moved: a warning
    server.page("/elsewhere.html", MOVED_PAGE)
    assert check(archived_site) == 0
    assert "moved         report now redirected to " + server.url + "/elsewhere.html" in capsys.readouterr().out
    server.stop()  # nothing answers: unreachable is a warning, not a failure
    assert check(archived_site) == 0
    out = capsys.readouterr().out
    assert out.startswith("unreachable   report ") and out.splitlines()[-1] == "2 sources: 2 unreachable"
    (archived_site / CLAIM).write_text(claim_citing(("sky", "eleven witnesses")))
    assert check(archived_site, "--offline") == 1  # a wrong quote fails even offline
    assert capsys.readouterr().out.splitlines() == [
        "archived      report",
        "archived      sky",
        "  quote-not-in-archive: claim ten-people: \"eleven witnesses\" is not in our copy",
        "2 sources: 2 archived; 1 quote(s) not in our copy"]


def test_karlov_like_site_offline_ends_with_one_line_per_source(make_site, capsys):
    """Without a network (here: addresses that cannot resolve), every source says why and nothing is written."""
    root = make_site({"content/sources/almanac.yaml": source("http://almanac.invalid/sky"),
                      "content/sources/second.yaml": source("https://second.invalid/page")})
    assert main(["sources", "archive", "--root", str(root)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[:2] for line in lines[:2]] == [["unreachable", "almanac"], ["unreachable", "second"]]
    assert lines[2] == "2 source(s) could not be archived; nothing was written for them (see the lines above)"
    assert not (root / "archive").exists()


@pytest.mark.slow
def test_check_says_when_an_http_source_answers_over_https(make_site, tmp_path, capsys):
    tls, cert_file = self_signed(tmp_path)
    both = FixtureServer(tls)
    try:
        both.page("/robots.txt", b"", "text/plain")
        both.page("/sky.html", QUOTE_PAGE)
        root = make_site({"content/sources/almanac.yaml": source(both.url + "/sky.html"),
                          CLAIM: claim_citing(("almanac", "ten witnesses said so"))})
        assert archive(root) == 0
        https = both.url.replace("http://", "https://") + "/sky.html"
        assert check(root) == 0  # without trusting the certificate: no https, so no hint
        assert "hint:" not in capsys.readouterr().out
        assert check(root, "--ca-file", str(cert_file)) == 0
        assert capsys.readouterr().out.splitlines() == [
            "ok            almanac the pinpoint quotes are still found",
            f"  hint: the page also answers over https: {https}",
            "1 sources: 1 ok; 1 http:// source(s) also answer over https"]
        assert check(root, "--ca-file", str(cert_file), "--format", "json") == 0
        assert json.loads(capsys.readouterr().out)["sources"][0]["https"] == https
    finally:
        both.stop()


def test_the_address_connected_to_is_checked_again(server, monkeypatch):
    """DNS rebinding: a name that resolved to a public address when checked, then to the loopback one."""
    import socket

    from site_builder.commands.fetch import Fetcher, FetchFailed, FetchPolicy
    real = socket.getaddrinfo
    answers = iter([[(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80))]])

    def rebinding(host, *args, **kwargs):
        if host == "rebind.example":
            return next(answers, None) or real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = server.url.rsplit(":", 1)[1]
    with Fetcher(FetchPolicy("site-builder/test", delay=0, robots=False)) as fetcher, \
            pytest.raises(FetchFailed) as failure:
        fetcher.get(f"http://rebind.example:{port}/sky.html")
    assert failure.value.kind == "refused"
    assert "rebind.example is a loopback, private, link-local or multicast address (127.0.0.1)" in \
        failure.value.message
    assert server.fetched("/sky.html") == 1  # asked, but nothing of the answer was read

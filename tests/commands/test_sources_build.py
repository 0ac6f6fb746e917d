"""The build and the archive: each state on source and claim pages, check's warnings, require_archive, and
nothing from archive/ published."""

from __future__ import annotations

import json
import re

import pytest
from problemkit import assert_problem
from sourcekit import CLAIM, QUOTE_PAGE, WAYBACK, FixtureServer, source, states_site

from site_builder.commands.cli import main


@pytest.fixture
def server():
    running = FixtureServer()
    yield running
    running.stop()


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_source_and_claim_pages_show_each_state(make_site, server, capsys):
    root = states_site(make_site, server)
    fetched = next((root / "archive").glob("verified-*.warc.gz")).name[len("verified-"):-len(".warc.gz")]
    year, month, day = (int(part) for part in fetched.split("-"))
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]
    on = f"{day} {months[month - 1]} {year}"
    assert main(["build", "--root", str(root), "--no-search"]) == 0
    public = root / "public"
    claim = text_of((public / "claims" / "ten-people" / "index.html").read_text())
    assert f"ten witnesses said so Read this passage at the source · archived copy Quote verified in our copy of " \
           f"{on}." in claim
    assert f"eleven witnesses Read this passage at the source Quote not verified: it could not be found in our " \
           f"copy of {on}." in claim
    assert "ten witnesses Read this passage at the source Not archived: we keep no copy of this source" in claim
    claim_html = (public / "claims" / "ten-people" / "index.html").read_text()
    assert f'<a href="{WAYBACK}">archived copy</a>' in claim_html
    assert f'<time datetime="{fetched}">{on}</time>' in claim_html
    verified_html = (public / "sources" / "verified" / "index.html").read_text()
    assert f'<dt>Our copy</dt><dd>fetched <time datetime="{fetched}">{on}</time>, kept by the desk (not ' \
           'published)</dd>' in verified_html
    verified = text_of(verified_html)
    assert f"ten witnesses said so Quote verified in our copy of {on}." in verified
    assert f'<dt>Archived copy</dt><dd><a href="{WAYBACK}">' in verified_html
    unverified = text_of((public / "sources" / "unverified" / "index.html").read_text())
    assert f"eleven witnesses Quote not verified: it could not be found in our copy of {on}." in unverified
    never = text_of((public / "sources" / "never" / "index.html").read_text())
    assert "Our copy" not in never and "Not archived: we keep no copy of this source" in never


def test_nothing_from_the_archive_is_published(make_site, server):
    root = states_site(make_site, server)
    assert main(["build", "--root", str(root), "--no-search"]) == 0
    archived = {path.name: path.read_bytes() for path in (root / "archive").iterdir()}
    assert len(archived) == 3  # two WARC files and the index
    published = [path for path in (root / "public").rglob("*") if path.is_file()]
    assert not any(path.name in archived or "archive" in path.relative_to(root / "public").parts
                   for path in published)
    bodies = [path.read_bytes() for path in published]
    assert not any(data in body for data in archived.values() for body in bodies)
    assert not any(QUOTE_PAGE in body for body in bodies)


@pytest.mark.slow
def test_check_says_it_in_one_line_and_lists_with_verbose(make_site, server, capsys):
    root = states_site(make_site, server)
    capsys.readouterr()
    assert main(["check", "--root", str(root)]) == 0
    captured = capsys.readouterr()
    assert "source-not-archived" not in captured.err and "source-quote-unverified" not in captured.err
    assert captured.out.splitlines()[-1] == (
        "  archive: 1 of 3 cited source(s) not archived, so 1 pinpoint quote(s) in them cannot be verified yet; "
        "1 not found in our copy (--verbose lists them; site-builder sources archive); 3 use http:// (site-builder "
        "sources check says which answer over https)")
    assert main(["check", "--root", str(root), "--verbose"]) == 0
    err = capsys.readouterr().err
    assert "content/sources/never.yaml:1:1: warning[source-not-archived]: source 'never' has no archived copy " \
           "(http://never.example/page)" in err
    assert "this http:// address may answer over https too" in err
    fetched = json.loads((root / "archive/index.json").read_text())["sources"]["unverified"]["fetched"][:10]
    assert_problem(err, root, f"{CLAIM}:8:5: warning[source-quote-unverified]: the pinpoint quote is not found in our "
                   f"copy of 'unverified' ({fetched})", "copy the passage exactly from the source, then run "
                   "`site-builder sources archive` again (it re-checks quotes without fetching)")


def test_require_archive_makes_them_errors(make_site, server, capsys):
    root = states_site(make_site, server, rules="sources: {require_archive: true}\n")
    capsys.readouterr()
    assert main(["build", "--root", str(root), "--no-search"]) == 1
    err = capsys.readouterr().err
    assert "content/sources/never.yaml:1:1: error[source-not-archived]: " in err
    assert f"{CLAIM}:8:5: error[source-quote-unverified]: " in err
    assert not (root / "public").exists()


def test_a_source_whose_address_changed_is_not_archived_any_more(make_site, server, capsys):
    root = states_site(make_site, server)
    (root / "content" / "sources" / "verified.yaml").write_text(source(server.url + "/elsewhere.html"))
    assert main(["build", "--root", str(root), "--no-search"]) == 0
    claim = text_of((root / "public" / "claims" / "ten-people" / "index.html").read_text())
    assert "ten witnesses said so Read this passage at the source Not archived" in claim


def test_a_broken_index_is_one_clear_error(make_site, server, capsys):
    root = states_site(make_site, server)
    (root / "archive" / "index.json").write_text("{not json")
    capsys.readouterr()
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "archive/index.json: error[archive-index]: cannot read the archive index: " in err
    assert "Traceback" not in err

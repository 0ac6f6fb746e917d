"""Authoring tools: editor schemas, `new`, `coverage` and `check --format json`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
from sitekit import REPO, SITES
from test_errors_table import CASES

from site_builder.commands.cli import main
from site_builder.content.load import parse_file
from site_builder.content.schema import schemas, tree_to_json

STORY = "content/articles/story"


def kind_of(relative: str) -> str | None:
    if relative.endswith("site.yaml"):
        return "site"
    if relative.endswith("article.yaml"):
        return "article"
    if "/claims/" in relative and relative.endswith(".yaml"):
        return "claim"
    if relative.startswith("content/sources/") and relative.endswith(".yaml"):
        return "source"
    if relative.startswith("content/pages/") and relative.endswith(".md"):
        return "page"
    return None


def validator(kind: str, verdicts: list[str]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(schemas(verdicts)[f"{kind}.schema.json"]),
                                           format_checker=jsonschema.FormatChecker())


def schema_errors(root: Path, relative: str, verdicts: list[str]) -> list[str]:
    raw = parse_file(relative, (root / relative).read_bytes())
    kind = kind_of(relative)
    assert kind is not None
    return [error.message for error in validator(kind, verdicts).iter_errors(tree_to_json(raw.data))]


def test_committed_schemas_match_the_model():
    generated = schemas(["accurate", "mostly-accurate", "needs-context", "unproven", "inaccurate", "opinion",
                         "not-checkable"])
    for name, text in generated.items():
        assert (REPO / "schemas" / name).read_text() == text, f"run `site-builder schema` ({name} is stale)"


@pytest.mark.parametrize("root", [REPO, SITES / "basic", SITES / "hostile"], ids=["repo", "basic", "hostile"])
def test_every_content_file_matches_its_schema(root: Path):
    raw = parse_file("content/site.yaml", (root / "content/site.yaml").read_bytes())
    verdicts = [v["id"] for v in tree_to_json(raw.data)["verdicts"]]
    checked = 0
    for path in sorted((root / "content").rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and kind_of(relative):
            assert schema_errors(root, relative, verdicts) == [], relative
            checked += 1
    assert checked >= 5


SCHEMA_CODES = {"unknown-field", "missing-field", "wrong-type", "unknown-verdict", "bad-date", "bad-choice",
                "bad-number", "bad-id", "unsafe-url", "empty-file", "yaml-tag"}


@pytest.mark.parametrize("case", [c for c in CASES if c[2].split("error[")[1].split("]")[0] in SCHEMA_CODES
                                  and c[0] not in ("bad-claim-file-name", "python-tag")], ids=lambda c: c[0])
def test_schemas_reject_the_broken_inputs_they_can_express(make_site, case):
    _, files, _, _ = case
    root = make_site()
    changed = []
    for relative, text in files.items():
        if text is not None and kind_of(relative):
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_text(text)
            changed.append(relative)
    assert changed
    assert any(schema_errors(root, relative, ["accurate", "opinion"]) for relative in changed)


def test_schema_command_writes_the_schemas(make_site, capsys):
    root = make_site()
    assert main(["schema", "--root", str(root)]) == 0
    claim = json.loads((root / "schemas/claim.schema.json").read_text())
    assert claim["properties"]["verdict"]["enum"] == ["accurate", "opinion"]
    assert claim["properties"]["quote"]["description"].startswith("The exact passage")
    assert len(capsys.readouterr().out.splitlines()) == 7  # with claimant and person (issue 21)


# --- new ---------------------------------------------------------------------------------------------------

def test_new_claim_writes_a_commented_draft_that_builds_once_filled(make_site, capsys):
    root = make_site()
    assert main(["new", "--root", str(root), "claim", "story", "Ten people saw it."]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == root / STORY / "claims/ten-people-saw-it.yaml"
    assert main(["new", "--root", str(root), "claim", "story", "Ten people saw it."]) == 0
    assert capsys.readouterr().out.strip().endswith("ten-people-saw-it-2.yaml")  # never overwritten: a free id
    (root / STORY / "claims/ten-people-saw-it-2.yaml").unlink()
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../../../schemas/claim.schema.json\n")
    assert 'quote: "Ten people saw it."' in text and "status: draft" in text
    assert "# The verdict, one of: accurate, opinion." in text
    assert main(["check", "--root", str(root)]) == 1  # required fields are still empty
    assert f"{STORY}/claims/ten-people-saw-it.yaml:12:1: error[empty-value]: 'claim' is empty in a claim" in \
        capsys.readouterr().err
    filled = (text.replace("claim:\n", "claim: Ten saw it.\n").replace("verdict:\n", "verdict: opinion\n")
              .replace("summary:\n", "summary: Said.\n").replace("sources:\n  - source:\n    quote:\n", ""))
    path.write_text(filled.replace("status: draft", "status: published"))
    assert main(["build", "--no-search", "--root", str(root)]) == 0
    assert (root / "public/claims/ten-people-saw-it/index.html").is_file()


def test_new_claim_passage_not_found_shows_the_closest(make_site, capsys):
    root = make_site()
    before = sorted((root / STORY / "claims").iterdir())
    assert main(["new", "--root", str(root), "claim", "story", "Ten persons saw it"]) == 1
    err = capsys.readouterr().err
    assert "(command line): error[quote-not-found]: the quote is not in the article" in err
    assert 'reads: "Ten people saw it."' in err and "Nothing was written." in err
    assert sorted((root / STORY / "claims").iterdir()) == before


def test_new_claim_ambiguous_passage_lists_the_places(make_site, capsys):
    root = make_site()
    assert main(["new", "--root", str(root), "claim", "story", "The sky was blue on Monday."]) == 1
    assert "the quote appears 2 times in content/articles/story/text.md (lines 3, 5)" in capsys.readouterr().err


def test_new_claim_unknown_article(make_site, capsys):
    root = make_site()
    assert main(["new", "--root", str(root), "claim", "nowhere", "x"]) == 2
    assert capsys.readouterr().err.strip() == "site-builder: error: no article 'nowhere' (articles: story)"


def test_new_source_and_no_overwrite(make_site, capsys):
    root = make_site()
    assert main(["new", "--root", str(root), "source", "https://www.reuters.com/article/us-turkey-russia"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.name == "reuters-us-turkey-russia.yaml"  # the site and the page's own slug
    assert 'url: "https://www.reuters.com/article/us-turkey-russia"' in path.read_text()
    assert main(["new", "--root", str(root), "source", "https://www.reuters.com/article/us-turkey-russia"]) == 0
    assert Path(capsys.readouterr().out.strip()).name == "reuters-us-turkey-russia-2.yaml"
    assert main(["new", "--root", str(root), "source", "javascript:alert(1)"]) == 2
    assert "not an http(s) URL" in capsys.readouterr().err


def test_new_article_from_stdin_and_file(make_site, capsys, monkeypatch, tmp_path):
    root = make_site()
    monkeypatch.setattr("sys.stdin", io.StringIO("# Headline\n\nFirst sentence.\n"))
    assert main(["new", "--root", str(root), "article", "second", "--root", str(root)]) == 0
    second = root / "content/articles/second"
    assert capsys.readouterr().out.split() == [str(second / "article.yaml"), str(second / "text.md")]
    assert (root / "content/articles/second/text.md").read_text() == "# Headline\n\nFirst sentence.\n"
    assert (root / "content/articles/second/claims").is_dir()
    source = tmp_path / "text.md"
    source.write_text("Another text.")
    before = (root / "content/articles/second/article.yaml").read_text()
    assert main(["new", "--root", str(root), "article", "second", "--text", str(source)]) == 2
    assert "already exists; nothing was written" in capsys.readouterr().err
    assert (root / "content/articles/second/article.yaml").read_text() == before
    assert main(["new", "--root", str(root), "article", "Bad Slug", "--text", str(source)]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("   \n"))
    assert main(["new", "--root", str(root), "article", "empty", "--root", str(root)]) == 2
    assert not (root / "content/articles/empty").exists()


# --- coverage and check --format json ----------------------------------------------------------------------

def test_coverage_lists_every_sentence_and_strict_fails_on_gaps(basic_site, capsys):
    assert main(["coverage", "--root", str(basic_site)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "content/articles/harbour-fire/text.md: 11 sentences"
    assert "  +    1:3   [Accurate] Fire breaks out at Eastport harbour warehouse" in out
    assert "  -   12:14  [describes a photo] Smoke over the harbour at dawn." in out
    assert "  !   14:1   [NEITHER checked nor listed] Mr. Patel said the alarm sounded at 11pm." in out
    assert "  +    6:1   [Inaccurate] A fire broke out at the Eastport harbour warehouse on Friday night." in out
    assert out[-2:] == ["  7 checked, 1 unchecked with a reason, 3 neither",  # the draft counts: coverage sees it
                        "  1 draft claim counted here: `site-builder build` leaves it out unless --drafts"]
    assert main(["coverage", "harbour-fire", "--strict", "--root", str(basic_site)]) == 1
    assert main(["coverage", "nope", "--root", str(basic_site)]) == 2


def test_coverage_says_when_the_whole_article_is_a_draft(make_site, capsys):
    root = make_site({f"{STORY}/article.yaml": "title: A story\npublisher: The Paper\nsummary: S.\nstatus: draft\n"})
    assert main(["coverage", "--root", str(root)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "  the article is a draft: `site-builder build` leaves it out unless --drafts")


def test_check_format_json(make_site, capsys):
    root = make_site({f"{STORY}/claims/ten-people.yaml": "quote: Ten people saw it.\nverdict: acurate\n"})
    assert main(["check", "--format", "json", "--root", str(root)]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert {"file": f"{STORY}/claims/ten-people.yaml", "line": 2, "column": 10, "severity": "error",
            "code": "unknown-verdict", "message": "unknown verdict 'acurate' in 'verdict'",
            "hint": "did you mean 'accurate'?"} in problems
    assert {p["code"] for p in problems} >= {"missing-field", "unknown-verdict"}
    good = make_site(name="good")
    assert main(["check", "--format", "json", "--root", str(good)]) == 0
    codes = [p["code"] for p in json.loads(capsys.readouterr().out)["problems"]]
    assert codes == ["unchecked-sentence"] * 3 + ["source-not-archived"]  # JSON lists every archive warning


def test_new_claim_records_the_version_it_is_checked_against(make_site, capsys):
    root = make_site()
    (root / STORY / "article.yaml").write_text("title: A story\npublisher: The Paper\nsummary: S.\n"
                                               "captured: 2024-05-02\n")
    assert main(["new", "--root", str(root), "claim", "story", "Ten people saw it."]) == 0
    assert "\nversion: 2024-05-02\n" in Path(capsys.readouterr().out.strip()).read_text()

"""Warnings that inform: every error, the first 5 warnings of a code, one line for the rest; --verbose and
--format json list them all, and a warning that is not printed is never formatted."""

from __future__ import annotations

import json

import pytest

from site_builder.commands import cli
from site_builder.commands.cli import main

CLAIM = "content/articles/story/claims/ten-people.yaml"
OTHER = {
    "content/articles/other/article.yaml": "title: Other\npublisher: The Paper\nsummary: Another story.\n",
    "content/articles/other/text.md": "".join(f"Other sentence {n} is here.\n\n" for n in range(10)),
}


def noisy_site(make_site):
    """3,010 unchecked sentences in two articles, nothing else to warn about."""
    story = "".join(f"Sentence number {n} is here.\n\n" for n in range(3000))
    return make_site({"content/articles/story/text.md": story, CLAIM: None, **OTHER})


def test_warnings_of_one_code_are_summarised_after_the_first_five(make_site, capsys):
    root = noisy_site(make_site)
    assert main(["check", "--root", str(root)]) == 0
    captured = capsys.readouterr()
    err = captured.err
    assert err.count("warning[unchecked-sentence]") == 5
    assert err.splitlines()[-1] == ("... and 3,005 more unchecked-sentence warnings in 2 articles: run "
                                    "`site-builder coverage` or add `--verbose`")
    assert "  warnings: 3010" in captured.out  # the count is of all of them
    assert len(err.splitlines()) == 5 * 4 + 1  # each shown warning: message, line, caret, hint


@pytest.mark.slow
def test_build_summarises_too_and_verbose_lists_every_warning(make_site, capsys):
    root = noisy_site(make_site)
    assert main(["build", "--root", str(root), "--no-search"]) == 0
    assert capsys.readouterr().err.count("warning[unchecked-sentence]") == 5
    assert main(["build", "--root", str(root), "--no-search", "--verbose"]) == 0
    err = capsys.readouterr().err
    assert err.count("warning[unchecked-sentence]") == 3010
    assert "more unchecked-sentence" not in err


def test_json_lists_every_warning(make_site, capsys):
    root = noisy_site(make_site)
    assert main(["check", "--root", str(root), "--format", "json"]) == 0
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [problem["code"] for problem in problems] == ["unchecked-sentence"] * 3010


def test_a_warning_that_is_not_printed_is_never_formatted(make_site, capsys, monkeypatch):
    root = noisy_site(make_site)
    formatted = []
    real = cli.format_problem
    monkeypatch.setattr(cli, "format_problem", lambda problem, *a: formatted.append(problem) or real(problem, *a))
    assert main(["check", "--root", str(root)]) == 0
    assert len(formatted) == 5


def test_every_error_is_printed_and_warnings_beside_them_are_summarised(make_site, capsys):
    story = "".join(f"Sentence number {n} is here.\n\n" for n in range(8))
    broken = {f"content/articles/story/claims/c{n}.yaml": f"quote: Sentence number {n} is here.\nclaim: C.\n"
              "verdict: nonsense\nsummary: S.\n" for n in range(7)}
    root = make_site({"content/articles/story/text.md": story, CLAIM: None, **broken})
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert err.count("error[") == 7
    assert "more" not in err  # errors are never summarised; the one unchecked sentence is shown


def test_one_more_warning_in_one_file_reads_as_one(make_site, capsys):
    story = "".join(f"Sentence number {n} is here.\n\n" for n in range(6))
    root = make_site({"content/articles/story/text.md": story, CLAIM: None})
    assert main(["check", "--root", str(root)]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == (
        "... and 1 more unchecked-sentence warning in 1 article: run `site-builder coverage` or add `--verbose`")

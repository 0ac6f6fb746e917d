"""How a problem is shown in a terminal: a bounded window of its line, escapes made visible, files read once."""

from __future__ import annotations

import builtins
from pathlib import Path

import pytest

from site_builder.commands.cli import main
from site_builder.errors import WINDOW, Origin, Problem, SourceLines, format_problem, terminal_safe

CLAIM = "content/articles/story/claims/ten-people.yaml"


def test_a_short_line_is_shown_whole_with_the_caret_under_the_column(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("title: T\nverdict: acurate\n")
    shown = format_problem(Problem(Origin("a.yaml", 2, 10), "unknown-verdict", "unknown", "did you mean?"), tmp_path)
    assert shown.splitlines() == ["a.yaml:2:10: error[unknown-verdict]: unknown", "    2 | verdict: acurate",
                                  "      |          ^", "  hint: did you mean?"]


@pytest.mark.slow
@pytest.mark.parametrize("col", [1, 50, 500_000, 999_950, 1_000_000])
def test_a_long_line_is_shown_as_a_window_around_the_column(tmp_path: Path, col: int) -> None:
    line = "".join(chr(ord("a") + n % 26) for n in range(1_000_000))
    (tmp_path / "text.md").write_text("# T\n\n" + line + "\n")
    shown = format_problem(Problem(Origin("text.md", 3, col), "unchecked-sentence", "m", "", "warning"), tmp_path)
    _, source, caret = shown.splitlines()
    assert len(source) <= len("    3 | ") + WINDOW + 2
    under = source[caret.index("^")]
    assert under == line[col - 1] if col <= len(line) else under == ""
    assert source.startswith("    3 | \u2026") == (col > WINDOW // 3 + 1)


def test_control_characters_are_written_as_escapes() -> None:
    assert terminal_safe("a\x1b[2Jb\x07c\x9bd\te\nf") == "a\\x1b[2Jb\\x07c\\x9bd\\x09e\\x0af"
    assert terminal_safe("a\tb", keep_tabs=True) == "a\tb"
    assert terminal_safe("caf\u00e9 \u2019") == "caf\u00e9 \u2019"


def test_the_shown_line_message_and_hint_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("ok\nx\x1b]0;owned\x07 \x1b[31mred\x9b2J\tend\n")
    problem = Problem(Origin("a.md", 2, 25), "code", "message \x1b[2J", "hint \x07")
    shown = format_problem(problem, tmp_path)
    assert not [ch for ch in shown if ord(ch) < 32 and ch not in "\n\t" or 0x7F <= ord(ch) <= 0x9F]
    _, source, caret, _ = shown.splitlines()
    assert source == "    2 | x\\x1b]0;owned\\x07 \\x1b[31mred\\x9b2J\tend"
    assert source[caret.index("^")] == "e"  # column 25 is the 'e' of 'end', after the tab


def test_each_file_is_read_once_for_all_its_problems(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.md").write_text("".join(f"line {n}\n" for n in range(1, 5001)))
    opened = []
    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda path, *a, **k: opened.append(str(path)) or real_open(path, *a, **k))
    lines = SourceLines(tmp_path)
    for number in range(1, 5001):
        assert lines.line(Origin("a.md", number, 1)) == f"line {number}"
    assert lines.line(Origin("a.md", 5001, 1)) is None
    assert opened == [str(tmp_path / "a.md")]


@pytest.mark.slow
def test_a_build_with_thousands_of_warnings_reads_the_article_twice_not_once_per_warning(make_site, capsys,
                                                                                           monkeypatch) -> None:
    sentences = "".join(f"Sentence number {n} is here.\n\n" for n in range(3000))
    root = make_site({"content/articles/story/text.md": sentences, CLAIM: None})
    opened = []
    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda path, *a, **k: opened.append(str(path)) or real_open(path, *a, **k))
    assert main(["check", "--root", str(root), "--verbose"]) == 0
    err = capsys.readouterr().err
    assert err.count("warning[unchecked-sentence]") == 3000
    assert opened.count(str(root / "content/articles/story/text.md")) <= 2  # load, then the warnings


def test_a_long_paragraph_prints_a_window_per_warning_not_the_paragraph(make_site, capsys) -> None:
    paragraph = " ".join(f"Sentence number {n} is here." for n in range(1000))  # one line of 28 kB
    root = make_site({"content/articles/story/text.md": paragraph + "\n", CLAIM: None})
    assert main(["check", "--root", str(root), "--verbose"]) == 0
    err = capsys.readouterr().err
    assert err.count("warning[unchecked-sentence]") == 1000
    assert max(len(line) for line in err.splitlines()) < 250
    assert len(err) < 1000 * 600


def test_a_build_never_writes_an_escape_sequence_to_the_terminal(make_site, capsys) -> None:
    root = make_site({"content/articles/story/claims/ten-people.yaml": "quote: Ten people saw it.\n"
                      "\"\\e[2J\\e]0;owned\\a\": 1\nclaim: C.\nverdict: opinion\nsummary: S.\n"})
    (root / "content/sources/\x1b[31mred.yaml").write_text("title: T\npublisher: P\nurl: https://a.example/\n"
                                                           "kind: data\n")
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err, err
    assert "unknown field '\\x1b[2J\\x1b]0;owned\\x07'" in err
    assert "content/sources/\\x1b[31mred.yaml: error[bad-id]" in err

from __future__ import annotations

import subprocess
import sys

import pytest

from site_builder.commands.cli import main


@pytest.mark.parametrize("argv", [[], ["publish"], ["build", "--bogus"], ["check", "--out", "x"]])
def test_bad_usage_exits_2(argv, capsys):
    assert main(argv) == 2
    assert "usage: site-builder" in capsys.readouterr().err


def test_missing_root_exits_2(tmp_path, capsys):
    assert main(["build", "--root", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.strip().endswith("no such folder")


@pytest.mark.slow
def test_summary_names_pages_verdicts_and_coverage(basic_site, capsys):
    assert main(["build", "--root", str(basic_site)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Built 47 pages in ") and out[0].endswith(f"-> {basic_site / 'public'}")
    assert out[1] == "  claims: 7 (4 accurate, 1 needs context, 1 inaccurate, 1 opinion)"
    assert out[2] == "  sentences checked: 6 of 11 (55%)"
    assert out[3] == ("  1 draft claim not included: use --drafts (`site-builder claims --status draft` lists "
                      "them)")  # never silently left out
    assert out[4] == "  warnings: 5"  # with unknown-claimant for Ann Lee (issue 21)


@pytest.mark.slow
def test_python_dash_m_is_the_same_command(basic_site):
    done = subprocess.run([sys.executable, "-m", "site_builder", "check", "--root", str(basic_site)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Checked 47 pages")
    assert "warning[unchecked-sentence]" in done.stderr


@pytest.mark.slow
def test_a_reader_that_goes_away_gets_no_traceback(basic_site):
    """`site-builder check | head -0`: the output pipe closes before the summary is printed."""
    process = subprocess.Popen([sys.executable, "-m", "site_builder", "check", "--root", str(basic_site)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    process.stdout.close()  # long before the command has anything to print
    _, err = process.communicate()
    assert "Traceback" not in err
    assert process.returncode == 1


@pytest.mark.slow
@pytest.mark.parametrize("command", ["build", "check", "coverage", "drift"])
@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n", "\n\n# a comment\n\n"])
def test_an_empty_site_yaml_is_one_clear_error_in_every_command(make_site, capsys, command, text):
    root = make_site()
    (root / "content/site.yaml").write_text(text, encoding="utf-8")
    assert main([command, "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "content/site.yaml:1:1: error[empty-file]: site.yaml is empty", err
    assert "hint: expected fields: title, base_url" in err and "Traceback" not in err
    assert not (root / "public").exists()


@pytest.mark.parametrize("port", ["99999", "0", "-1", "eighty"])
def test_serve_refuses_a_port_that_does_not_exist(basic_site, port, capsys):
    assert main(["serve", "--root", str(basic_site), "--port", port]) == 2
    assert "argument --port" in capsys.readouterr().err

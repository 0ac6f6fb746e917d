"""docs/authoring.md's tutorial (section 0), its shell commands run as written in an empty folder.

The one command not run is `pip install ./site-builder` (a clone): installing the built wheel in a fresh
environment is tests/test_wheel.py's work. `site-builder` is this checkout's, through a shim
on PATH, so the commands are the tutorial's own text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitekit import REPO

PAGES = Path(__file__).resolve().parent / "fixtures" / "import"


def tutorial_commands() -> list[str]:
    doc = (REPO / "docs/authoring.md").read_text(encoding="utf-8")
    section = doc.split("## 0. ", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


@pytest.mark.slow
def test_the_tutorial_runs_as_written(tmp_path):
    commands = tutorial_commands()
    assert commands[0] == "python3 -m pip install ./site-builder"
    assert commands[1].startswith("site-builder new site ")
    shim = tmp_path / "bin"
    shim.mkdir()
    (shim / "site-builder").write_text(f"#!/bin/sh\nexec {sys.executable} -m site_builder \"$@\"\n")
    (shim / "site-builder").chmod(0o755)
    work = tmp_path / "desk"
    work.mkdir()
    shutil.copy(PAGES / "broadcaster.html", work / "harbour-fire.html")  # the page the tutorial saves
    env = {**os.environ, "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    cwd = work
    for command in commands[1:]:
        if command.startswith("cd "):
            cwd = cwd / command[3:]
            continue
        done = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    site = work / "mysite"
    assert (site / "content/articles/harbour-fire/claims/twelve-crews.yaml").is_file()
    assert (site / "content/sources/fire-log.yaml").is_file()
    # What is left is what the tutorial says to fill in, and `check` names each field.
    done = subprocess.run("site-builder check", shell=True, cwd=site, env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 1
    empty = re.findall(r"^(content/\S+):\d+:1: error\[empty-value\]: '(\w+)' is empty", done.stderr, re.MULTILINE)
    assert sorted(empty) == [("content/articles/harbour-fire/article.yaml", "summary"),
                             ("content/sources/fire-log.yaml", "kind"), ("content/sources/fire-log.yaml", "publisher"),
                             ("content/sources/fire-log.yaml", "title")]

"""The built wheel alone builds a site: installed in a fresh environment, run from a folder outside the checkout.

The wheel and the sdist are built with `python -m build --no-isolation` (offline: the backend
installed here) from a copy of the project's files, so the checkout gets no build/ or egg-info.
The venv sees the system's packages for the dependencies, and the wheel is installed in it
without them (`--no-deps --no-index`): what it proves is that the theme travels in the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from servers import free_port
from sitekit import REPO

PAGE = Path(__file__).resolve().parent / "fixtures" / "import" / "newspaper.html"


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done


@pytest.mark.slow
def test_the_wheel_alone_makes_and_builds_a_site_outside_the_checkout(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    for folder in ("site_builder", "templates", "assets"):
        shutil.copytree(REPO / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(tmp_path / "dist"), str(source)],
        tmp_path, env)
    wheel = next((tmp_path / "dist").glob("site_builder-*.whl"))
    assert next((tmp_path / "dist").glob("site_builder-*.tar.gz"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {"site_builder/default_theme/templates/base.html", "site_builder/default_theme/assets/style.css"} <= names

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], tmp_path, env)
    python, tool = venv / "bin/python", venv / "bin/site-builder"
    run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)], tmp_path, env)
    desk = tmp_path / "desk"
    desk.mkdir()
    where = run([str(python), "-c", "import site_builder; print(site_builder.__file__)"], desk, env).stdout
    assert where.startswith(str(venv)), where  # the wheel's copy, not the checkout's

    run([str(tool), "new", "site", "x"], desk, env)
    run([str(tool), "build", "--root", "x", "--no-search"], desk, env)
    assert (desk / "x/public/about/index.html").is_file()
    run([str(tool), "new", "--root", "x", "article", "budget", "--from", str(PAGE)], desk, env)
    run([str(tool), "new", "--root", "x", "source", "https://gazette.example/budget", "--id", "gazette"], desk, env)
    run([str(tool), "new", "--root", "x", "claim", "budget", "voted by 31 to 18", "--id", "vote"], desk, env)
    run([str(tool), "rename", "--root", "x", "claim", "vote", "vote-count"], desk, env)
    fill(desk / "x/content/sources/gazette.yaml", {"title": "Budget", "publisher": "Gazette", "kind": "news-report"})
    fill(desk / "x/content/articles/budget/article.yaml", {"summary": "The council's budget."})
    claim = desk / "x/content/articles/budget/claims/vote-count.yaml"
    fill(claim, {"claim": "The vote was 31 to 18.", "verdict": "accurate", "summary": "The minutes say so."})
    claim.write_text(claim.read_text().replace("  - source:\n    quote:\n", "  - source: gazette\n    quote: 31\n"))
    run([str(tool), "theme", "--root", "x", "copy", "assets/style.css"], desk, env)
    checked = run([str(tool), "check", "--root", "x"], desk, env).stdout
    assert ("1 draft article and 1 draft claim not included: use --drafts (`site-builder claims --status draft` "
            "lists them)") in checked
    run([str(tool), "coverage", "--root", "x", "budget"], desk, env)
    run([str(tool), "build", "--root", "x", "--no-search"], desk, env)
    assert list((desk / "x/public/assets").glob("style.*.css"))

    port = free_port()
    server = subprocess.Popen([str(tool), "serve", "--root", "x", "--port", str(port)], cwd=desk, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        page = fetch(f"http://127.0.0.1:{port}/claims/vote-count/")  # a draft: the preview shows drafts
        assert "voted by 31 to 18" in page
        assert "site-builder:replaced" in fetch(f"http://127.0.0.1:{port}/.site-builder/preview.js")  # shipped
    finally:
        server.terminate()
        server.wait(timeout=10)


def fill(path: Path, values: dict[str, str]) -> None:
    text = path.read_text()
    for name, value in values.items():
        assert f"\n{name}:\n" in text
        text = text.replace(f"\n{name}:\n", f"\n{name}: {value}\n")
    path.write_text(text)


def fetch(url: str, seconds: float = 20.0) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)

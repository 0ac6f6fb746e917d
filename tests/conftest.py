"""Shared fixtures: sites written inline or copied from tests/sites/, with the repo's theme."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import settings
from sitekit import MINIMAL, SITES, add_theme, copy_site, write_files

# The suite draws the same property examples on every run, so CI passes or fails as it did here;
# `pytest --hypothesis-profile=explore` draws new ones each run, to find new failures.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("repeatable")


@pytest.fixture
def basic_site(tmp_path: Path) -> Path:
    """A copy of tests/sites/basic: overlapping, nested and repeated quotes, a draft, every source kind."""
    return copy_site(SITES / "basic", tmp_path / "basic")


@pytest.fixture
def make_site(tmp_path: Path):
    """Write a minimal valid site, with `changes` merged over it (None deletes a file)."""

    def make(changes: dict[str, str | None] | None = None, name: str = "site") -> Path:
        root = tmp_path / name
        files = dict(MINIMAL)
        for relative, text in (changes or {}).items():
            if text is None:
                files.pop(relative, None)
            else:
                files[relative] = text
        write_files(root, files)
        return add_theme(root)

    return make


_STARTED = time.time()
_BROWSER = Path(__file__).resolve().parent / "browser"


def pytest_collection_modifyitems(config, items):  # noqa: ARG001
    """Everything in tests/browser/ is a browser test, so `-m "not browser"` needs no marker in each file."""
    for item in items:
        if _BROWSER in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001
    """Show the Lighthouse scores measured by this run's browser tests (also kept in test-artifacts/)."""
    import json

    from sitekit import REPO
    reports = sorted(p for p in (REPO / "test-artifacts").glob("lighthouse-*.json") if p.stat().st_mtime >= _STARTED)
    if reports:
        terminalreporter.section("Lighthouse scores")
        for report in reports:
            scores = json.loads(report.read_text())
            terminalreporter.write_line(f"{report.stem.removeprefix('lighthouse-'):8} " +
                                        ", ".join(f"{name} {score}" for name, score in scores.items()))

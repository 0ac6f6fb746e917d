"""Shared fixtures: sites written inline or copied from tests/sites/, with the repo's theme."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"


def add_theme(root: Path) -> Path:
    """Give a fixture site the repository's templates and assets."""
    for folder in ("templates", "assets"):
        if not (root / folder).exists():
            shutil.copytree(REPO / folder, root / folder)
    return root


def write_files(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def basic_site(tmp_path: Path) -> Path:
    """A copy of tests/sites/basic: overlapping, nested and repeated quotes, a draft, every source kind."""
    root = tmp_path / "basic"
    shutil.copytree(SITES / "basic", root)
    return add_theme(root)


MINIMAL = {
    "content/site.yaml": """
        title: Mini
        base_url: https://mini.example/
        language: en
        description: A minimal site.
        publisher: {name: Mini Desk, url: "https://mini.example/"}
        verdicts:
          - {id: accurate, label: Accurate, description: Correct., rating: 5}
          - {id: opinion, label: Opinion, description: Not rated.}
        """,
    "content/articles/story/article.yaml": """
        title: A story
        publisher: The Paper
        summary: A short story.
        """,
    "content/articles/story/text.md": """
        # A story

        The sky was blue on Monday. Ten people saw it.

        The sky was blue on Monday.
        """,
    "content/sources/almanac.yaml": """
        title: The Almanac
        publisher: Almanac Press
        url: https://almanac.example/sky
        kind: reference
        """,
    "content/articles/story/claims/ten-people.yaml": """
        quote: Ten people saw it.
        claim: Ten people saw the sky.
        verdict: accurate
        summary: The almanac counts ten.
        sources:
          - source: almanac
            quote: ten witnesses
        """,
}


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

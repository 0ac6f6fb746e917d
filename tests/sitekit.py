"""Helpers to make sites for tests: inline ones, and copies of tests/sites/ with the repo's theme."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"


def add_theme(root: Path) -> Path:
    """Give a fixture site the repository's templates and assets."""
    for folder in ("templates", "assets"):
        if not (root / folder).exists():
            shutil.copytree(REPO / folder, root / folder)
    return root


def copy_site(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return add_theme(target)


def write_files(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(as_written(text), encoding="utf-8")
    return root


def as_written(text: str) -> str:
    """A file's text as `write_files` writes it: dedented, without the opening newline."""
    return textwrap.dedent(text).lstrip("\n")


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

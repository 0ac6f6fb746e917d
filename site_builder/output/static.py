"""static/: files published as they are, at the same path in the site (a CNAME, `_redirects`, downloads).

The output folder is the builder's, replaced whole by every build, so what must sit
beside the pages under its own name, not a content-hashed one as in assets/, lives
here. A file may not take the place of anything the build writes itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import Origin, Problem
from .assets import published_files

__all__ = ["static_files", "static_collisions"]

KEEP_HIDDEN = (".well-known",)  # security.txt and site verification files live there


def static_files(folder: Path, problems: list[Problem]) -> dict[str, bytes]:
    """Output path -> bytes of every file of `folder` (read with the content, so that its problems join them)."""
    return dict(published_files(folder, problems, keep=KEEP_HIDDEN))


def static_collisions(files: dict[str, bytes], taken: Iterable[str]) -> list[Problem]:
    """A problem for each static file that would replace a file the build writes.

    `taken` holds the paths the build writes, and "name/" for a folder it writes whole;
    assets/ is the build's whole.
    """
    paths = set(taken)
    folders = tuple(path for path in paths if path.endswith("/")) + ("assets/",)
    return [Problem(Origin(f"static/{relative}"), "static-collision",
                    f"this file would replace /{relative}, which the build writes itself",
                    "rename or remove it: the templates make the pages, and assets/ holds the assets")
            for relative in sorted(files) if relative in paths or relative.startswith(folders)]

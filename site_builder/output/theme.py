"""The default theme: templates/ and assets/ shipped in the package, which a site's own override file by file.

A site made with `site-builder new site` holds only content; its pages are rendered with the
theme's templates unless the site has a file of the same name under templates/ (and the same
for assets/), as Hugo and mkdocs themes work. In the wheel the theme lives in
site_builder/default_theme/; in a checkout it is the repository's own templates/ and assets/.
`theme copy` (commands/theme.py) copies its files into a site.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import Problem
from .assets import AssetNames, fingerprint_assets

__all__ = ["theme_root", "template_folders", "theme_assets", "theme_files"]

FOLDERS = ("templates", "assets")


def theme_root() -> Path | None:
    """The folder holding the theme's templates/ and assets/, or None if this install has none."""
    package = Path(__file__).resolve().parent.parent  # site_builder/, above output/
    for candidate in (package / "default_theme", package.parent):
        if (candidate / "templates" / "base.html").is_file() and (candidate / "assets").is_dir():
            return candidate
    return None


def _same(theirs: Path, ours: Path) -> bool:
    """Whether the site is the theme's own checkout; realpath, as a link in a loop must not raise here."""
    return os.path.realpath(theirs) == os.path.realpath(ours)


def template_folders(root: Path) -> list[Path]:
    """Where templates are looked up, in order: the site's templates/, then the theme's."""
    theme = theme_root()
    folders = [root / "templates"]
    if theme is not None and not _same(theme / "templates", root / "templates"):
        folders.append(theme / "templates")
    return folders


def theme_assets(root: Path, problems: list[Problem], fingerprint: bool = True
                 ) -> tuple[AssetNames, dict[str, bytes]]:
    """The theme's assets with the site's own assets/ over them, file by file."""
    theme = theme_root()
    names, files = AssetNames(), dict[str, bytes]()
    if theme is not None and not _same(theme / "assets", root / "assets"):
        names, files = fingerprint_assets(theme / "assets", [], fingerprint)
    own_names, own_files = fingerprint_assets(root / "assets", problems, fingerprint)
    for name, path in own_names.items():
        files.pop(names.pop(name, ""), None)
        names[name] = path
    files.update(own_files)
    return names, files


def theme_files() -> list[str]:
    """Every file of the theme, as 'templates/base.html', 'assets/style.css'."""
    theme = theme_root()
    if theme is None:
        return []
    return sorted(path.relative_to(theme).as_posix() for folder in FOLDERS for path in (theme / folder).rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts)

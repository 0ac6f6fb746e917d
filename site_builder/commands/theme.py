"""`theme copy [FILE...]`: the default theme's files copied into a site, to be edited there (output/theme.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import UsageError
from ..output.theme import theme_files, theme_root

__all__ = ["copy_theme_files"]


def copy_theme_files(root: Path, names: list[str]) -> list[tuple[Path, bool]]:
    """Copy theme files into the site for editing (all of them if `names` is empty); never overwrite.

    Returns each file with whether it was copied (False: the site has its own already)."""
    theme, known = theme_root(), theme_files()
    if theme is None:
        raise UsageError("this installation of site-builder has no theme to copy")
    chosen = names or known
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise UsageError(f"no theme file {unknown[0]!r}: the theme's files are {', '.join(known)}")
    done = []
    for name in chosen:
        target = root / name
        if target.exists():
            done.append((target, False))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(theme / name, target)
        done.append((target, True))
    return done

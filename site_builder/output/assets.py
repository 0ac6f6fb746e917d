"""The files published as they are: assets/ under content-hashed names, static/ under their own.

Also the check that templates/ holds no link out of the site: a template is copied into
every page it renders.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import jinja2

from ..errors import Origin, Problem
from ..safety import LINK_REFUSED, leaves_site

__all__ = ["AssetNames", "fingerprint_assets", "published_files", "template_link_problems"]


class AssetNames(dict[str, str]):
    """Asset name -> its published path. A template naming an asset that is not there fails
    with a message saying which file is missing, not "'dict object' has no attribute"."""

    def __missing__(self, name: str) -> str:
        raise jinja2.TemplateRuntimeError(f"there is no assets/{name}: add the file, or remove the reference to it")


def fingerprint_assets(assets: Path, problems: list[Problem], fingerprint: bool = True
                       ) -> tuple[AssetNames, dict[str, bytes]]:
    """Copy assets under content-hashed names: (name -> hashed path, output path -> bytes).

    Without `fingerprint` (the preview server) names stay as they are, so a stylesheet
    edit can be swapped into an open page without reloading it. Hidden files and folders
    (`.git/`, `.DS_Store`) are not published, and neither is a link to a file outside the
    site folder: that is a problem added to `problems`.
    """
    names = AssetNames()
    files: dict[str, bytes] = {}
    for relative, content in published_files(assets, problems):
        digest = hashlib.blake2b(content, digest_size=5).hexdigest()
        stem, dot, suffix = relative.rpartition(".")
        hashed = f"assets/{stem}.{digest}.{suffix}" if dot else f"assets/{relative}.{digest}"
        if not fingerprint:
            hashed = f"assets/{relative}"
        names[relative] = hashed
        files[hashed] = content
    return names, files


def published_files(folder: Path, problems: list[Problem], keep: tuple[str, ...] = ()
                    ) -> Iterator[tuple[str, bytes]]:
    """(path relative to `folder`, bytes) of each file of a folder whose files are published (assets/, static/).

    Hidden files and folders (`.git/`, `.DS_Store`) are left out but for those named in
    `keep`, and so is a link out of the site folder or round in a loop: that is a problem
    added to `problems`, as is a file that cannot be read.
    """
    name = folder.name
    published = "assets are published" if name == "assets" else f"the files of {name}/ are published"
    site = os.path.realpath(folder.parent)
    reason = leaves_site(str(folder), site)
    if reason is not None:
        problems.append(Problem(Origin(name), "unsafe-path", f"{name}/ is a link to a folder outside the site "
                                f"folder, and {published}" if reason == "outside" else
                                f"{name}/ is a link that leads round in a loop of links",
                                "replace the link with the folder itself"))
        return
    if not folder.is_dir():
        return
    for relative, entry in _visible_files(str(folder), keep=keep):
        reason = leaves_site(entry.path, site) if entry.is_symlink() else None
        if reason is not None:
            problems.append(Problem(Origin(f"{name}/{relative}"), "unsafe-path",
                                    f"{LINK_REFUSED[reason]}, and {published}" if reason == "outside"
                                    else LINK_REFUSED[reason],
                                    "replace the link with the file itself"))
            continue
        if not entry.is_file():
            continue
        try:
            with open(entry.path, "rb") as file:
                data = file.read()
        except OSError as error:
            problems.append(Problem(Origin(f"{name}/{relative}"), "unreadable",
                                    f"cannot read the file: {error.strerror}"))
            continue
        yield relative, data


def template_link_problems(templates: Path) -> list[Problem]:
    """templates/ (or a link in it, to a file or a folder) leading outside the site, or round in a loop.

    A template is copied into every page it renders: one read from outside the site would publish it.
    """
    site = os.path.realpath(templates.parent)

    def refused(path: str, relative: str) -> Problem | None:
        reason = leaves_site(path, site)
        if reason is None:
            return None
        return Problem(Origin(relative), "unsafe-path", f"{LINK_REFUSED[reason]}, and templates are published in "
                       "every page",
                       "replace the link with the file or folder itself")

    problem = refused(str(templates), "templates")
    if problem is not None:
        return [problem]
    found = []
    for folder, dirs, names in os.walk(templates):  # links to folders are listed, not followed
        for name in sorted(dirs + names):
            path = os.path.join(folder, name)
            if os.path.islink(path):
                problem = refused(path, "templates/" + Path(path).relative_to(templates).as_posix())
                if problem is not None:
                    found.append(problem)
        dirs.sort()
    return found


def _visible_files(folder: str, prefix: str = "", keep: tuple[str, ...] = ()
                   ) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(path relative to `folder`, entry) of everything but folders, hidden ones left out, in name order."""
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        if entry.name.startswith(".") and not (prefix == "" and entry.name in keep):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _visible_files(entry.path, f"{prefix}{entry.name}/")  # `keep`: at the top only
        else:
            yield prefix + entry.name, entry

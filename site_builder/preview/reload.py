"""`serve`'s reading of the files a save touched, and nothing else.

The preview's file watcher says which files were saved; on a large site a stat of every
file costs more than the edit, so when each of them was already part of the site only
they are read again (with the build's own `reader`).
"""

from __future__ import annotations

from pathlib import Path

from ..content.load import RawContent, RawFile, reader
from ..errors import Problem

__all__ = ["reload_content", "find_file"]


def reload_content(root: Path, previous: RawContent, modified: set[str],
                   cache: dict[str, RawFile]) -> RawContent | None:
    """`previous` with the files in `modified` read again, or None when that is not enough.

    The preview's file watcher says which files were saved; when every one of them was
    already part of the site, nothing else needs looking at (on a large site, a stat of
    every file costs more than the edit). Anything else (a file added, removed or now
    unreadable) needs `load_content`.
    """
    problems: list[Problem] = []
    read = reader(root, cache, problems)
    fresh: dict[str, RawFile] = {}
    for path in modified:
        if not path.startswith("content/"):
            continue  # templates and assets are read by the stages that use them
        if find_file(previous, path) is None:
            return None
        raw = read(path)
        if raw is None or problems:
            return None
        fresh[path] = raw
    if not fresh:
        return previous

    def swap(file: RawFile) -> RawFile:
        return fresh.get(file.path, file)

    articles = dict(previous.articles)  # only the folders with a saved file are copied
    for slug in {path.split("/")[2] for path in fresh if path.startswith("content/articles/")}:
        articles[slug] = {name: swap(file) for name, file in articles[slug].items()}
    return RawContent(swap(previous.site) if previous.site else None, articles,
                      [swap(file) for file in previous.sources], [swap(file) for file in previous.pages],
                      previous.problems)


def find_file(content: RawContent, path: str) -> RawFile | None:
    """The file at `path` in `content`, looked up without listing every file of the site."""
    parts = path.split("/", 3)
    if len(parts) == 4 and parts[1] == "articles":
        return content.articles.get(parts[2], {}).get(parts[3])
    return next((file for file in (content.site, *content.sources, *content.pages) if file and file.path == path),
                None)

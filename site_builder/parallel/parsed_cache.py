"""The build cache's parsed files: each claim file parsed and validated, kept by its content hash.

A warm build after one edit would otherwise parse and check every claim file again (10,000
of them at 10.7k pages, most of load and validate). A claim's result depends on its own
bytes, its article's files (the article token) and the scale and the source ids (the
context), so an entry is used only when all three, and the tool's version, are unchanged;
cross-file checks still run in `validate` every build. One file per article in
`.site-builder-cache/parsed/`, written whole (a temporary file renamed) by whoever parsed
it. A file that cannot be read, is damaged or of another format is ignored with one
warning and rewritten; only the classes of the model are unpickled from it, never code.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import hashlib
import io
import json
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import SiteConfig

__all__ = ["ParsedCache", "open_parsed", "FORMAT"]

FORMAT = "site-builder parsed-file cache 1"  # bumped when an entry's layout changes
_FOLDER = "parsed"
_BUILTINS = frozenset({"frozenset", "set", "tuple", "list", "dict", "str", "int", "float", "bool", "bytes"})
_TEXT = frozenset({"site_builder.text.anchor", "site_builder.text.parse", "site_builder.text.reanchor"})  # anchorings

Entry = tuple[str, str, tuple, Any]  # digest, what it was checked against, the file's problems, its record


@dataclass
class ParsedCache:
    """Where the parsed files are kept, the tool's stamp, and why the last lookup could not use them."""

    folder: Path
    stamp: str
    usable: bool = True  # False when the folder is not safe to read or write (a symbolic link)
    unusable: str = ""
    ignored: list[str] = field(default_factory=list)  # why a file was ignored (the parent warns once)

    def entries(self, slug: str) -> tuple[dict[str, Entry], str]:
        """The kept entries of one article's claim files by path, and why its file was ignored ("" if it was not)."""
        if not self.usable:
            return {}, ""
        try:
            fd = os.open(self._file(slug), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            return {}, ""
        except OSError as error:
            return {}, f"a parsed file cannot be read ({error.strerror})"
        try:
            with os.fdopen(fd, "rb") as handle:
                data = _Unpickler(io.BytesIO(handle.read())).load()
        except Exception:  # noqa: BLE001 - whatever a damaged pickle raises, the file is not trusted
            return {}, "a parsed file is damaged"
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("entries"), dict):
            return {}, "a parsed file was written by another version of site-builder"
        if data.get("stamp") != self.stamp:
            return {}, ""  # the tool changed: parsed afresh, as the page cache does, without a warning
        return data["entries"], ""

    def store(self, slug: str, entries: dict[str, Entry]) -> None:
        """Write one article's entries whole: a build cut short leaves the old file or none."""
        if not self.usable:
            return
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self._file(slug)
            partial = f"{target}.{os.getpid()}.part"
            with open(partial, "wb") as handle:
                pickle.dump({"format": FORMAT, "stamp": self.stamp, "entries": entries}, handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, target)

    def forget_others(self, slugs: set[str]) -> None:
        """Remove the files of articles the site no longer has."""
        if not self.usable:
            return
        names = {os.path.basename(self._file(slug)) for slug in slugs}
        with contextlib.suppress(OSError), os.scandir(self.folder) as found:
            for entry in found:
                if entry.name not in names:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    def _file(self, slug: str) -> str:
        return os.path.join(self.folder, hashlib.blake2b(slug.encode(), digest_size=12).hexdigest() + ".pickle")


def open_parsed(cache_folder: Path, tool: str, name: str = _FOLDER) -> ParsedCache:
    """The parsed files in the build cache `cache_folder` for the `tool_version`; not used at all if it or its
    folder is a link. `name` is the folder: parsed/ for claim files, anchored/ for articles (parallel/anchor.py)."""
    folder = cache_folder / name
    parsed = ParsedCache(folder, _stamp(tool))
    if cache_folder.is_symlink() or folder.is_symlink():
        parsed.usable = False
        parsed.unusable = "it holds a symbolic link; delete it (`site-builder cache clear`)"
    return parsed


def checked_against(article_token: tuple, config: SiteConfig | None, source_ids: set[str]) -> str:
    """A stable hash of what a claim's check reads besides its own file (`checks.context_of`, across processes)."""
    verdicts = [(v.id, v.rating) for v in config.verdicts] if config else []
    text = json.dumps([repr(article_token), [list(pair) for pair in verdicts], sorted(source_ids)], default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _stamp(tool: str) -> str:
    return hashlib.blake2b(f"{FORMAT}\0{tool}".encode(), digest_size=20).hexdigest()


class _Unpickler(pickle.Unpickler):
    """Only the model's dataclasses and plain containers: a cache restored from elsewhere runs no code."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name in _BUILTINS:
            return getattr(builtins, name)
        if module == "datetime" and name in ("date", "datetime"):
            import datetime
            return getattr(datetime, name)
        if module.startswith("site_builder.") and module.count(".") <= 1 or module in _TEXT:
            cls = getattr(sys.modules.get(module), name, None)
            if isinstance(cls, type) and dataclasses.is_dataclass(cls):
                return cls
        raise pickle.UnpicklingError(f"{module}.{name} is not kept in the cache")

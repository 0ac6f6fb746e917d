"""The build cache: rendered pages kept between builds, found by the hash of everything they read.

A newsroom site is rebuilt on every commit with almost nothing changed. A page is a pure
function of its content files (`job_inputs`), the templates, the assets' names, the archive
index, the tool and the libraries, so a page whose hash of all of those is unchanged is the
page the last build wrote. Its bytes are kept in `.site-builder-cache/pages/` under that hash,
hard-linked (or copied) into the new output folder, and checked before they are used (their size
and time of change as kept, else their digest): a cache that is corrupt, half-written or from another version is ignored
with one warning and the pages are rendered again, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..errors import Origin, Problem
from ..link import Graph
from ..output.inputs import FROM_PLAN, WHOLE_SITE, WITH_SOURCES, job_inputs
from ..output.plan import PageJob
from ..output.urls import output_path
from ..output.write import link_or_copy

__all__ = ["PageCache", "open_cache", "clear_cache", "tool_version", "DEFAULT_CACHE", "FORMAT"]

DEFAULT_CACHE = ".site-builder-cache"
FORMAT = "site-builder page cache 1"  # bumped when the layout of the folder changes
_INDEX = "pages.json"
_TAG = "CACHEDIR.TAG"  # the standard mark of a cache folder: backup tools skip it, `cache clear` looks for it
_TAG_TEXT = "Signature: 8a477f597d28d172789f06886806bc55\n# site-builder's build cache: safe to delete.\n"
_LIBRARIES = ("jinja2", "markupsafe", "mistune", "pyyaml")
_PACKAGE = Path(__file__).resolve().parents[1]  # site_builder/, every room of the tool's own code


@dataclass
class PageCache:
    """One build's view of the cache: what the last build kept, and what this one keeps."""

    folder: Path
    stamp: str  # the hash of what every page reads besides its content files
    tool: str  # the hash of the tool itself (`tool_version`), which the parsed files' cache reads too
    kept: dict[str, str]  # page key -> "digest size:mtime" of its bytes, as the last build left them
    problems: list[Problem]  # where the one warning about an unusable cache goes
    shown: str = DEFAULT_CACHE  # the folder as the warning names it
    warned: bool = False
    writable: bool = True  # False when the folder is not safe to write into (a symbolic link in it)

    def keys(self, jobs: Sequence[PageJob], graph: Graph, digests: dict[str, str]) -> dict[str, str]:
        """Each job's URL -> the hash of everything its page reads.

        What a page reads is a set of files: each file's path and digest are hashed once, to a
        number, and a page's files are the exclusive or of their numbers (a set's hash in any
        order, with no sorted join per page). The pages made from the whole site read the same
        files (`WHOLE_SITE`, with or without the sources): their set is made once, not once per page.
        """
        plan_hash = _hash("\n".join(job.url for job in jobs))
        # A list of claims is in the order of their passages in the articles' texts: a page that shows
        # a claim also reads its article (`job_inputs` leaves that to `serve`, which compares the order).
        article_files = {slug: (a.origin.path, a.text_path, *(v.path for v in a.versions))
                         for slug, a in graph.articles.items()}
        of_claim = {claim.origin.path: article_files[claim.article] for claim in graph.claims.values()}
        numbers = {path: _number(path, digest) for path, digest in digests.items()}
        whole: dict[bool, int] = {}  # with the sources or not -> what a page of the whole site reads

        def read_by(job: PageJob) -> int:
            inputs = job_inputs(job, graph)
            for claim_path in list(inputs):
                if claim_path in of_claim:
                    inputs.update(of_claim[claim_path])
            read = 0
            for path in inputs:
                number = numbers.get(path)
                read ^= number if number is not None else _number(path, "")
            return read

        keys = {}
        for job in jobs:
            if job.kind in WHOLE_SITE:
                group = job.kind in WITH_SOURCES
                if group not in whole:
                    whole[group] = read_by(job)
                read = whole[group]
            else:
                read = read_by(job)
            hasher = hashlib.blake2b(digest_size=20)
            hasher.update(f"{self.stamp}\0{job.url}\0{job.template}\0{job.kind}\0{job.key}\0{read:x}\0".encode())
            if job.kind in FROM_PLAN:
                hasher.update(plan_hash.encode())
            keys[job.url] = hasher.hexdigest()
        return keys

    def place(self, folder: Path, jobs: Iterable[PageJob], keys: dict[str, str]) -> list[PageJob]:
        """Put each kept page into the new `folder`; the jobs whose kept bytes are missing or damaged."""
        missing = []
        made: set[str] = set()
        for job in jobs:
            key = keys[job.url]
            blob = self._blob(key)
            if not self._intact(key, blob):
                self.warn("a kept page is missing or damaged")
                self.kept.pop(key, None)
                missing.append(job)
                continue
            target = os.path.join(folder, output_path(job.url))
            parent = os.path.dirname(target)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            link_or_copy(blob, target)
        return missing

    def _intact(self, key: str, blob: str) -> bool:
        """Whether the kept page's bytes are the ones its build kept: its size and time of change as they
        were, or else (a cache restored by CI, copied anew) its digest."""
        digest, _, signature = self.kept.get(key, "").partition(" ")
        try:
            if _signature(os.stat(blob)) == signature:
                return True
            with open(blob, "rb") as handle:
                if _digest(handle.read()) != digest:
                    return False
            self.kept[key] = f"{digest} {_signature(os.stat(blob))}"
            return True
        except OSError:
            return False

    def keep(self, folder: Path, jobs: Iterable[PageJob], keys: dict[str, str]) -> None:
        """Keep the pages just rendered into `folder`, then write the index naming every page of this build."""
        if not self.writable:
            return
        with contextlib.suppress(OSError):
            for job in jobs:
                key = keys[job.url]
                source = os.path.join(folder, output_path(job.url))
                with open(source, "rb") as handle:
                    digest = _digest(handle.read())
                blob = self._blob(key)
                os.makedirs(os.path.dirname(blob), exist_ok=True)
                partial = f"{blob}.{os.getpid()}.part"
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(partial)
                link_or_copy(source, partial)
                os.replace(partial, blob)  # a blob is whole or absent
                self.kept[key] = f"{digest} {_signature(os.stat(blob))}"
            used = set(keys.values())
            self.kept = {key: digest for key, digest in self.kept.items() if key in used}
            self._write_index()
            self._forget_unused(used)

    def warn(self, why: str) -> None:
        if not self.warned:
            self.warned = True
            self.problems.append(Problem(Origin(self.shown), "cache-ignored",
                                         f"the build cache was not used: {why}",
                                         "nothing to do: the pages were built afresh and the cache rewritten "
                                         "(`site-builder cache clear` empties it)", "warning"))

    def _blob(self, key: str) -> str:
        return os.path.join(self.folder, "pages", key[:2], key)

    def _write_index(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tag = self.folder / _TAG
        if not tag.exists():
            tag.write_text(_TAG_TEXT, encoding="utf-8")
        partial = self.folder / f"{_INDEX}.{os.getpid()}.part"
        partial.write_text(json.dumps({"format": FORMAT, "stamp": self.stamp, "pages": self.kept}), encoding="utf-8")
        os.replace(partial, self.folder / _INDEX)  # the index is written last: a build cut short leaves the old one

    def _forget_unused(self, used: set[str]) -> None:
        pages = self.folder / "pages"
        with contextlib.suppress(OSError), os.scandir(pages) as buckets:
            for bucket in buckets:
                with os.scandir(bucket.path) as entries:
                    for entry in entries:
                        if entry.name not in used:
                            with contextlib.suppress(OSError):
                                os.unlink(entry.path)


def open_cache(folder: Path, root: Path, assets: dict[str, str], drafts: bool,
               problems: list[Problem], cards: bool = False) -> PageCache:
    """The cache in `folder` for a build of `root`; an unusable one gives one warning and is started afresh.

    `cards` is whether the pages name their share cards (og:image): a page kept without them is not one with them.
    """
    tool = tool_version()
    stamp = _stamp(root, assets, drafts, cards, tool)
    cache = PageCache(folder, stamp, tool, {}, problems, _shown(folder, root))
    index = folder / _INDEX
    if not folder.exists():
        return cache
    if _links_in(folder):  # a restored cache could point outside the site: neither read nor written
        cache.writable = False
        cache.warn("it holds a symbolic link; delete it (`site-builder cache clear`)")
        return cache
    try:
        data = json.loads(index.read_bytes())
    except FileNotFoundError:
        cache.warn(f"{_INDEX} is missing (a build cut short?)")
        return cache
    except OSError as error:
        cache.warn(f"{_INDEX} cannot be read ({error.strerror})")
        return cache
    except ValueError:
        cache.warn(f"{_INDEX} is damaged (not JSON)")
        return cache
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("pages"), dict) \
            or not all(isinstance(key, str) and isinstance(value, str) for key, value in data["pages"].items()):
        cache.warn("it was written by another version of site-builder")
        return cache
    if data.get("stamp") == stamp:
        cache.kept = dict(data["pages"])
    # Another stamp is a template, an asset, the archive or the tool changed: every page is made again,
    # and that is what a cache is for; no warning.
    return cache


def clear_cache(folder: Path) -> str:
    """Delete the cache folder, if it is one: a folder without our mark is left alone."""
    if not folder.exists():
        return f"{folder}: no cache to clear"
    if not (folder / _TAG).is_file():
        return f"{folder}: not a site-builder cache (no {_TAG}); left as it is"
    shutil.rmtree(folder)
    return f"{folder}: cleared"


def _stamp(root: Path, assets: dict[str, str], drafts: bool, cards: bool, tool: str) -> str:
    """The hash of what every page reads besides its own content files."""
    hasher = hashlib.blake2b(digest_size=20)
    hasher.update(f"{FORMAT}\0{drafts}\0{cards}\0{tool}\0".encode())
    hasher.update(json.dumps(sorted(assets.items())).encode())
    hasher.update(b"templates\0")
    _hash_tree(hasher, root / "templates")
    with contextlib.suppress(OSError):
        hasher.update(b"archive\0" + (root / "archive" / "index.json").read_bytes())
    return hasher.hexdigest()


def tool_version() -> str:
    """The hash of the tool: Python's version, the libraries' and every file of site_builder/."""
    hasher = hashlib.blake2b(digest_size=20)
    hasher.update(f"{sys.version}\0".encode())
    for name in _LIBRARIES:
        try:
            hasher.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            hasher.update(f"{name}=?\0".encode())
    hasher.update(b"tool\0")
    _hash_tree(hasher, _PACKAGE)
    return hasher.hexdigest()


def _hash_tree(hasher, folder: Path) -> None:  # noqa: ANN001 - a hashlib object
    for path in sorted(folder.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        hasher.update(f"{path.relative_to(folder).as_posix()}\0".encode())
        with contextlib.suppress(OSError):
            hasher.update(_digest(path.read_bytes()).encode())


def _links_in(folder: Path) -> bool:
    """Whether the cache folder, its index, its pages or cards folder or anything in pages/ is a symbolic link
    (the cards' links are skipped as they are listed: `output/cards.py`)."""
    if any(path.is_symlink() for path in (folder, folder / _INDEX, folder / "pages", folder / "cards")):
        return True
    with contextlib.suppress(OSError), os.scandir(folder / "pages") as buckets:
        for bucket in buckets:
            if bucket.is_symlink():
                return True
            if bucket.is_dir(follow_symlinks=False):
                with os.scandir(bucket.path) as entries:
                    if any(entry.is_symlink() for entry in entries):
                        return True
    return False


def _signature(stat: os.stat_result) -> str:
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def _number(path: str, digest: str) -> int:
    """A file's path and digest as one number, the part it adds to the hash of a set of files."""
    return int.from_bytes(hashlib.blake2b(f"{path}\0{digest}".encode(), digest_size=20).digest(), "big")


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def _shown(folder: Path, root: Path) -> str:
    with contextlib.suppress(ValueError):
        return folder.resolve().relative_to(root.resolve()).as_posix()
    return folder.as_posix()

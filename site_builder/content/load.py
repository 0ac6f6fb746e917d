"""Stage 1, load: find the content files, read each once, parse it; interpret nothing.

Reading from disk (`load_content`) is kept apart from parsing text (`parse_file`),
so that the parser is tested without a disk and `serve` can reuse parsed files
whose bytes did not change (the cache is keyed by content hash).
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import Origin, Problem
from ..safety import LINK_REFUSED, find_control_character, leaves_site
from .yamltree import YNode, parse_yaml

__all__ = ["RawFile", "RawContent", "load_content", "load_all_but_claims", "reader", "parse_file",
           "MAX_FILE_BYTES"]

MAX_FILE_BYTES = 5 * 1024 * 1024
_RACY_NS = 2_000_000_000  # a file changed in the last 2 s is read again whatever its time stamp says


@dataclass(frozen=True, slots=True)
class RawFile:
    """One content file: its relative path, hash, text, and what parsing found.

    For YAML, `data` is the tree. For Markdown, `data` is the front matter tree
    (or None), `body` the text after it and `body_line` the line it starts on.
    """

    path: str
    digest: str
    text: str
    data: YNode | None
    body: str = ""
    body_line: int = 1
    problems: tuple[Problem, ...] = ()
    stamp: tuple[int, int, int] = (0, 0, 0)  # mtime (ns), size and inode when it was read


@dataclass(frozen=True, slots=True)
class RawContent:
    """Every file of `content/`, by kind; paths are relative to the site root."""

    site: RawFile | None
    articles: dict[str, dict[str, RawFile]]  # slug -> {"article.yaml": .., "text.md": .., "claims/x.yaml": ..}
    sources: list[RawFile]
    pages: list[RawFile]
    problems: tuple[Problem, ...]

    def files(self) -> list[RawFile]:
        found = [self.site] if self.site else []
        for files in self.articles.values():
            found.extend(files.values())
        return found + self.sources + self.pages


def file_digest(data: bytes) -> str:
    """What a file's bytes are known by: in `RawFile.digest`, serve's cache and the build cache's parsed files."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def parse_file(path: str, data: bytes) -> RawFile:
    """Decode and parse one file's bytes: YAML for `.yaml`, front matter + body for `.md`."""
    digest = file_digest(data)
    text, problem = _decode(path, data)
    if problem:
        return RawFile(path, digest, "", None, problems=(problem,))
    if path.endswith(".yaml"):
        tree, problems = parse_yaml(text, path)
        return RawFile(path, digest, text, tree, problems=tuple(problems))
    front, body, body_line = _split_front_matter(text)
    tree, problems = (None, [])
    if front is not None:
        tree, problems = parse_yaml(front, path, line_offset=1)
    return RawFile(path, digest, text, tree, body, body_line, tuple(problems))


def _decode(path: str, data: bytes) -> tuple[str, Problem | None]:
    if len(data) > MAX_FILE_BYTES:
        return "", Problem(Origin(path), "file-too-large",
                           f"file is {len(data) / 1048576:.1f} MiB; content files are limited to "
                           f"{MAX_FILE_BYTES // 1048576} MiB", "split it, or remove what does not belong")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return "", Problem(Origin(path, line, col), "not-utf8",
                           f"the file is not UTF-8 text (byte 0x{data[error.start]:02x})",
                           "save the file as UTF-8 in your editor")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return "", Problem(Origin(path, line, 1), "binary-file", "the file contains NUL bytes: it is not text",
                           "remove it, or save it again as UTF-8 text")
    control = find_control_character(text)
    if control is not None:
        line = text.count("\n", 0, control) + 1
        col = control - (text.rfind("\n", 0, control) + 1) + 1
        return "", Problem(Origin(path, line, col), "control-character",
                           f"the file contains an invisible control character (U+{ord(text[control]):04X})",
                           "delete it (tabs and line breaks are the only control characters text may hold)")
    return text, None


def _split_front_matter(text: str) -> tuple[str | None, str, int]:
    """`---` on the first line opens front matter; the next `---` line closes it."""
    if not text.startswith("---\n"):
        return None, text, 1
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            return None, text, 1
    front = text[4:end + 1]
    body_line = front.count("\n") + 3
    return front, text[end + 5:], body_line


def load_content(root: Path, cache: dict[str, RawFile] | None = None) -> RawContent:
    """Read every content file below `root/content`; reuse `cache` entries whose hash matches."""
    return _load(root, cache, None)


def load_all_but_claims(root: Path) -> tuple[RawContent, dict[str, list[str]]]:
    """Every content file but the claims, and the claim files' paths by article, unread.

    A large build reads the claims in worker processes (parallel/fanout.py).
    """
    claim_paths: dict[str, list[str]] = {}
    return _load(root, None, claim_paths), claim_paths


def _load(root: Path, cache: dict[str, RawFile] | None, claim_paths: dict[str, list[str]] | None) -> RawContent:
    """`load_content`; given `claim_paths`, claim files are listed there instead of read."""
    problems: list[Problem] = []
    content = root / "content"
    site = os.path.realpath(root)
    reason = leaves_site(str(content), site)
    if reason is not None:
        problems.append(_link_problem("content", reason, "the folder"))
        return RawContent(None, {}, [], [], tuple(problems))
    if not content.is_dir():
        problems.append(Problem(Origin("content"), "no-content", f"there is no content/ folder in {root}",
                                "run the command in a site folder, or pass --root DIR"))
        return RawContent(None, {}, [], [], tuple(problems))

    read = reader(root, cache, problems)

    present = os.path.lexists(content / "site.yaml")
    site_file = read("content/site.yaml") if present else None
    if not present:
        problems.append(Problem(Origin("content/site.yaml"), "missing-file", "content/site.yaml is missing",
                                "create it with the site's title, base_url, language and verdicts"))

    articles: dict[str, dict[str, RawFile]] = {}
    for slug in _listing(content / "articles", problems, root, site, dirs=True):
        files: dict[str, RawFile] = {}
        folder = f"content/articles/{slug}"
        for name in _listing(root / folder, problems, root, site, files_only=True):
            if name in ("article.yaml", "text.md"):
                raw = read(f"{folder}/{name}")
                if raw:
                    files[name] = raw
            else:
                problems.append(_unexpected(f"{folder}/{name}", "an article folder holds article.yaml, text.md "
                                                                 "and claims/"))
        for sub, suffix, why in (("versions", ".md", "versions are named DATE.md"),
                                 ("claims", ".yaml", "claim files end in .yaml")):
            for name in _listing(root / folder / sub, problems, root, site, files_only=True):
                if claim_paths is not None and sub == "claims" and name.endswith(suffix):
                    claim_paths.setdefault(slug, []).append(f"{folder}/{sub}/{name}")
                    continue
                raw = _read_kind(f"{folder}/{sub}/{name}", suffix, read, problems, why)
                if raw:
                    files[f"{sub}/{name}"] = raw
        articles[slug] = files

    sources = [raw for name in _listing(content / "sources", problems, root, site, files_only=True)
               if (raw := _read_kind(f"content/sources/{name}", ".yaml", read, problems))]
    pages = [raw for name in _listing(content / "pages", problems, root, site, files_only=True)
             if (raw := _read_kind(f"content/pages/{name}", ".md", read, problems))]
    return RawContent(site_file, articles, sources, pages, tuple(problems))


def reader(root: Path, cache: dict[str, RawFile] | None, problems: list[Problem],
           parse: Callable[[str, bytes], RawFile] = parse_file) -> Callable[[str], RawFile | None]:
    """read(relative path) -> the parsed file, from `cache` when its stamp or hash shows it unchanged.

    `parse` is `parse_file`, or what a build with a cache of parsed files passes in (parallel/fanout.py).
    """
    top, now = str(root), time.time_ns()
    site = os.path.realpath(root)

    def read(relative: str) -> RawFile | None:
        # Plain os calls on strings, one system call for most files: `serve` looks at every file per save.
        full = os.path.join(top, relative)
        try:
            status = os.lstat(full)
            if stat.S_ISLNK(status.st_mode):
                reason = leaves_site(full, site)
                if reason is not None:
                    problems.append(_link_problem(relative, reason, "the file"))
                    return None
                status = os.stat(full)
            if not stat.S_ISREG(status.st_mode):  # a folder, or a pipe that would wait forever to be read
                kind = "a folder" if stat.S_ISDIR(status.st_mode) else "a pipe, socket or device"
                problems.append(Problem(Origin(relative), "not-a-file", f"this is {kind}, not a file",
                                        "replace it with a text file, or remove it"))
                return None
            stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
            cached = cache.get(relative) if cache is not None else None
            # Unchanged since it was read (and not so recently that a same-size save could hide): reuse it.
            if cached is not None and cached.stamp == stamp and now - stamp[0] > _RACY_NS:
                return cached
            data = _read_bytes(full)
        except OSError as error:
            problems.append(Problem(Origin(relative), "unreadable", f"cannot read the file: {error.strerror}"))
            return None
        if cache is not None:
            digest = file_digest(data)
            if cached is not None and cached.digest == digest:
                if cached.stamp != stamp:
                    cache[relative] = cached = replace(cached, stamp=stamp)
                return cached
        made = parse(relative, data)  # with its stamp: made again field by field (dataclasses.replace is 3x slower)
        parsed = RawFile(made.path, made.digest, made.text, made.data, made.body, made.body_line, made.problems, stamp)
        if cache is not None:
            cache[relative] = parsed
        return parsed

    return read


def _read_bytes(path: str) -> bytes:
    """A file's bytes by plain system calls: half the time of `open(path, "rb").read()` for a small file."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        chunks = []
        while chunk := os.read(handle, 65536):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


def _read_kind(relative: str, suffix: str, read, problems: list[Problem], why: str = "") -> RawFile | None:
    if relative.endswith(suffix):
        return read(relative)
    if suffix == ".yaml" and relative.endswith(".yml"):  # read as a typo, it would make the check vanish
        name = relative.rsplit("/", 1)[-1]
        problems.append(Problem(Origin(relative), "wrong-extension", f"{name} ends in .yml, so it is not read",
                                f"rename it to {name.removesuffix('.yml')}.yaml"))
        return None
    problems.append(_unexpected(relative, why or f"files in this folder end in {suffix}"))
    return None


def _unexpected(relative: str, why: str) -> Problem:
    return Problem(Origin(relative), "unexpected-file", f"unexpected file: {why}",
                   "rename or move it; files starting with '.' or ending in '~' are ignored", "warning")


def _link_problem(relative: str, reason: str, what: str) -> Problem:
    """A link in content/ to a place outside the site (never read), or one that leads round in a loop."""
    if reason == "loop":
        return Problem(Origin(relative), "unsafe-path", LINK_REFUSED[reason],
                       f"replace the link with {what} itself, or remove it")
    return Problem(Origin(relative), "unsafe-path", LINK_REFUSED[reason],
                   f"replace the link with {what} itself")


def _listing(folder: Path, problems: list[Problem], root: Path, site: str, *, dirs: bool = False,
             files_only: bool = False) -> list[str]:
    """Sorted names in `folder` (missing folder: none), skipping hidden and editor backup files.

    `site` is the site folder's real path: a folder that is a link to a place outside it is
    not listed, and neither is a link in it. Only links are resolved (a real folder listed
    from a folder inside the site is inside it): resolving every folder costs a fifth of a load.
    """
    reason = leaves_site(str(folder), site) if os.path.islink(folder) else None
    if reason is not None:
        problems.append(_link_problem(_relative(folder, root), reason, "the folder"))
        return []
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except FileNotFoundError:
        return []
    except OSError as error:
        problems.append(Problem(Origin(_relative(folder, root)), "unreadable", f"cannot list: {error.strerror}"))
        return []
    names = []
    for entry in entries:
        if entry.name.startswith((".", "#")) or entry.name.endswith("~"):
            continue
        if entry.is_symlink():
            reason = leaves_site(entry.path, site)
            if reason is not None:
                if not (files_only and entry.name in ("claims", "versions")):  # their own listing says so
                    problems.append(_link_problem(_relative(Path(entry.path), root), reason, "the file or folder"))
                continue
        is_dir = entry.is_dir()
        if dirs and not is_dir:
            problems.append(_unexpected(_relative(Path(entry.path), root), "this folder holds one folder per article"))
            continue
        if files_only and is_dir:
            if entry.name not in ("claims", "versions"):
                problems.append(_unexpected(_relative(Path(entry.path), root), "no sub-folders here"))
            continue
        names.append(entry.name)
    return names


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()

"""Stage 6, write: put the whole site in a fresh folder, then swap it in.

Readers (and `serve`) never see half a site: files go to a new sibling folder
that replaces the output only once everything is written, by an atomic exchange
where the OS offers one (Linux `renameat2`), else by two renames with a recovery
step at the next start. The builder only ever deletes folders it marked as its
own, and refuses an output folder that holds anything else. One build at a time
writes an output folder: a second one would remove the first one's new folder as
a leftover. The marker lists what the build wrote, so that the next one can name
the files someone added to the folder since (a CNAME, a downloads folder) as it
removes them with the rest of the previous site.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import BuildFailed, Origin, Problem

__all__ = ["Spread", "in_this_process", "MARKER", "check_output", "link_or_copy", "removed_foreign_files",
           "write_output", "write_files", "write_all"]

MARKER = ".site-builder-output"
_MARKER_HEADER = b"written by site-builder; the whole folder is replaced on every build\n"
_LISTED = b"files written:\n"

Produce = Callable[[Path], Iterable[str] | None]  # writes a site into a folder; returns what it wrote, or None
_RENAME_EXCHANGE = 2


def check_output(root: Path, out: Path) -> list[Problem]:
    """Why `out` must not be used as the output folder (empty list: it may)."""
    root, out = root.resolve(), out.resolve()
    where = Origin(str(out))
    protected = [root] + [root / name for name in ("content", "templates", "assets")]
    if out in protected or any(p in out.parents for p in protected[1:]):
        return [Problem(where, "unsafe-output", "the output folder would overwrite the site's own files",
                        "choose a separate folder, e.g. --out public")]
    if out in root.parents or out == Path(out.anchor):
        return [Problem(where, "unsafe-output", "the output folder contains the site itself",
                        "choose a folder inside or beside the site, e.g. --out public")]
    if out.exists() and not out.is_dir():
        return [Problem(where, "unsafe-output", "the output path is a file", "remove it or choose another path")]
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        return [Problem(where, "unsafe-output", "the output folder holds files that site-builder did not write",
                        "empty it, or choose another folder")]
    return []


def _ours(folder: Path) -> bool:
    return folder.is_dir() and not folder.is_symlink() and (folder / MARKER).exists()


def _recover(out: Path) -> None:
    """Finish what a killed build left: restore the previous site, drop half-written or half-removed ones.

    A folder of ours loses its marker last (`_remove_ours`), so a removal cut short leaves one
    still marked, or empty: an empty leftover is removed too (`rmdir` removes nothing else).
    """
    for leftover in sorted(out.parent.glob(f".{out.name}.old-*")):
        if not out.exists() and _ours(leftover):
            os.rename(leftover, out)
        elif _ours(leftover):
            _remove_ours(leftover)
        else:
            _remove_if_empty(leftover)
    for leftover in out.parent.glob(f".{out.name}.new-*"):
        if _ours(leftover):
            _remove_ours(leftover)
        else:
            _remove_if_empty(leftover)


def _remove_ours(folder: Path, ignore_errors: bool = False) -> None:
    """Remove a folder of ours, its marker last: cut short, it is still ours for the next build to remove."""
    with os.scandir(folder) as entries:
        paths = [(entry.path, entry.is_dir(follow_symlinks=False)) for entry in entries if entry.name != MARKER]
    with contextlib.suppress(*((OSError,) if ignore_errors else ())):
        for path, is_folder in paths:
            if is_folder:
                shutil.rmtree(path, ignore_errors=ignore_errors)
            else:
                os.unlink(path)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(folder / MARKER)
        os.rmdir(folder)


def _remove_if_empty(folder: Path) -> None:
    if folder.is_dir() and not folder.is_symlink():
        with contextlib.suppress(OSError):  # not empty: not ours, left alone
            os.rmdir(folder)


def _exchange(new: Path, out: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(out), _RENAME_EXCHANGE)
    return result == 0


# (count, piece size, work(start, stop) -> results) -> every result in order: how a large removal is done.
Spread = Callable[[int, int, Callable[[int, int], list[str]]], list[str]]


def in_this_process(count: int, piece: int, work: Callable[[int, int], list[str]]) -> list[str]:  # noqa: ARG001
    """The serial `Spread`: all the work here, at once."""
    return work(0, count)


def write_output(out: Path, produce: Produce, spread: Spread | None = None) -> list[str]:
    """Make `out` whatever `produce` writes into a fresh folder, swapped in only if it returns.

    If `produce` raises (a content error found while rendering, a failed search index, a
    full disk), the new folder is removed and `out` is untouched. The previous site is
    removed by `spread` (parallel/forked.py's shares it between processes). `produce` returns
    the paths it wrote (one ending in "/" for a whole folder), kept in the marker; the result is
    the files of the previous site that its build had not written (relative paths), removed with it.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with _only_build(out):
        _recover(out)
        return _write_and_swap(out, produce, spread or in_this_process)


@contextlib.contextmanager
def _only_build(out: Path) -> Iterator[None]:
    """Hold the lock on `out` for the length of a build, or stop with a problem if another build holds it.

    The lock is an `flock` on `.NAME.lock` beside the output, taken without waiting and
    released (the file removed) at the end. A build that finds the file removed or
    replaced after locking it locked one that its previous holder was deleting: it
    takes the lock again on the file now at that path.
    """
    if sys.platform == "win32":  # no flock; the folder is not shared there
        yield
        return
    import fcntl
    path = out.parent / f".{out.name}.lock"
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise BuildFailed([Problem(Origin(str(out)), "output-busy", "another build is writing this output "
                                       "folder right now", "wait for it to finish and build again, or build "
                                       "into another folder with --out")]) from None
        held = os.fstat(descriptor)
        try:
            current = os.stat(path)
        except FileNotFoundError:
            current = None
        if current is not None and (current.st_dev, current.st_ino) == (held.st_dev, held.st_ino):
            break
        os.close(descriptor)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # while still held: see above
        os.close(descriptor)


def _write_and_swap(out: Path, produce: Produce, spread: Spread) -> list[str]:
    token = uuid.uuid4().hex[:8]
    new = out.parent / f".{out.name}.new-{token}"
    new.mkdir()
    try:
        (new / MARKER).write_bytes(_MARKER_HEADER)
        written = produce(new)
        if written is not None:
            (new / MARKER).write_bytes(_MARKER_HEADER + _LISTED + "".join(f"{path}\n" for path in written).encode())
    except BaseException:
        with contextlib.suppress(OSError):
            _remove_ours(new, ignore_errors=True)
        raise
    if not out.exists():
        os.rename(new, out)
        return []
    if _exchange(new, out):
        return _remove(new, spread)  # `new` now holds the previous site
    old = out.parent / f".{out.name}.old-{token}"
    os.rename(out, old)
    os.rename(new, out)
    return _remove(old, spread)


def _remove(folder: Path, spread: Spread) -> list[str]:
    """Remove a previous site, its folders shared between processes when it is large: the files its build had not
    written (none when its marker does not say what it wrote).

    Unlinking is the kernel's work, a file at a time: one process takes 1.2 s for 53k
    pages on tmpfs, after the new site is already in place. What was written is checked
    as each file is unlinked, so naming the others costs no second walk.
    """
    written = _written(folder / MARKER)
    root = str(folder)
    foreign: list[str] = []
    entries = [entry.path for top in os.scandir(folder) if top.is_dir(follow_symlinks=False)
               for entry in os.scandir(top.path)]
    if len(entries) >= 2000:
        foreign += spread(len(entries), 64, lambda start, stop: _delete(entries[start:stop], root, written))
    # The marker goes last: a build killed while removing leaves a folder still marked ours (`_recover`).
    with os.scandir(folder) as tops:
        rest = [entry.path for entry in tops if entry.name != MARKER]
    foreign += _delete(rest, root, written)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(folder / MARKER)
    os.rmdir(folder)
    return sorted(foreign)


def _delete(paths: list[str], root: str, written: tuple[frozenset[str], tuple[str, ...]] | None) -> list[str]:
    """Remove `paths` (files and folders); those of their files that are not `written`, relative to `root`."""
    foreign: list[str] = []
    for path in paths:
        if os.path.isdir(path) and not os.path.islink(path):
            if written is None:
                shutil.rmtree(path)
            else:
                _delete_folder(path, len(root) + 1, written, foreign)
            continue
        os.unlink(path)
        if written is not None:
            _note_foreign(path[len(root) + 1:], written, foreign)
    return foreign


def _delete_folder(path: str, cut: int, written: tuple[frozenset[str], tuple[str, ...]], foreign: list[str]) -> None:
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _delete_folder(entry.path, cut, written, foreign)
            else:
                os.unlink(entry.path)
                _note_foreign(entry.path[cut:], written, foreign)
    os.rmdir(path)


def _note_foreign(relative: str, written: tuple[frozenset[str], tuple[str, ...]], foreign: list[str]) -> None:
    relative = relative.replace(os.sep, "/")
    if relative != MARKER and relative not in written[0] and not relative.startswith(written[1]):
        foreign.append(relative)


def _written(marker: Path) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """What the marker says its build wrote: (files, folders as `name/` prefixes); None if it does not say."""
    try:
        data = marker.read_bytes()
    except OSError:
        return None
    if not data.startswith(_MARKER_HEADER + _LISTED):
        return None
    paths = data[len(_MARKER_HEADER + _LISTED):].decode("utf-8", "replace").splitlines()
    return frozenset(paths), tuple(path for path in paths if path.endswith("/"))


def write_files(files: dict[str, bytes]) -> Produce:
    """A `produce` that writes the given files (relative path -> bytes)."""

    def produce(folder: Path) -> list[str]:
        for relative in sorted(files):
            if relative.startswith(("/", "\\")) or ".." in Path(relative).parts:
                raise ValueError(f"refusing to write outside the output folder: {relative}")
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[relative])
        return sorted(files)

    return produce


def problems_writing(error: OSError) -> Problem:
    return Problem(Origin(error.filename or "output"), "write-failed", f"cannot write the site: {error.strerror}",
                   "check the disk space and permissions of the output folder")


def removed_foreign_files(root: Path, out: Path, foreign: list[str], most: int = 5) -> list[Problem]:
    """Warnings naming what someone had added to the output folder, which the build just removed.

    One warning per thing added at the top of the folder (a folder of downloads is one
    warning, with its count of files), and at most `most` of them with a last one for the rest.
    """
    shown = out.relative_to(root).as_posix() if out.is_relative_to(root) else str(out)
    groups: dict[str, int] = {}
    for path in foreign:
        top, slash, _ = path.partition("/")
        groups[top + slash] = groups.get(top + slash, 0) + 1
    hint = ("the output folder is the builder's, replaced whole by every build: put files to publish as they "
            "are (a CNAME, downloads) in static/, or in assets/")
    warnings = [Problem(Origin(f"{shown}/{name}"), "foreign-output",
                        f"removed {f'{name} ({count} files)' if count > 1 else name}: site-builder did not write it",
                        hint, "warning") for name, count in list(groups.items())[:most]]
    if len(groups) > most:
        warnings.append(Problem(Origin(shown), "foreign-output", f"removed {len(groups) - most} more file(s) or "
                                "folder(s) that site-builder did not write", hint, "warning"))
    return warnings


def write_all(descriptor: int, data: bytes) -> None:
    """`os.write` until every byte is written (it may write fewer than asked)."""
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]


def link_or_copy(source: str, target: str) -> None:
    """A hard link (no bytes copied), or a copy where the two folders are on different file systems."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)

"""The search index made byte-identical from build to build: Pagefind's filters in a fixed order.

Pagefind 1.5 writes each filter's values (and the list of filters) in the order of a Rust
HashMap, which changes from run to run: the same site gave a new `filter/*.pf_filter`, a new
`pagefind.*.pf_meta` and a new pagefind-entry.json each time, so a deploy could never tell
that nothing had changed. After Pagefind has run, each filter file is rewritten with its
values sorted, under a name taken from its content, and the meta file and the entry file
are rewritten to name them. The files are gzip'd CBOR behind a `pagefind_dcd` signature,
read and written with cbor2; a file that cbor2 would not write back byte for byte as it
was (a form written another way, bytes after the value) is left as it is.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

__all__ = ["order_filters"]

SIGNATURE = b"pagefind_dcd"


class _Unsupported(ValueError):
    """A file this module does not write back (left as Pagefind wrote it)."""


def order_filters(index: Path) -> None:
    """Rewrite ROOT/pagefind/'s filter files, its meta files and its entry file in a fixed order."""
    entry_path = index / "pagefind-entry.json"
    entry = json.loads(entry_path.read_bytes())
    for language in entry["languages"].values():
        meta_path = index / f"pagefind.{language['hash']}.pf_meta"
        try:
            meta = _read(meta_path)
            filters = meta[3]
            renamed = [[name, _rewrite_filter(index / "filter", old)] for name, old in filters]
        except (_Unsupported, IndexError, KeyError, TypeError, ValueError):
            continue  # a format this version does not know: keep Pagefind's own files
        meta[3] = sorted(renamed)
        prefix = language["hash"].rsplit("_", 1)[0]
        language["hash"] = _write(index, "pagefind.", meta, prefix, 13, ".pf_meta")
        if index / f"pagefind.{language['hash']}.pf_meta" != meta_path:
            meta_path.unlink()
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _rewrite_filter(folder: Path, old: str) -> str:
    """One filter file with its values sorted, under its new name (returned, without suffix)."""
    path = folder / f"{old}.pf_filter"
    name, values = _read(path)
    new = _write(folder, "", [name, sorted(values, key=lambda pair: pair[0])], old.rsplit("_", 1)[0], 7,
                 ".pf_filter")
    if new != old:
        path.unlink()
    return new


def _read(path: Path) -> Any:
    """The value in a Pagefind file, if writing it back with cbor2 gives the same bytes (else _Unsupported)."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise _Unsupported(f"{path.name} has no {SIGNATURE!r} signature")
    try:
        value = cbor2.loads(raw[len(SIGNATURE):])
    except cbor2.CBORDecodeError as error:
        raise _Unsupported(f"{path.name}: {error}") from None
    if cbor2.dumps(value) != raw[len(SIGNATURE):]:  # bytes after the value, or forms written another way
        raise _Unsupported(f"{path.name} does not read back as it was written")
    return value


def _write(folder: Path, before: str, value: Any, prefix: str, digits: int, suffix: str) -> str:
    """Write `value` under a name from its content: `prefix_hash`, the way Pagefind names its files."""
    raw = SIGNATURE + cbor2.dumps(value)
    name = f"{prefix}_{hashlib.sha256(raw).hexdigest()[:digits]}"
    (folder / f"{before}{name}{suffix}").write_bytes(gzip.compress(raw, mtime=0))
    return name

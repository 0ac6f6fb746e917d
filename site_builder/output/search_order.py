"""The search index made byte-identical from build to build: Pagefind's filters in a fixed order.

Pagefind 1.5 writes each filter's values (and the list of filters) in the order of a Rust
HashMap, which changes from run to run: the same site gave a new `filter/*.pf_filter`, a new
`pagefind.*.pf_meta` and a new pagefind-entry.json each time, so a deploy could never tell
that nothing had changed. After Pagefind has run, each filter file is rewritten with its
values sorted, under a name taken from its content, and the meta file and the entry file
are rewritten to name them. The files are gzip'd CBOR behind a `pagefind_dcd` signature;
the few CBOR forms Pagefind writes (integers, strings, arrays, maps) are read and written
here, and a file holding any other form is left as it is.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

__all__ = ["order_filters"]

SIGNATURE = b"pagefind_dcd"


class _Unsupported(ValueError):
    """A CBOR form this module does not write back (left as Pagefind wrote it)."""


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
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise _Unsupported(f"{path.name} has no {SIGNATURE!r} signature")
    value, end = _decode(raw, len(SIGNATURE))
    if end != len(raw):
        raise _Unsupported(f"{path.name} has bytes after its value")
    return value


def _write(folder: Path, before: str, value: Any, prefix: str, digits: int, suffix: str) -> str:
    """Write `value` under a name from its content: `prefix_hash`, the way Pagefind names its files."""
    raw = SIGNATURE + _encode(value)
    name = f"{prefix}_{hashlib.sha256(raw).hexdigest()[:digits]}"
    (folder / f"{before}{name}{suffix}").write_bytes(gzip.compress(raw, mtime=0))
    return name


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        argument = info
    elif info <= 27:
        width = 1 << (info - 24)
        argument = int.from_bytes(data[at:at + width], "big")
        at += width
    else:
        raise _Unsupported(f"CBOR additional information {info}")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        chunk = data[at:at + argument]
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = {}
        for _ in range(argument):
            key, at = _decode(data, at)
            pairs[key], at = _decode(data, at)
        return pairs, at
    raise _Unsupported(f"CBOR major type {major}")


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * width):
            return bytes([major << 5 | info]) + argument.to_bytes(width, "big")
    raise _Unsupported(f"integer {argument} too large for CBOR")


def _encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        raise _Unsupported("CBOR simple values")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(item) for item in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(_encode(key) + _encode(item) for key, item in value.items())
    raise _Unsupported(f"a {type(value).__name__} in CBOR")

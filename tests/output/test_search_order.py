"""The search index is the same, byte for byte, whatever order Pagefind wrote its filters in."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import cbor2

from site_builder.build import build
from site_builder.output.search_order import SIGNATURE, order_filters


def read(path: Path):
    raw = gzip.decompress(path.read_bytes())
    assert raw.startswith(SIGNATURE)
    return cbor2.loads(raw[len(SIGNATURE):])


def files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def shuffled(index: Path) -> None:
    """Write Pagefind's filters back in reversed order (values and the list of filters), as another run may."""
    entry = json.loads((index / "pagefind-entry.json").read_text())
    for language in entry["languages"].values():
        meta_path = index / f"pagefind.{language['hash']}.pf_meta"
        meta = read(meta_path)
        for _name, hash_ in meta[3]:
            path = index / "filter" / f"{hash_}.pf_filter"
            name, values = read(path)
            path.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps([name, values[::-1]])))
        meta[3] = meta[3][::-1]
        meta_path.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps(meta)))


def test_the_index_is_the_same_whatever_order_pagefind_wrote_its_filters_in(basic_site: Path, tmp_path: Path) -> None:
    build(basic_site)
    index = basic_site / "public/pagefind"
    meta = read(next(index.glob("pagefind.*.pf_meta")))
    assert sorted(name for name, _ in meta[3]) == ["type", "verdict"]  # both filters are there to be ordered
    verdicts = read(next(path for path in (index / "filter").iterdir() if read(path)[0] == "verdict"))[1]
    assert len(verdicts) > 2
    assert [value for value, _pages in verdicts] == sorted(value for value, _pages in verdicts)
    first = files(index)
    other = tmp_path / "other"
    shutil.copytree(index, other)
    shuffled(other)
    assert files(other) != first  # reversed for real
    order_filters(other)
    assert files(other) == first
    entry = json.loads((other / "pagefind-entry.json").read_text())
    for language in entry["languages"].values():  # every file the entry and the meta name is there
        meta = read(other / f"pagefind.{language['hash']}.pf_meta")
        assert all((other / "filter" / f"{hash_}.pf_filter").is_file() for _name, hash_ in meta[3])


def test_two_builds_give_the_same_search_index(basic_site: Path, tmp_path: Path) -> None:
    build(basic_site, tmp_path / "one")
    build(basic_site, tmp_path / "two")
    assert files(tmp_path / "one/pagefind") == files(tmp_path / "two/pagefind")


def test_a_file_written_in_another_cbor_form_is_left_as_pagefind_wrote_it(basic_site: Path) -> None:
    build(basic_site)
    index = basic_site / "public/pagefind"
    meta_path = next(index.glob("pagefind.*.pf_meta"))
    meta = read(meta_path)
    # The same value as an indefinite-length array (0x9f ... 0xff), which cbor2 writes with its length.
    indefinite = b"\x9f" + b"".join(cbor2.dumps(item) for item in meta) + b"\xff"
    assert cbor2.loads(indefinite) == meta
    meta_path.write_bytes(gzip.compress(SIGNATURE + indefinite))
    before = files(index)
    order_filters(index)
    assert files(index) == before

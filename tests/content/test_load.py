from __future__ import annotations

from site_builder.content.load import MAX_FILE_BYTES, load_content, parse_file
from site_builder.content.yamltree import YMap


def test_bom_and_crlf_are_read_as_plain_text():
    raw = parse_file("a.yaml", b"\xef\xbb\xbftitle: x\r\nname: y\r\n")
    assert raw.problems == ()
    assert isinstance(raw.data, YMap) and raw.data.items["name"].origin.line == 2


def test_non_utf8_names_line_and_column():
    raw = parse_file("a.yaml", b"a: 1\nb: \xff\n")
    assert [(p.code, p.origin.line, p.origin.col) for p in raw.problems] == [("not-utf8", 2, 4)]


def test_nul_bytes_are_not_text():
    raw = parse_file("a.yaml", b"a: 1\n\x00\n")
    assert raw.problems[0].code == "binary-file" and raw.problems[0].origin.line == 2


def test_oversized_file_is_refused_before_parsing():
    raw = parse_file("big.yaml", b"a: " + b"x" * (MAX_FILE_BYTES + 1))
    assert raw.problems[0].code == "file-too-large" and raw.data is None


def test_front_matter_lines_are_shifted_to_the_file():
    raw = parse_file("p.md", b"---\ntitle: T\nbad: [\n---\n# Body\n")
    assert raw.problems[0].code == "yaml-syntax"
    assert raw.problems[0].origin.line >= 3
    ok = parse_file("p.md", b"---\ntitle: T\n---\n# Body\n")
    assert ok.body == "# Body\n" and ok.body_line == 4
    assert isinstance(ok.data, YMap) and ok.data.items["title"].origin.line == 2


def test_markdown_without_front_matter_is_all_body():
    raw = parse_file("p.md", b"# Just text\n")
    assert raw.data is None and raw.body == "# Just text\n"


def test_unexpected_and_hidden_files(make_site):
    root = make_site({"content/sources/notes.txt": "x", "content/sources/.draft.yaml": "x",
                      "content/sources/almanac.yaml~": "x"})
    raw = load_content(root)
    assert [(p.origin.path, p.code, p.severity) for p in raw.problems] == [
        ("content/sources/notes.txt", "unexpected-file", "warning")]


def test_cache_reuses_unchanged_files(make_site):
    root = make_site()
    cache: dict = {}
    first = load_content(root, cache)
    second = load_content(root, cache)
    assert first.sources[0] is second.sources[0]
    (root / "content/sources/almanac.yaml").write_text("title: New\npublisher: P\nurl: https://a.example/\n"
                                                       "kind: data\n")
    third = load_content(root, cache)
    assert third.sources[0] is not first.sources[0]


def test_symlink_out_of_the_site_is_refused(make_site, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("title: secret\n")
    root = make_site()
    (root / "content/sources/leak.yaml").symlink_to(secret)
    raw = load_content(root)
    assert [(p.origin.path, p.code) for p in raw.problems] == [("content/sources/leak.yaml", "unsafe-path")]


def test_cache_skips_reading_files_whose_stamp_is_unchanged(make_site, monkeypatch):
    import os

    from site_builder.content import load
    root = make_site()
    for path in (root / "content").rglob("*"):
        if path.is_file():
            os.utime(path, ns=(1_000_000_000, 1_000_000_000))  # long ago: not a racy time stamp
    cache: dict = {}
    load_content(root, cache)
    reads: list[str] = []
    real = load._read_bytes
    monkeypatch.setattr(load, "_read_bytes", lambda path: reads.append(os.path.basename(path)) or real(path))
    load_content(root, cache)
    assert reads == []
    (root / "content/sources/almanac.yaml").write_text("title: New\npublisher: P\nurl: https://a.example/\n"
                                                       "kind: data\n")
    raw = load_content(root, cache)
    assert reads == ["almanac.yaml"] and raw.sources[0].digest != cache["content/site.yaml"].digest

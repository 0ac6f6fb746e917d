"""Attacks on the build: each ends in one clear message or a correct site, in bounded time and memory,
and nothing outside the output folder is ever touched."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from linkcheck import broken_links
from sitekit import REPO

from site_builder.output.markdown import render_markdown

CLAIM = "content/articles/story/claims/ten-people.yaml"
PROBLEM_LINE = re.compile(r"^\S+?(:\d+:\d+)?: (error|warning)\[[a-z0-9-]+\]: .+$")


# --- Markdown: the known ReDoS shapes render in bounded time -------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("shape", [
    "[" * 50_000,
    "*a_b" * 20_000,
    '[a](b "' + "x" * 100_000 + '")',
    "<" * 50_000 + "a",
    "`" * 30_000,
    "> " * 10_000 + "deep",
    "- " * 5_000 + "x",
    "![" * 20_000,
    "_" * 50_000 + "a",
    "a" + "\\" * 50_000,
])
def test_markdown_redos_shapes_are_bounded(shape: str) -> None:
    started = time.perf_counter()
    html, _ = render_markdown(shape + f" {random.random()}")  # bypass the cache
    assert time.perf_counter() - started < 2.0
    assert "<script" not in html


# --- YAML and file attacks, each in a process with a memory cap -----------------------------------------------

def run_build(root: Path, *args: str, memory_mib: int = 768, timeout: float = 60) -> subprocess.CompletedProcess:
    def limit() -> None:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (memory_mib * 2**20, memory_mib * 2**20))

    return subprocess.run([sys.executable, "-m", "site_builder", "build", "--no-search", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=timeout, preexec_fn=limit, check=False)


def bomb(levels: int = 12, width: int = 10) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * width) + "]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


YAML_ATTACKS = {
    "billion-laughs": (bomb().encode(), "yaml-anchor"),
    "python-object": (b"quote: !!python/object/apply:os.system ['touch /tmp/pwned']\n", "yaml-tag"),
    "python-name": (b"quote: !!python/name:os.system\n", "yaml-tag"),
    "deep-nesting": (b"quote: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "yaml-depth"),
    "deep-mappings": (b"".join(b"  " * n + b"k:\n" for n in range(2000)) + b"  " * 2000 + b"v\n", "yaml-depth"),
    "fifty-megabytes": (b"quote: " + b"x" * (50 * 2**20) + b"\n", "file-too-large"),
    "not-utf8": (b"quote: caf\xe9\n", "not-utf8"),
    "nul-bytes": (b"quote: a\x00b\n", "binary-file"),
    "duplicate-keys": (b"quote: Ten people saw it.\nclaim: C.\nverdict: opinion\nsummary: S.\nsummary: T.\n",
                       "yaml-duplicate-key"),
    "tab-indent": (b"sources:\n\t- source: x\n", "yaml-syntax"),
    "control-characters": (b"quote: \x07bell\n", "control-character"),
    "many-documents": (b"quote: a\n---\nquote: b\n" * 1000, "yaml-documents"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(YAML_ATTACKS))
def test_yaml_attack_ends_in_one_clear_message(make_site, name: str) -> None:
    data, code = YAML_ATTACKS[name]
    root = make_site()
    (root / CLAIM).write_bytes(data)
    started = time.perf_counter()
    done = run_build(root)
    assert time.perf_counter() - started < 30
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if ": error[" in line]
    assert len(errors) == 1 and f"error[{code}]" in errors[0] and errors[0].startswith(CLAIM), done.stderr
    assert not Path("/tmp/pwned").exists()


# A YAML escape in double quotes writes a control character into a value (the feed would no longer be XML).
ESCAPES = {"nul": ("\\0", 0x00), "escape": ("\\e", 0x1B), "bell": ("\\a", 0x07), "csi": ("\\e[31m", 0x1B),
           "backspace": ("\\b", 0x08), "carriage-return": ("\\r", 0x0D), "vertical-tab": ("\\v", 0x0B),
           "delete": ("\\x7f", 0x7F), "c1-next-line": ("\\N", 0x85), "c1-csi": ("\\x9b", 0x9B),
           "unit-separator": ("\\x1f", 0x1F), "unicode-escape": ("\\u0001", 0x01)}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(ESCAPES))
@pytest.mark.parametrize("field", ["summary", "claim", "claimant", "body", "quote"])
def test_a_control_character_from_a_yaml_escape_is_refused_at_its_line(make_site, capsys, name: str,
                                                                       field: str) -> None:
    from site_builder.commands.cli import main
    escape, code = ESCAPES[name]
    root = make_site()
    lines = [line for line in (root / CLAIM).read_text().splitlines() if not line.startswith(f"{field}:")]
    lines.insert(1, f'{field}: "Ten people{escape} saw it."')  # the field, on line 2
    text = "\n".join(lines) + "\n"
    (root / CLAIM).write_text(text)
    assert main(["build", "--no-search", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if ": error[" in line]
    col = len(field) + 3
    assert errors == [f"{CLAIM}:2:{col}: error[control-character]: '{field}' contains an invisible control "
                      f"character (U+{code:04X})"], err
    assert not (root / "public").exists()


def test_tabs_and_line_breaks_from_escapes_are_kept_and_the_feed_stays_xml(make_site) -> None:
    from xml.dom.minidom import parseString

    from site_builder.commands.cli import main
    root = make_site()
    text = (root / CLAIM).read_text().replace("summary: The almanac counts ten.",
                                              'summary: "The almanac\\tcounts\\nten."')
    (root / CLAIM).write_text(text)
    assert main(["build", "--no-search", "--root", str(root)]) == 0
    parseString((root / "public/feed.xml").read_bytes())


@pytest.mark.slow
@pytest.mark.parametrize("where", ["content/articles/story/text.md", "content/pages/about.md",
                                   "content/sources/almanac.yaml"])
def test_a_raw_control_character_in_a_file_is_refused_at_its_line_and_column(make_site, capsys, where) -> None:
    from site_builder.commands.cli import main
    root = make_site({"content/pages/about.md": "---\ntitle: About\ndescription: D.\n---\nText.\n"})
    lines = (root / where).read_text().split("\n")
    lines[2] = lines[2][:3] + "\x1b[2J" + lines[2][3:]
    (root / where).write_text("\n".join(lines))
    assert main(["build", "--no-search", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if ": error[" in line] == [
        f"{where}:3:4: error[control-character]: the file contains an invisible control character (U+001B)"], err


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["bom", "crlf", "bom+crlf", "cr-only"])
def test_bom_and_line_endings_build_correctly(make_site, variant: str) -> None:
    root = make_site()
    text = (root / CLAIM).read_text()
    if "crlf" in variant:
        text = text.replace("\n", "\r\n")
    if variant == "cr-only":
        text = text.replace("\n", "\r")
    data = text.encode()
    if "bom" in variant:
        data = b"\xef\xbb\xbf" + data
    (root / CLAIM).write_bytes(data)
    done = run_build(root)
    assert done.returncode == 0, done.stderr
    assert "Ten people saw the sky." in (root / "public/claims/ten-people/index.html").read_text()


# --- Paths: nothing is written outside the output folder ------------------------------------------------------

def tree(folder: Path) -> dict[str, int]:
    """Every file but the output's and the build cache's (pages and share cards: the build's own)."""
    return {str(p.relative_to(folder)): p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()
            and not {"public", ".site-builder-cache"} & set(p.relative_to(folder).parts)}


PATH_ATTACKS = {
    "claim-encoded-dots": ("content/articles/story/claims/%2e%2e%2fx.yaml", None, "bad-id"),
    "claim-hidden-dots": ("content/articles/story/claims/..x.yaml", None, None),  # hidden: ignored
    "claim-uppercase": ("content/articles/story/claims/Ten-People.yaml", None, "bad-id"),
    "claim-reserved": ("content/articles/story/claims/con.yaml", None, "bad-id"),
    "claim-unicode-nfc": ("content/articles/story/claims/caf\u00e9.yaml", None, "bad-id"),
    "claim-unicode-nfd": ("content/articles/story/claims/cafe\u0301.yaml", None, "bad-id"),
    "claim-backslash": ("content/articles/story/claims/a\\b.yaml", None, "bad-id"),
    "slug-dots": ("content/articles/.../article.yaml", None, None),  # hidden: ignored, not written
    "slug-space": ("content/articles/my story/article.yaml", None, "bad-id"),
    "tag-traversal": (CLAIM, "tags: ['../../../../tmp/evil']\n", "bad-id"),
    "tag-absolute": (CLAIM, "tags: ['/etc/passwd']\n", "bad-id"),
    "tag-backslash": (CLAIM, "tags: ['..\\\\..\\\\evil']\n", "bad-id"),
    "tag-reserved": (CLAIM, "tags: [nul]\n", "bad-id"),
    "related-traversal": (CLAIM, "related: ['../../x']\n", "bad-id"),
    "source-id-traversal": (CLAIM, "sources:\n  - source: ../../../etc/passwd\n    quote: x\n", "bad-id"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(PATH_ATTACKS))
def test_path_tricks_are_refused_and_nothing_escapes(make_site, tmp_path: Path, name: str) -> None:
    relative, extra, code = PATH_ATTACKS[name]
    root = make_site()
    good = (root / CLAIM).read_text()
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if extra is None:
        target.write_text(good if target.suffix == ".yaml" and "claims" in relative else
                          "title: T\npublisher: P\nsummary: S.\n")
    else:
        target.write_text(good.replace("sources:\n  - source: almanac\n    quote: ten witnesses\n", "") + extra
                          if "sources:" in extra else good + extra)
    before = tree(tmp_path)
    done = run_build(root)
    after = tree(tmp_path)
    assert after == before  # nothing written or deleted outside public/
    assert "Traceback" not in done.stderr
    if code is None:
        assert done.returncode == 0, done.stderr
    else:
        assert done.returncode == 1 and f"error[{code}]" in done.stderr, done.stderr
    outside = [p for p in (tmp_path.parent, Path("/tmp")) if (p / "evil").exists()]
    assert outside == []


@pytest.mark.slow
def test_assets_publish_neither_links_out_of_the_site_nor_hidden_files(make_site, tmp_path: Path) -> None:
    root = make_site()
    assert run_build(root).returncode == 0
    published = sorted(p.relative_to(root / "public").as_posix() for p in (root / "public").rglob("*"))
    secret = tmp_path / "secret.txt"
    secret.write_text("private key\n")
    (root / "assets/leak.txt").symlink_to(secret)
    done = run_build(root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert ("assets/leak.txt: error[unsafe-path]: this link points outside the site folder, and assets are "
            "published") in done.stderr
    assert sorted(p.relative_to(root / "public").as_posix() for p in (root / "public").rglob("*")) == published
    (root / "assets/leak.txt").unlink()
    (root / "assets/.git").mkdir()
    (root / "assets/.git/config").write_text("[remote]\nurl = secret\n")
    (root / "assets/shared.txt").symlink_to(root / "content/site.yaml")  # inside the site: published
    assert run_build(root).returncode == 0
    written = {p.relative_to(root / "public").as_posix() for p in (root / "public").rglob("*") if p.is_file()}
    assert not [path for path in written if ".git" in path or "config" in path]
    assert [path for path in written if path.startswith("assets/shared.")] != []
    (root / "assets").rename(tmp_path / "elsewhere")
    (root / "assets").symlink_to(tmp_path / "elsewhere")
    done = run_build(root)
    assert done.returncode == 1 and "assets: error[unsafe-path]: assets/ is a link to a folder outside" in done.stderr


# (where the link goes, to what: a folder or a file outside the site, or itself (a loop), the message expected)
LINKS = {
    "article-folder-out": ("content/articles/leak", "folder", "this link points outside the site folder"),
    "sources-folder-out": ("content/sources", "folder", "this link points outside the site folder"),
    "claims-folder-out": ("content/articles/story/claims", "folder", "this link points outside the site folder"),
    "content-folder-out": ("content", "folder", "this link points outside the site folder"),
    "page-file-out": ("content/pages/leak.md", "file", "this link points outside the site folder"),
    "template-folder-out": ("templates/partials/leak", "folder", "this link points outside the site folder, and "
                            "templates are published in every page"),
    "template-file-out": ("templates/robots.txt", "file", "this link points outside the site folder, and "
                          "templates are published in every page"),
    "templates-out": ("templates", "folder", "this link points outside the site folder, and templates are "
                      "published in every page"),
    "asset-folder-out": ("assets/leak", "folder", "this link points outside the site folder, and assets are "
                         "published"),
    "article-loop": ("content/articles/loop", "loop", "this link leads round in a loop of links"),
    "source-loop": ("content/sources/loop.yaml", "loop", "this link leads round in a loop of links"),
    "claim-loop": ("content/articles/story/claims/loop.yaml", "loop", "this link leads round in a loop of links"),
    "versions-loop": ("content/articles/story/versions", "loop", "this link leads round in a loop of links"),
    "pages-loop": ("content/pages", "loop", "this link leads round in a loop of links"),
    "content-loop": ("content", "loop", "this link leads round in a loop of links"),
    "asset-loop": ("assets/loop.css", "loop", "this link leads round in a loop of links"),
    "assets-loop": ("assets", "loop", "assets/ is a link that leads round in a loop of links"),
    "template-loop": ("templates/partials/loop.html", "loop", "this link leads round in a loop of links, and "
                      "templates are published in every page"),
    "templates-loop": ("templates", "loop", "this link leads round in a loop of links, and templates are "
                       "published in every page"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(LINKS))
def test_a_link_out_of_the_site_or_in_a_loop_is_refused(make_site, tmp_path: Path, name: str) -> None:
    """Folders and files alike, in content/, templates/ and assets/: nothing outside the site is read."""
    import shutil
    relative, kind, message = LINKS[name]
    root = make_site()
    assert run_build(root).returncode == 0
    published = snapshot(root / "public")
    outside = tmp_path / "outside"
    if kind == "folder":  # a copy of what the link replaces, or a folder of its kind, with a secret in it
        if (root / relative).exists():
            shutil.copytree(root / relative, outside)
            shutil.rmtree(root / relative)
        else:
            shutil.copytree(root / "content/articles/story", outside, ignore=shutil.ignore_patterns("claims"))
        (outside / "secret-SECRET.css").write_text("SECRET\n")
        (root / relative).symlink_to(outside, target_is_directory=True)
    elif kind == "file":
        outside.mkdir()
        (outside / "secret.md").write_text("---\ntitle: SECRET\ndescription: SECRET\n---\nSECRET\n")
        if (root / relative).exists():
            (root / relative).unlink()
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).symlink_to(outside / "secret.md")
    else:
        if (root / relative).is_dir():
            shutil.rmtree(root / relative)
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).symlink_to(root / relative)
    done = run_build(root)
    assert "Traceback" not in done.stderr and done.returncode == 1, done.stderr
    errors = [line for line in done.stderr.splitlines() if ": error[" in line]
    assert [line for line in errors if "unsafe-path" in line] == [f"{relative}: error[unsafe-path]: {message}"]
    assert len(errors) == 1 or name == "sources-folder-out", done.stderr  # (there, citing a source is an error too)
    assert snapshot(root / "public") == published


@pytest.mark.slow
def test_files_that_are_not_files_are_refused_without_waiting(make_site) -> None:
    """A pipe would block the build forever on reading it; a folder where a file belongs has no text."""
    root = make_site()
    os.mkfifo(root / "content/sources/pipe.yaml")
    os.mkfifo(root / CLAIM.replace("ten-people", "pipe"))
    (root / "content/site.yaml").rename(root / "site.yaml.kept")
    (root / "content/site.yaml").mkdir()
    done = run_build(root, timeout=20)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    refused = sorted(line.split(": error[")[0] for line in done.stderr.splitlines() if "error[not-a-file]" in line)
    assert refused == [CLAIM.replace("ten-people", "pipe"), "content/site.yaml", "content/sources/pipe.yaml"]


@pytest.mark.slow
def test_case_only_differences_cannot_collide(make_site) -> None:
    root = make_site({"content/sources/Almanac.yaml": "title: T\npublisher: P\nurl: https://a.example/\n"
                                                        "kind: data\n"})
    done = run_build(root)
    assert done.returncode == 1 and "content/sources/Almanac.yaml: error[bad-id]" in done.stderr


# --- Property test: random content trees, valid and broken ----------------------------------------------------

WORDS = ["fire", "crews", "Monday", "sky", "blue", "ten", "people", "saw", "it", "the", "was", "\u2019s", "\u201c",
         "'", "-", "\u2013", "<b>", "&amp;", "{{x}}", ":", "#", "*", "\u00e9", "  ", "\u2026", "..."]
text_strategy = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)


@st.composite
def content_trees(draw):
    sentences = draw(st.lists(text_strategy, min_size=1, max_size=6))
    article = "\n\n".join(s.strip() + "." for s in sentences if s.strip()) or "Fallback."
    claims = {}
    for number in range(draw(st.integers(0, 4))):
        quote = draw(st.one_of(st.sampled_from(sentences), text_strategy))
        claims[f"content/articles/story/claims/c{number}.yaml"] = draw(st.sampled_from([
            f"quote: {quote!r}\nclaim: A claim.\nverdict: opinion\nsummary: S.\n",
            f"quote: {quote!r}\nclaim: A claim.\nverdict: accurate\nsummary: S.\nsources:\n"
            "  - {source: almanac, quote: q}\n",
            f"quote: {quote!r}\noccurrence: all\nclaim: C.\nverdict: opinion\nsummary: S.\nrelated: [c0]\n",
            f"quote: {quote!r}\nclaim: [broken\n",
            "verdict: nope\n",
            draw(text_strategy) + "\n",
        ]))
    return {"content/articles/story/text.md": article, **claims}


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=content_trees())
def test_random_sites_build_or_fail_cleanly(make_site, files) -> None:
    import shutil
    root = make_site({"content/articles/story/claims/ten-people.yaml": None, **files},
                     name=f"site-{random.getrandbits(32)}")
    try:
        done = run_build(root)
        assert "Traceback" not in done.stderr
        if done.returncode == 0:
            assert broken_links(root / "public") == []
            for path in files:
                if "/claims/" in path:
                    assert (root / "public/claims" / Path(path).stem / "index.html").is_file()
        else:
            assert done.returncode == 1
            assert not (root / "public").exists()  # never a partial output folder
            problems = [line for line in done.stderr.splitlines() if "error[" in line or "warning[" in line]
            assert problems and all(PROBLEM_LINE.match(line) for line in problems), done.stderr
        assert [p.name for p in root.iterdir() if p.name.startswith(".public")] == []
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --- Crash safety: a build killed at a random moment leaves the previous site intact ---------------------------

def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file but the search index's fragments, whose names are hashes of their content."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
            and not (p.relative_to(folder).parts[0] == "pagefind" and p.suffix.startswith(".pf_"))}


@pytest.mark.slow
def test_sigkill_at_random_moments_never_breaks_the_site(tmp_path: Path) -> None:
    import shutil
    root = tmp_path / "site"
    for name in ("content", "templates", "assets"):
        shutil.copytree(REPO / name, root / name)
    first = subprocess.run([sys.executable, "-m", "site_builder", "build", "--root", str(root)],
                           capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    previous = snapshot(root / "public")
    claim = root / "content/articles/karlov-ankara/claims/nine-shots.yaml"
    rng = random.Random(2016)
    for attempt in range(8):
        claim.write_text(claim.read_text().replace("summary: ", f"summary: Run {attempt}. ", 1))
        process = subprocess.Popen([sys.executable, "-m", "site_builder", "build", "--root", str(root)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.9))
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = snapshot(root / "public")
        if now != previous:
            # Not the old site, so it must be exactly the new one: what a build of this content writes elsewhere.
            expected = tmp_path / f"expected-{attempt}"
            reference = subprocess.run([sys.executable, "-m", "site_builder", "build", "--root", str(root),
                                        "--out", str(expected)], capture_output=True, text=True, check=False)
            assert reference.returncode == 0, reference.stderr
            assert now == snapshot(expected), f"attempt {attempt}: a mix of two builds"
            assert f"Run {attempt}.".encode() in now["claims/nine-shots/index.html"]
            shutil.rmtree(expected)
        assert (root / "public/pagefind/pagefind.js").is_file()
        previous = now
    done = subprocess.run([sys.executable, "-m", "site_builder", "build", "--root", str(root)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in root.iterdir()) == [".site-builder-cache", "assets", "content", "public",
                                                      "templates"]
    assert sorted(p.name for p in (root / ".site-builder-cache").iterdir()) == [  # pages, cards, parsed, anchored
        "CACHEDIR.TAG", "anchored", "cards", "pages", "pages.json", "parsed"]
    for kept in ("parsed", "anchored"):
        assert not [p.name for p in (root / ".site-builder-cache" / kept).iterdir() if not p.name.endswith(".pickle")]
    assert os.listdir(root / "public")

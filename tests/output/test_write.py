"""The output folder: swapped in whole, never outside its place, recovered after a kill."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.errors import BuildFailed
from site_builder.output.write import MARKER, check_output, write_files, write_output
from site_builder.parallel.forked import spread_between


def listing(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_write_replaces_the_whole_folder(tmp_path):
    out = tmp_path / "public"
    write_output(out, write_files({"a/index.html": b"one", "old.html": b"x"}))
    write_output(out, write_files({"a/index.html": b"two"}))
    assert listing(out) == {"a/index.html": b"two", MARKER: (out / MARKER).read_bytes()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]  # no temporary folder left


@pytest.mark.slow
def test_a_large_previous_site_is_removed_whole_by_several_processes(tmp_path):
    out = tmp_path / "public"
    pages = {f"claims/c{n}/index.html": b"old" for n in range(2100)} | {"claims/index.html": b"list"}
    write_output(out, write_files(pages))
    write_output(out, write_files({"index.html": b"new"}), spread_between(3))
    assert listing(out) == {"index.html": b"new", MARKER: (out / MARKER).read_bytes()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_failure_while_writing_leaves_previous_site(tmp_path, monkeypatch):
    out = tmp_path / "public"
    write_output(out, write_files({"index.html": b"good"}))
    before = listing(out)
    calls = {"n": 0}
    real = Path.write_bytes

    def failing(self, data):
        calls["n"] += 1
        if calls["n"] > 3:
            raise OSError(28, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(OSError):
        write_output(out, write_files({f"p{n}.html": b"new" for n in range(10)}))
    monkeypatch.undo()
    assert listing(out) == before
    write_output(out, write_files({"index.html": b"next"}))  # the next build cleans up and succeeds
    assert (out / "index.html").read_bytes() == b"next"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_a_build_killed_between_renames_is_recovered(tmp_path):
    out = tmp_path / "public"
    write_output(out, write_files({"index.html": b"previous"}))
    out.rename(tmp_path / ".public.old-deadbeef")  # as if killed after moving the old site away
    write_output(out, write_files({"index.html": b"new"}))
    assert (out / "index.html").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


class Killed(BaseException):
    """The process dying: nothing after it runs, not even an `except Exception`."""


def dies_after(steps: int, real, done: list[int]):
    """`real` (os.unlink, os.rmdir), which kills the process once `steps` removals were made in all."""
    def call(path, *args, **kwargs):
        if str(path).endswith(".lock"):  # the lock, released as a killed process's descriptors close
            return real(path, *args, **kwargs)
        done.append(1)
        if len(done) > steps:
            raise Killed
        return real(path, *args, **kwargs)
    return call


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_build_killed_at_any_moment_of_removing_the_previous_site_leaves_a_folder_the_next_removes(
        tmp_path, monkeypatch, exchange):
    """The previous site's folder keeps its marker until the last: killed after any unlink or rmdir of its
    removal, what is left is still ours (or empty), and the next build removes it."""
    import os

    from site_builder.output import write
    previous = {"index.html": b"old", "robots.txt": b"old", "claims/index.html": b"old",
                **{f"claims/c{n}/index.html": b"old" for n in range(3)}}
    for moment in range(40):
        base = tmp_path / str(moment)
        out = base / "public"
        write_output(out, write_files(previous))
        done: list[int] = []
        with monkeypatch.context() as patched:
            if not exchange:
                patched.setattr(write, "_exchange", lambda new, out: False)
            patched.setattr(os, "unlink", dies_after(moment, os.unlink, done))
            patched.setattr(os, "rmdir", dies_after(moment, os.rmdir, done))
            try:
                write_output(out, write_files({"index.html": b"new"}))
            except Killed:
                pass
            else:
                break  # the removal had fewer steps than `moment`: every moment was tried
        for left in base.glob(".public.*-*"):
            assert (left / MARKER).is_file() or not any(left.iterdir()), (moment, sorted(os.listdir(left)))
        write_output(out, write_files({"index.html": b"next"}))
        assert listing(out) == {"index.html": b"next", MARKER: (out / MARKER).read_bytes()}, moment
        assert sorted(p.name for p in base.iterdir()) == ["public"], moment
    else:
        raise AssertionError("the removal was never let finish")


@pytest.mark.parametrize("out", [".", "content", "content/x", "templates", "assets", ".."])
def test_outputs_that_would_destroy_the_site_are_refused(make_site, out):
    root = make_site()
    problems = check_output(root, root / out)
    assert [p.code for p in problems] == ["unsafe-output"]


def test_folder_with_foreign_files_is_refused_and_left_alone(make_site, capsys):
    from site_builder.commands.cli import main
    root = make_site()
    foreign = root / "public"
    foreign.mkdir()
    (foreign / "thesis.docx").write_bytes(b"precious")
    assert main(["build", "--root", str(root)]) == 1
    assert "the output folder holds files that site-builder did not write" in capsys.readouterr().err
    assert listing(foreign) == {"thesis.docx": b"precious"}


def test_build_refuses_before_writing_anything(make_site, tmp_path):
    from site_builder.build import build
    root = make_site()
    with pytest.raises(BuildFailed):
        build(root, root / "content")
    assert sorted(p.name for p in (root / "content").iterdir()) == ["articles", "site.yaml", "sources"]


def test_a_second_build_at_once_stops_and_leaves_the_first_whole(tmp_path):
    out = tmp_path / "public"
    write_output(out, write_files({"index.html": b"previous"}))
    pages = {f"claims/c{n}/index.html": b"first" for n in range(20)}
    second: list[BuildFailed] = []

    def first_build(folder: Path) -> None:
        write_files(dict(list(pages.items())[:10]))(folder)
        try:  # another build of the same folder starts while this one writes
            write_output(out, write_files({"index.html": b"second"}))
        except BuildFailed as failed:
            second.append(failed)
        write_files(dict(list(pages.items())[10:]))(folder)

    write_output(out, first_build)
    assert listing(out) == {**pages, MARKER: (out / MARKER).read_bytes()}  # the first build's site, whole
    assert [(p.origin.path, p.code, p.message) for p in second[0].problems] == [
        (str(out), "output-busy", "another build is writing this output folder right now")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]  # no lock file nor folder left
    write_output(out, write_files({"index.html": b"next"}))  # and the next build takes the folder
    assert (out / "index.html").read_bytes() == b"next"


def test_a_lock_file_left_by_a_killed_build_does_not_stop_the_next(tmp_path):
    out = tmp_path / "public"
    (tmp_path / ".public.lock").write_bytes(b"")  # the build that made it was killed: nobody holds it
    write_output(out, write_files({"index.html": b"new"}))
    assert (out / "index.html").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_files_added_to_the_output_are_named_as_they_are_removed(tmp_path):
    out = tmp_path / "public"
    write_output(out, write_files({"index.html": b"one", "claims/a/index.html": b"a", "gone/index.html": b"g"}))
    (out / "CNAME").write_bytes(b"checks.example\n")
    (out / "claims/a/notes.txt").write_bytes(b"mine")
    (out / "downloads").mkdir()
    for name in ("report.pdf", "data.csv"):
        (out / "downloads" / name).write_bytes(b"mine")
    removed = write_output(out, write_files({"index.html": b"two", "claims/a/index.html": b"a"}))
    assert removed == ["CNAME", "claims/a/notes.txt", "downloads/data.csv", "downloads/report.pdf"]  # not gone/
    assert write_output(out, write_files({"index.html": b"three"})) == []  # nothing added since


@pytest.mark.slow
def test_a_large_previous_site_removed_by_several_processes_names_what_was_added(tmp_path):
    out = tmp_path / "public"
    pages = {f"claims/c{n}/index.html": b"old" for n in range(2100)}
    write_output(out, write_files(pages))
    (out / "claims/c7/extra.txt").write_bytes(b"mine")
    assert write_output(out, write_files({"index.html": b"new"}), spread_between(3)) == ["claims/c7/extra.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


@pytest.mark.slow
def test_a_build_warns_of_what_it_removed_that_it_had_not_written(basic_site, capsys):
    from site_builder.commands.cli import main
    assert main(["build", "--root", str(basic_site)]) == 0
    public = basic_site / "public"
    assert (public / "pagefind/pagefind.js").is_file()  # the index is the build's own, file by file
    (public / "CNAME").write_text("checks.example\n")
    (public / "downloads").mkdir()
    (public / "downloads/report.pdf").write_bytes(b"%PDF")
    (public / "downloads/data.csv").write_bytes(b"a,b")
    capsys.readouterr()
    assert main(["build", "--root", str(basic_site)]) == 0
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if "[foreign-output]" in line] == [
        "public/CNAME: warning[foreign-output]: removed CNAME: site-builder did not write it",
        "public/downloads/: warning[foreign-output]: removed downloads/ (2 files): site-builder did not write it"]
    assert "put files to publish as they are (a CNAME, downloads) in static/" in err
    assert not (public / "CNAME").exists()

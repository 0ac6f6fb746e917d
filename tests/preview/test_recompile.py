"""A save of a desk file (content/claimants/, content/people/) shows in `serve` without a restart."""

from __future__ import annotations

import http.client
import sys
import time
from pathlib import Path

import pytest
from servers import Process, free_port
from sitekit import SITES, copy_site

from site_builder.preview.preview import Preview

CLAIMANT = "content/claimants/ann-lee.yaml"
PERSON = "content/people/sam-ray.yaml"


def desk_site(folder: Path) -> Path:
    root = copy_site(SITES / "basic", folder / "site")
    (root / "content/claimants").mkdir()
    (root / CLAIMANT).write_text("name: Ann Lee\ndescription: Mayor of the harbour town since 2019\nkind: Person\n")
    (root / "content/people").mkdir()
    (root / PERSON).write_text("name: Sam Ray\nrole: Checks the harbour desk's numbers\n")
    return root


def page(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.read().decode()
    finally:
        connection.close()


def shows(port: int, path: str, text: str, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while text not in page(port, path):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def replace(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.mark.slow
def test_a_claimant_or_person_saved_is_shown_by_the_running_preview(tmp_path):
    root = desk_site(tmp_path)
    port = free_port()
    server = Process([sys.executable, "-m", "site_builder", "serve", "--root", str(root), "--port", str(port)],
                     tmp_path / "serve.log")
    try:
        server.wait_for_port(port)
        assert "Mayor of the harbour town since 2019" in page(port, "/claimants/ann-lee/")
        assert "Checks the harbour desk&#39;s numbers" in page(port, "/desk/")

        replace(root, CLAIMANT, "since 2019", "since 2021")
        assert shows(port, "/claimants/ann-lee/", "Mayor of the harbour town since 2021"), server.output()
        replace(root, PERSON, "Checks the harbour", "Edits the harbour")
        assert shows(port, "/desk/", "Edits the harbour desk&#39;s numbers"), server.output()
        assert "Traceback" not in server.output()
    finally:
        server.stop()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("relative, old, new", [
    (CLAIMANT, "since 2019", "since 2021"),
    (CLAIMANT, "name: Ann Lee", "name: Ann Lee-Smith\naliases: [Ann Lee]"),
    (PERSON, "Checks the harbour", "Edits the harbour"),
    (CLAIMANT, "kind: Person", "kind: [broken"),  # an error, shown, then fixed by the next save
])
def test_a_desk_save_remakes_only_the_desk_with_the_bytes_of_a_fresh_build(tmp_path, monkeypatch, relative, old,
                                                                           new):
    from site_builder.preview import recompile as recompile_module
    root = desk_site(tmp_path)
    preview = Preview(root, tmp_path / "out")
    assert not preview.rebuild().failed

    def whole(*args, **kwargs):
        raise AssertionError("compiled the whole site for a desk file")
    monkeypatch.setattr(recompile_module, "compile_site", whole)
    replace(root, relative, old, new)
    report = preview.rebuild({relative})
    if "broken" in new:
        assert report.failed and [p.origin.path for p in report.problems if p.is_error] == [relative]
        replace(root, relative, new, old)
        monkeypatch.undo()  # after a failure the preview looks at every file again
        assert not preview.rebuild({relative}).failed  # back as it was: nothing to make again
    else:
        assert not report.failed
        assert ("desk/index.html" if relative == PERSON else "claimants/ann-lee/index.html") in report.written
    monkeypatch.undo()
    fresh = Preview(root, tmp_path / "fresh")
    assert not fresh.rebuild().failed
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "fresh")

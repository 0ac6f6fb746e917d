"""Benchmark `site-builder serve`: incremental rebuild times and save-to-screen latency.

    python bench/serve.py [--root DIR] [--runs N] [--against DIR]

Prints, for the site at ROOT (default: this repository's), the median over N runs of:
- the incremental rebuild (compile from the parse cache, re-render dependants, write changes)
  after editing a claim's summary, a source's title, a template and the stylesheet;
- the time from saving a claim file to a real browser (Debian's Chromium) showing the new
  summary on its article page, through `serve`; with `--against DIR` (another checkout, e.g.
  main's) that tree's `serve` of its own copy of the site is measured too, the two taking turns
  (A B, B A, ...), and the ratio of the medians is printed.
Timings are wall-clock on this machine; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from site_builder.preview.preview import Preview  # noqa: E402


def copy_site(root: Path, target: Path) -> Path:
    for name in ("content", "templates", "assets"):
        shutil.copytree(root / name, target / name)
    return target


def pick(folder: Path, pattern: str) -> Path:
    return sorted(folder.glob(pattern))[0]


def toggle(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    path.write_text(text.replace(old, new, 1) if old in text else text.replace(new, old, 1))


def incremental(root: Path, runs: int) -> dict[str, tuple[float, int]]:
    out = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    preview = Preview(root, out)
    preview.rebuild()
    claim = pick(root / "content/articles", "*/claims/*.yaml")
    source = pick(root / "content/sources", "*.yaml")
    results = time_edits(preview, {
        "claim summary": (claim, "summary: ", "summary: Edited. "),
        "source title": (source, "title: ", "title: Edited "),
        "template (claim.html)": (root / "templates/claim.html", "Our finding", "What we found"),
        "stylesheet": (root / "assets/style.css", "--bg: #fdfdfb;", "--bg: #fefefe;"),
    }, runs)
    shutil.rmtree(out)
    return results


def time_edits(preview: Preview, edits: dict[str, tuple[Path, str, str]], runs: int) -> dict[str, tuple[float, int]]:
    """Each edit made (then undone, in turn) `runs` times: median rebuild seconds, pages rendered."""
    results = {}
    for name, (path, old, new) in edits.items():
        times, pages = [], 0
        for _ in range(runs):
            toggle(path, old, new)
            report = preview.rebuild({path.resolve().relative_to(preview.root).as_posix()})  # as the watcher says
            if report.failed:
                raise RuntimeError(report.problems)
            times.append(report.seconds)
            pages = len(report.rendered)
        results[name] = (statistics.median(times), pages)
    return results


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Side:
    """One tree's `serve` of its own copy of the site (its code, templates and assets), on a port of its own."""

    def __init__(self, name: str, tree: Path, site: Path, folder: Path):
        self.name, self.tree = name, tree
        self.root = copy_site(site, folder / "site")
        self.port = free_port()
        self.log = open(folder / "serve.log", "wb")  # noqa: SIM115 - closed in stop()
        self.server = subprocess.Popen(
            [sys.executable, "-m", "site_builder", "serve", "--root", str(self.root), "--port", str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)})
        self.times: list[float] = []
        deadline = time.monotonic() + 60
        while socket.socket().connect_ex(("127.0.0.1", self.port)) != 0:
            if time.monotonic() > deadline or self.server.poll() is not None:
                raise RuntimeError(f"serve of {tree} did not start: see {folder / 'serve.log'}")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.terminate()
        self.server.wait()
        self.log.close()


def save_to_screen(sides: list[Side], runs: int) -> None:
    """Each side in turn (the first one alternating), `runs` times: from saving a claim to Chromium showing it.

    The page is the first article's, as a reader checks it; the claim is the first of its
    findings, whose summary the page shows. Each measure starts from a freshly loaded page.
    """
    from playwright.sync_api import sync_playwright

    chromium = next(p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium") if os.path.exists(p))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        page = browser.new_page()
        for run in range(runs):
            for side in sides if run % 2 == 0 else sides[::-1]:
                article = pick(side.root / "content/articles", "*/article.yaml").parent
                page.goto(f"http://127.0.0.1:{side.port}/articles/{article.name}/")
                claim_id = page.locator(".finding-list .finding-link").first.get_attribute("href").rstrip("/")
                claim = article / "claims" / f"{claim_id.rsplit('/', 1)[-1]}.yaml"
                page.wait_for_timeout(500)
                original = claim.read_text()
                marker = f"Edited {run} {time.time_ns()}."
                started = time.perf_counter()
                claim.write_text(original.replace("summary: ", f"summary: {marker} ", 1))
                page.wait_for_function("m => document.querySelector('.finding-list').innerText.includes(m)",
                                       arg=marker, polling=5, timeout=10_000)
                side.times.append(time.perf_counter() - started)
                claim.write_text(original)
                page.wait_for_timeout(800)  # the undo's rebuild, out of the next measure
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=REPO)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--against", type=Path, help="another checkout (e.g. main's): its save to screen, "
                                                      "measured alternating with this tree's")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = copy_site(args.root.resolve(), Path(folder) / "site")
        print(f"site: {args.root.resolve()}  (medians of {args.runs} runs; {os.cpu_count()} CPUs)")
        print(f"{'incremental rebuild after editing':40} {'time':>9} {'pages rendered':>15}")
        for name, (seconds, pages) in incremental(root, args.runs).items():
            print(f"{name:40} {seconds * 1000:7.1f} ms {pages:>15}")
        trees = [("this tree", REPO)] + ([("against", args.against.resolve())] if args.against else [])
        sides = []
        try:
            for index, (name, tree) in enumerate(trees):
                site = args.root.resolve() if tree == REPO else tree
                (Path(folder) / f"side{index}").mkdir()
                sides.append(Side(name, tree, site, Path(folder) / f"side{index}"))
            save_to_screen(sides, args.runs)
        finally:
            for side in sides:
                side.stop()
        print("save to screen (Chromium; a claim's summary edited, its article page showing it"
              + (", the trees alternating):" if args.against else "):"))
        for side in sides:
            print(f"  {side.name + ' (' + str(side.tree) + ')':48} {statistics.median(side.times) * 1000:7.1f} ms"
                  f"   (min {min(side.times) * 1000:.0f}, max {max(side.times) * 1000:.0f})")
        if args.against:
            ratio = statistics.median(sides[0].times) / statistics.median(sides[1].times)
            print(f"  {'this tree / against (medians)':48} {ratio:7.2f}x")


if __name__ == "__main__":
    main()

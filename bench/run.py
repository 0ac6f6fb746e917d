"""Benchmark site-builder on synthetic sites of about 1k, 10k and 50k pages.

    python bench/run.py [--sizes 20,200,1000] [--runs 3] [--json] [--workdir /dev/shm]
    python bench/run.py --vs-hugo [--sizes 200,1000] [--runs 3] [--json] [--workdir /dev/shm]

For each size (articles of 50 claims, written by bench/synth.py into a temporary folder)
it prints: pages, clean-build wall time (median of --runs runs, each a fresh
`site-builder build --no-search` process, start-up included), pages per second, peak RSS of
the build's processes together, the time of each stage, the search index on its own, and
incremental figures: for an edit of one claim's summary, one source's title, one article's
title, one template and the stylesheet, the time from the change to the output on disk being
complete and the number of pages rendered again. Nothing is asserted; compare the JSON across
commits.

With --vs-hugo it builds, instead, each size side by side with Hugo and a plain Python builder
on the same synthetic model, alternating, and prints the three builders' figures and the ratios
(bench/vs_hugo.py says how).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from serve import time_edits  # noqa: E402
from synth import write_site  # noqa: E402

STAGE_SCRIPT = """
import gc, json, os, sys, time
from pathlib import Path
gc.disable()
from site_builder.build import build
result = build(Path(sys.argv[1]), Path(sys.argv[2]), search=False, cards=False)
print(json.dumps({"pages": result.pages, "timings": result.timings}), flush=True)
os._exit(0)  # as the site-builder command does (cli.entry)
"""


# Builds run as an installed command does: with its modules' bytecode cached (some machines turn that
# off, which made every build compile site_builder's modules again: 25-90 ms of start-up).
BUILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def peak_memory(command: list[str], watch: bool = True) -> tuple[float, float, float, str]:
    """Wall time, peak RSS and peak PSS (MiB) of the process and its workers together, and stdout.

    RSS counts memory that forked workers share with the parent once per process; PSS
    divides shared pages among the processes that share them, so it adds up to what the
    machine really spends. Reading them walks the processes' page tables, which takes CPU
    from the build: timed runs are made with `watch=False`.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=BUILD_ENV)
    peak_rss = peak_pss = 0.0
    while watch and process.poll() is None:
        rss, pss = _tree_memory(process.pid)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(0.02)
    out, err = process.communicate()
    if process.returncode:
        raise RuntimeError(err[-2000:])
    return time.perf_counter() - started, peak_rss, peak_pss, out


def _tree_memory(pid: int) -> tuple[float, float]:
    """Resident and proportional memory of a process and its children, in MiB (from /proc)."""
    rss = pss = 0
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return 0.0, 0.0
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return rss / 1024, pss / 1024


def clean_builds(site: Path, runs: int) -> dict:
    """`runs` timed builds, then one more whose memory is watched."""
    walls, peaks, psss, stages = [], [], [], []
    for run in range(runs + 1):
        out = site.parent / f"public-{run}"
        watched = run == runs
        wall, peak, pss, output = peak_memory([sys.executable, "-c", STAGE_SCRIPT, str(site), str(out)], watched)
        if watched:
            peaks.append(peak)
            psss.append(pss)
        else:
            walls.append(wall)
            stages.append(json.loads(output.strip().splitlines()[-1]))
        shutil.rmtree(out)
    pages = stages[0]["pages"]
    timings = {name: statistics.median(s["timings"][name] for s in stages) for name in stages[0]["timings"]}
    wall = statistics.median(walls)
    return {"pages": pages, "wall_s": wall, "pages_per_s": pages / wall, "peak_rss_mib": max(peaks),
            "peak_pss_mib": max(psss), "stages_s": timings,
            "repeat_detection_s": timings.get("repeats")}  # possible-repeat notes (output/repeats.py), issue 21


def search_index(site: Path) -> float:
    from site_builder.output.search import index_search
    out = site.parent / "public-search"
    subprocess.run([sys.executable, "-m", "site_builder", "build", "--no-search", "--root", str(site), "--out",
                    str(out)], check=True, capture_output=True)
    started = time.perf_counter()
    problem = index_search(out)
    elapsed = time.perf_counter() - started
    shutil.rmtree(out)
    if problem:
        raise RuntimeError(problem.message)
    return elapsed


def share_cards(site: Path) -> dict:
    """The share cards apart from the pages: milliseconds per card cold, and what one claim edit draws again."""
    from site_builder.build import build
    out, cache = site.parent / "public-cards", site.parent / "cache-cards"
    shutil.rmtree(cache, ignore_errors=True)
    cold = build(site, out, search=False, page_cache=cache)
    claim = sorted((site / "content/articles").glob("*/claims/*.yaml"))[0]
    text = claim.read_text(encoding="utf-8")
    claim.write_text(text.replace("claim: \"", "claim: \"Edited: ", 1), encoding="utf-8")
    again = build(site, out, search=False, page_cache=cache)
    claim.write_text(text, encoding="utf-8")
    shutil.rmtree(out)
    shutil.rmtree(cache, ignore_errors=True)
    return {"cards": len(cold.cards_drawn), "ms_per_card_cold": 1000 * cold.timings["cards"] / len(cold.cards_drawn),
            "drawn_after_one_claim_edit": list(again.cards_drawn), "seconds_after_edit": again.timings["cards"]}


def incremental(site: Path) -> dict:
    from site_builder.preview.preview import Preview
    out = Path(tempfile.mkdtemp(prefix="bench-incremental-", dir=site.parent))
    preview = Preview(site, out)
    preview.rebuild()
    claim = sorted((site / "content/articles").glob("*/claims/*.yaml"))[len(list(site.glob("content/articles/*")))]
    source = sorted((site / "content/sources").glob("*.yaml"))[0]
    results = time_edits(preview, {
        "claim_summary": (claim, "summary: \"", "summary: \"Edited. "),
        "source_title": (source, "title: \"", "title: \"Edited "),
        "article_title": (site / "content/articles/article-00001/article.yaml", "title: \"", "title: \"Edited "),
        "template": (site / "templates/source.html", "Claims citing this source", "Checks citing this source"),
        "stylesheet": (site / "assets/style.css", "--bg: #fdfdfb;", "--bg: #fefefe;"),
    }, 3)
    shutil.rmtree(out)
    return {name: {"seconds": seconds, "pages_rendered": pages} for name, (seconds, pages) in results.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", help="articles per site (50 claims each); default 20,200,1000, or 200,1000 "
                                         "with --vs-hugo")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--no-incremental", action="store_true")
    parser.add_argument("--no-search-index", action="store_true", help="do not time the search index")
    parser.add_argument("--no-cards", action="store_true", help="do not time the share cards")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the sites and their outputs go (default: the system's temporary folder); "
                             "/dev/shm keeps the disk out of the figures (the default with --vs-hugo)")
    parser.add_argument("--vs-hugo", action="store_true",
                        help="build side by side with Hugo and a plain Python builder, alternating")
    args = parser.parse_args()
    if args.vs_hugo:
        import vs_hugo
        vs_hugo.main([int(size) for size in (args.sizes or "200,1000").split(",")], args.runs, args.workdir, args.json)
        return
    args.sizes = args.sizes or "20,200,1000"
    machine = {"cpus": len(os.sched_getaffinity(0)), "python": platform.python_version(),
               "platform": platform.platform(), "workdir": str(args.workdir or tempfile.gettempdir())}
    results = []
    # cache bytecode
    subprocess.run([sys.executable, "-c", "import site_builder.commands.cli"], check=True, env=BUILD_ENV)
    with tempfile.TemporaryDirectory(prefix="site-builder-bench-", dir=args.workdir) as folder:
        for articles in (int(size) for size in args.sizes.split(",")):
            site = Path(folder) / f"site-{articles}"
            write_site(site, articles, 50, 2 * articles)
            row = {"articles": articles, **clean_builds(site, args.runs),
                   "search_index_s": None if args.no_search_index else search_index(site),
                   "cards": None if args.no_cards else share_cards(site)}
            if not args.no_incremental:
                row["incremental"] = incremental(site)
            results.append(row)
            shutil.rmtree(site)
            if not args.json:
                _print_row(row)
    if args.json:
        print(json.dumps({"machine": machine, "results": results}, indent=2))
    else:
        print(f"\n{machine['cpus']} CPUs, Python {machine['python']}, {machine['platform']}; "
              f"medians of {args.runs} clean builds (--no-search), start-up included; in {machine['workdir']}")


def _print_row(row: dict) -> None:
    stages = ", ".join(f"{name} {seconds:.2f}" for name, seconds in row["stages_s"].items())
    print(f"{row['pages']:>6} pages: {row['wall_s']:6.2f} s  {row['pages_per_s']:7.0f} pages/s  "
          f"peak RSS {row['peak_rss_mib']:5.0f} MiB (PSS {row['peak_pss_mib']:4.0f})  "
          + (f"search index {row['search_index_s']:.2f} s" if row["search_index_s"] is not None else ""))
    print(f"        stages (s): {stages}")
    if row.get("cards"):
        cards = row["cards"]
        print(f"        share cards: {cards['cards']} at {cards['ms_per_card_cold']:.1f} ms each cold; "
              f"after one claim edit {len(cards['drawn_after_one_claim_edit'])} drawn "
              f"({', '.join(cards['drawn_after_one_claim_edit'])})")
    if row.get("repeat_detection_s") is not None:
        print(f"        repeat detection: {row['repeat_detection_s']:.3f} s "
              f"({100 * row['repeat_detection_s'] / row['wall_s']:.1f}% of the build)")
    for name, figures in row.get("incremental", {}).items():
        print(f"        incremental {name:14} {figures['seconds'] * 1000:7.1f} ms  "
              f"{figures['pages_rendered']:>6} pages rendered")


if __name__ == "__main__":
    main()

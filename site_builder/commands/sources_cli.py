"""The `sources archive` and `sources check` commands: their options, and what they print."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Site
    from .fetch import FetchPolicy

__all__ = ["add_sources_command", "run_sources"]


def add_sources_command(commands: argparse._SubParsersAction) -> None:
    sources = commands.add_parser("sources", help="archive the cited pages and check their pinpoint quotes",
                                  description="Archive the cited pages (WARC files in archive/) and check "
                                              "their pinpoint quotes.")
    actions = sources.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), help="the site folder (default: .)")
    common.add_argument("--allow-private", action="store_true",
                        help="fetch loopback and private addresses too (tests, intranets); refused by default")
    common.add_argument("--ca-file", help="a PEM file of certificates to trust too (an intranet's own CA)")
    common.add_argument("--timeout", type=float, default=20.0, help="seconds allowed per page (default: 20)")
    common.add_argument("--delay", type=float, default=1.0,
                        help="seconds between two requests to one host (default: 1)")
    common.add_argument("--max-bytes", type=int, default=20 * 1024 * 1024,
                        help="the largest page kept, in bytes (default: 20 MiB)")
    archive = actions.add_parser("archive", parents=[common], help="fetch each source and keep it in archive/",
                                 description="Fetch each source not archived yet and keep it as a WARC file in "
                                             "archive/, with archive/index.json.")
    archive.add_argument("--only", nargs="+", metavar="ID", help="only these source ids")
    archive.add_argument("--refresh", action="store_true", help="fetch again the sources archived already")
    check = actions.add_parser("check", parents=[common], help="fetch each source again and compare with its copy",
                               description="Fetch each source again and compare with its archived copy: "
                                           "ok, changed, moved, gone, unreachable, not-archived.")
    check.add_argument("--format", choices=("table", "json"), default="table")
    check.add_argument("--offline", action="store_true", help="only check the quotes against the archived copies")


def run_sources(args: argparse.Namespace) -> int:
    from ..errors import UsageError
    from .archive import load_site, printable
    from .fetch import Fetcher, FetchPolicy, user_agent
    root: Path = args.root
    if args.timeout <= 0 or args.delay < 0 or args.max_bytes <= 0:
        raise UsageError("--timeout and --max-bytes must be positive, --delay not negative")
    site = load_site(root)
    config = site.config
    policy = FetchPolicy(user_agent(config.base_url), allow_private=args.allow_private, timeout=args.timeout,
                         max_bytes=args.max_bytes, delay=args.delay, robots=config.honour_robots,
                         ca_file=args.ca_file)

    def say(line: str) -> None:
        print(printable(line), flush=True)

    if args.action == "archive":
        return _archive(root, site, policy, args, say)
    from .sources_check import check_sources, format_json, format_table
    if args.offline:
        states = check_sources(root, site, None)
    else:
        with Fetcher(policy) as fetcher:
            states = check_sources(root, site, fetcher)
    print(format_json(states) if args.format == "json" else format_table(states))
    return 1 if any(state.failing for state in states) else 0


def _archive(root: Path, site: Site, policy: FetchPolicy, args: argparse.Namespace,
             say: Callable[[str], None]) -> int:
    from .archive import archive_sources
    from .fetch import Fetcher
    try:
        with Fetcher(policy) as fetcher:
            failed = archive_sources(root, site, fetcher, args.only, args.refresh, say)
    except KeyboardInterrupt:
        print("site-builder: interrupted; every source archived before now is kept in archive/.", file=sys.stderr)
        return 130
    if failed:
        say(f"{failed} source(s) could not be archived; nothing was written for them (see the lines above)")
        return 1
    return 0

"""Command line: parse arguments, call the build, print problems or a summary, exit 0/1/2."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .build import BuildResult, build, verdict_counts
from .errors import BuildFailed, Problem, UsageError, format_problem

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="site-builder",
                                     description="Build an annotated fact-check site from YAML and Markdown.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    build_cmd = commands.add_parser("build", help="validate the content and write the site")
    build_cmd.add_argument("--root", type=Path, default=Path("."), help="the site folder (default: .)")
    build_cmd.add_argument("--out", type=Path, help="the output folder (default: ROOT/public)")
    build_cmd.add_argument("--drafts", action="store_true", help="include claims and pages marked draft")
    build_cmd.add_argument("--no-search", action="store_true", help="skip the search index (Pagefind)")
    check_cmd = commands.add_parser("check", help="validate everything and write nothing")
    check_cmd.add_argument("--root", type=Path, default=Path("."), help="the site folder (default: .)")
    check_cmd.add_argument("--drafts", action="store_true", help="check drafts as if published")
    serve_cmd = commands.add_parser("serve", help="preview the site with drafts, rebuilding on every save")
    serve_cmd.add_argument("--root", type=Path, default=Path("."), help="the site folder (default: .)")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="the port (default: 8000)")
    serve_cmd.add_argument("--open", action="store_true", help="open the preview in a browser")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse has printed its usage message
        return 2 if exit_.code else 0
    try:
        root = args.root
        if not root.is_dir():
            raise UsageError(f"--root {root}: no such folder")
        if args.command == "serve":
            from .serve import serve
            return serve(root, args.host, args.port, args.open)
        started = time.perf_counter()
        result = build(root, getattr(args, "out", None), drafts=args.drafts, write=args.command == "build",
                       search=not getattr(args, "no_search", False))
        elapsed = time.perf_counter() - started
    except UsageError as error:
        print(f"site-builder: error: {error}", file=sys.stderr)
        return error.exit_code
    except BuildFailed as failed:
        _print_problems(failed.problems, args.root)
        errors = sum(1 for problem in failed.problems if problem.is_error)
        print(f"\nFound {errors} error(s); nothing was written" +
              (" and the previous site is untouched." if args.command == "build" else "."), file=sys.stderr)
        return failed.exit_code
    except KeyboardInterrupt:
        print("site-builder: interrupted; the previous site is untouched.", file=sys.stderr)
        return 130
    _print_problems(result.warnings, args.root)
    print(_summary(result, args.command, elapsed))
    return 0


def _print_problems(problems: list[Problem], root: Path) -> None:
    for problem in problems:
        print(format_problem(problem, root.resolve()), file=sys.stderr)


def _summary(result: BuildResult, command: str, elapsed: float) -> str:
    graph = result.graph
    counts = ", ".join(f"{count} {label.lower()}" for label, count in verdict_counts(graph) if count)
    sentences = sum(len(article.text.sentences()) for article in graph.anchored.values())
    checked = sum(len(article.checked_sentences) for article in graph.anchored.values())
    share = f"{100 * checked / sentences:.0f}%" if sentences else "n/a"
    verb = "Built" if command == "build" else "Checked"
    lines = [
        f"{verb} {result.pages} pages in {elapsed * 1000:.0f} ms"
        + (f" -> {result.out}" if command == "build" and result.out else ""),
        f"  claims: {len(graph.claims)}" + (f" ({counts})" if counts else ""),
        f"  sentences checked: {checked} of {sentences} ({share})",
    ]
    if result.warnings:
        lines.append(f"  warnings: {len(result.warnings)}")
    return "\n".join(lines)

"""Command line: parse arguments, call the right stage, print problems or a summary, exit 0/1/2."""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import sys
import time
from pathlib import Path

from ..build import BuildResult, build, compile_site, verdict_counts
from ..content import fields as F
from ..errors import BuildFailed, Problem, SourceLines, UsageError, format_problem, terminal_safe
from ..output.archive_index import ARCHIVE_CODES, archive_summary
from ..parallel.page_cache import DEFAULT_CACHE, clear_cache
from .claims import add_claims_command, run_claims
from .sources_cli import add_sources_command, run_sources
from .warning_summary import split_warnings

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="site-builder",
                                     description="Build an annotated fact-check site from YAML and Markdown.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    def command(name: str, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.add_argument("--root", type=Path, default=Path("."), help="the site folder (default: .)")
        return sub

    build_cmd = command("build", "validate the content and write the site")
    build_cmd.add_argument("--out", type=Path, help="the output folder (default: ROOT/public)")
    build_cmd.add_argument("--drafts", action="store_true", help="include claims and pages marked draft")
    build_cmd.add_argument("--no-search", action="store_true", help="skip the search index (Pagefind)")
    build_cmd.add_argument("--no-cards", action="store_true", help="skip the share cards (og:image PNGs)")
    build_cmd.add_argument("--verbose", action="store_true",
                           help="list every warning, and every source not archived or unverified")
    build_cmd.add_argument("--no-cache", action="store_true",
                           help="render every page; neither read nor write the cache")
    build_cmd.add_argument("--cache-dir", type=Path, help=f"the build cache (default: ROOT/{DEFAULT_CACHE})")
    check_cmd = command("check", "validate everything and write nothing")
    check_cmd.add_argument("--drafts", action="store_true", help="check drafts as if published")
    check_cmd.add_argument("--format", choices=("text", "json"), default="text",
                           help="json: every problem with file, line, column, severity, code and message")
    check_cmd.add_argument("--verbose", action="store_true",
                           help="list every warning, and every source not archived or unverified")
    serve_cmd = command("serve", "preview the site with drafts, rebuilding on every save")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    serve_cmd.add_argument("--port", type=_port, default=8000, help="the port, 1 to 65535 (default: 8000)")
    serve_cmd.add_argument("--open", action="store_true", help="open the preview in a browser")
    coverage_cmd = command("coverage", "list every sentence: checked, deliberately unchecked, or neither")
    coverage_cmd.add_argument("article", nargs="?", help="the article's slug (default: every article)")
    coverage_cmd.add_argument("--strict", action="store_true", help="exit 1 if any sentence is neither")
    drift_cmd = command("drift", "list checked passages whose words changed since the version checked")
    drift_cmd.add_argument("article", nargs="?", help="the article's slug (default: every article)")
    schema_cmd = command("schema", "write JSON Schemas of the authoring files (for editors)")
    schema_cmd.add_argument("--out", type=Path, help="the folder (default: ROOT/schemas)")
    new_cmd = command("new", "start a site, a claim, a source or an article")
    new_cmd.add_argument("kind", choices=("site", "claim", "source", "article"))
    new_cmd.add_argument("target", help="site: the new folder; claim: the article's slug; source: the URL; "
                                        "article: the new slug")
    new_cmd.add_argument("passage", nargs="?", help="claim: the exact passage of the article")
    new_cmd.add_argument("--text", type=Path, help="article: a file with its text (default: standard input)")
    new_cmd.add_argument("--from", dest="from_", metavar="FILE_OR_URL",
                         help="article: import title, publisher, date, authors and text from a saved page or a URL")
    new_cmd.add_argument("--id", dest="id_", metavar="ID", help="claim, source: the id to give it (default: made "
                                                                  "from the passage or the URL)")
    new_cmd.add_argument("--occurrence", type=int, help="claim: which occurrence of the passage (1, 2, ...)")
    new_cmd.add_argument("--title", default="Fact checks", help="site: its title")
    new_cmd.add_argument("--base-url", help="site: its address, ending with / (until given: "
                         f"{F.PLACEHOLDER_BASE_URL}, and every build warns)")
    new_cmd.add_argument("--language", default="en", help="site: its language code (default: en)")
    rename_cmd = command("rename", "give a claim or a source a new id, and update every reference to it")
    rename_cmd.add_argument("kind", choices=("claim", "source"))
    rename_cmd.add_argument("old", help="its id now")
    rename_cmd.add_argument("new", help="the new id")
    theme_cmd = command("theme", "copy the default theme's templates and assets into the site, to edit them")
    theme_cmd.add_argument("action", choices=("copy",))
    theme_cmd.add_argument("files", nargs="*", help="e.g. templates/base.html assets/style.css (default: all)")
    cache_cmd = command("cache", "manage the build cache")
    cache_cmd.add_argument("action", choices=("clear",), help="clear: delete the cache folder")
    cache_cmd.add_argument("--cache-dir", type=Path, help=f"the build cache (default: ROOT/{DEFAULT_CACHE})")
    add_sources_command(commands)
    add_claims_command(commands)
    return parser


def _port(text: str) -> int:
    """A TCP port: a number the system would otherwise silently wrap (99999 listens on 34463)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: choose one from 1 to 65535")
    return port


def entry() -> None:
    """The `site-builder` command: `main`, then exit without tearing the model down.

    Freeing a large site's million objects one by one at interpreter exit takes longer
    than some builds (0.1 s of 0.8 s at 1,100 pages); every file is closed and every
    child process joined by then, so only the output streams need flushing.
    """
    try:
        code = main()
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away (`| head`): nothing more to say, and no traceback
        code = 1
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse has printed its usage message
        return 2 if exit_.code else 0
    try:
        if not args.root.is_dir() and getattr(args, "kind", None) != "site":
            raise UsageError(f"--root {args.root}: no such folder")
        return _run(args)
    except UsageError as error:
        print(terminal_safe(f"site-builder: error: {error}"), file=sys.stderr)
        return error.exit_code
    except BuildFailed as failed:
        if getattr(args, "format", "text") == "json":
            print(_json(failed.problems))
            return failed.exit_code
        _print_problems(failed.problems, args.root, getattr(args, "verbose", False))
        errors = sum(1 for problem in failed.problems if problem.is_error)
        print(f"\nFound {errors} error(s); nothing was written" +
              (" and the previous site is untouched." if args.command == "build" else "."), file=sys.stderr)
        return failed.exit_code
    except KeyboardInterrupt:
        print("site-builder: interrupted; the previous site is untouched.", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    root: Path = args.root
    if args.command == "serve":
        from ..preview.server import serve
        return serve(root, args.host, args.port, args.open)
    if args.command == "new":
        return _new(args)
    if args.command == "rename":
        from .rename import rename
        for change in rename(root, args.kind, args.old, args.new):
            print(terminal_safe(change))
        return 0
    if args.command == "theme":
        from .theme import copy_theme_files
        for path, copied in copy_theme_files(root, args.files):
            print(path if copied else f"{path} exists: left as it is")
        return 0
    if args.command == "schema":
        return _schema(args)
    if args.command == "coverage":
        return _coverage(args)
    if args.command == "drift":
        return _drift(args)
    if args.command == "sources":
        return run_sources(args)
    if args.command == "claims":
        return run_claims(args)
    if args.command == "cache":
        print(terminal_safe(clear_cache(args.cache_dir or root / DEFAULT_CACHE)))
        return 0
    # A build makes many objects that live until it ends: the cyclic collector would only rescan them.
    gc.disable()
    started = time.perf_counter()
    result = build(root, getattr(args, "out", None), drafts=args.drafts, write=args.command == "build",
                   search=not getattr(args, "no_search", False), cards=not getattr(args, "no_cards", False),
                   page_cache=_page_cache(args))
    elapsed = time.perf_counter() - started
    if getattr(args, "format", "text") == "json":
        print(_json(result.warnings))
        return 0
    archived = [problem for problem in result.warnings if problem.code in ARCHIVE_CODES]
    _print_problems(result.warnings if args.verbose else [p for p in result.warnings if p not in archived], root,
                    args.verbose)
    print(_summary(result, args.command, elapsed, 0 if args.verbose else len(archived)))
    summary = None if args.verbose else archive_summary(archived, result.graph.site)
    if summary:
        print(summary)
    return 0


def _page_cache(args: argparse.Namespace) -> Path | None:
    """The build cache folder `build` uses, or None (`check`, `--no-cache`)."""
    if args.command != "build" or args.no_cache:
        return None
    return args.cache_dir or args.root / DEFAULT_CACHE


def _json(problems: list[Problem]) -> str:
    """Every problem as JSON; the C1 controls, which JSON leaves as they are, escaped too (\\u009b)."""
    return _C1.sub(lambda found: f"\\u{ord(found.group()):04x}", json.dumps({"problems": [
        {"file": p.origin.path, "line": p.origin.line or None, "column": p.origin.col or None,
         "severity": p.severity, "code": p.code, "message": p.message, "hint": p.hint or None}
        for p in problems]}, ensure_ascii=False, indent=2))


_C1 = re.compile("[\x7f-\x9f\u2028\u2029]")


def _new(args: argparse.Namespace) -> int:
    from .new import new_article, new_claim, new_source
    root: Path = args.root
    if args.kind == "site":
        from .new_site import new_site
        for written in new_site(root / args.target, args.title, args.base_url or F.PLACEHOLDER_BASE_URL,
                                args.language):
            print(written)
        if args.base_url is None:
            print(f"base_url is {F.PLACEHOLDER_BASE_URL} for now: set it in content/site.yaml to the site's address")
        print(f"A new site in {root / args.target}: build it with site-builder build --root {root / args.target}")
        return 0
    if args.id_ is not None and not F.is_safe_id(args.id_):
        raise UsageError(f"--id {args.id_!r} is not a safe id: use lowercase letters a-z, digits and single "
                         "hyphens, e.g. 'gdp-grew-2-percent'")
    if args.kind == "claim":
        if not args.passage:
            raise UsageError("new claim needs the article's slug and the exact passage, in quotes")
        path, problems = new_claim(root, args.target, args.passage, args.id_, args.occurrence)
        if problems:
            _print_problems(problems, root)
            print("Nothing was written.", file=sys.stderr)
            return 1
    elif args.kind == "source":
        path = new_source(root, args.target, args.id_)
    elif args.from_ is not None:
        from .import_article import import_article
        path = import_article(root, args.target, args.from_)
    else:
        if args.text is not None:
            try:
                text = args.text.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise UsageError(f"cannot read {args.text}: {error}") from None
        else:
            text = sys.stdin.read()
        path = new_article(root, args.target, text)
    print(path)
    if args.kind == "article":  # the text is the other file an author opens next
        print(path.with_name("text.md"))
    return 0


def _schema(args: argparse.Namespace) -> int:
    from ..content.load import load_content
    from ..content.schema import schemas
    from .new import verdict_ids
    verdicts = verdict_ids(load_content(args.root))
    out: Path = args.out or args.root / "schemas"
    out.mkdir(parents=True, exist_ok=True)
    for name, text in schemas(verdicts).items():
        (out / name).write_text(text, encoding="utf-8")
        print(out / name)
    return 0


def _articles(args: argparse.Namespace):  # -> (Graph, list of slugs)
    """The site compiled with drafts, and the article the command names (default: all of them)."""
    graph = compile_site(args.root, drafts=True).graph
    slugs = [args.article] if args.article else list(graph.articles)
    for slug in slugs:
        if slug not in graph.articles:
            raise UsageError(f"no article '{slug}' (articles: {', '.join(graph.articles) or 'none'})")
    return graph, slugs


def _coverage(args: argparse.Namespace) -> int:
    from .coverage import coverage
    graph, slugs = _articles(args)
    neither_total = 0
    marks = {"checked": "+", "unchecked": "-", "neither": "!"}
    for slug in slugs:
        rows = coverage(graph, slug)
        path = graph.articles[slug].text_path
        print(terminal_safe(f"{path}: {len(rows)} sentences"))
        for row in rows:
            detail = ", ".join(row.verdicts) if row.verdicts else row.reason or "NEITHER checked nor listed"
            print(terminal_safe(f"  {marks[row.state]} {row.line:>4}:{row.col:<3} [{detail}] {row.text}"))
        counts = {state: sum(1 for row in rows if row.state == state) for state in marks}
        neither_total += counts["neither"]
        print(f"  {counts['checked']} checked, {counts['unchecked']} unchecked with a reason, "
              f"{counts['neither']} neither")
        drafts = sum(1 for claim_id in graph.by_article[slug] if graph.claims[claim_id].status == "draft")
        if graph.articles[slug].status == "draft":
            print("  the article is a draft: `site-builder build` leaves it out unless --drafts")
        elif drafts:
            print(f"  {drafts} draft claim{'s' if drafts != 1 else ''} counted here: `site-builder build` leaves "
                  f"{'them' if drafts != 1 else 'it'} out unless --drafts")
    return 1 if args.strict and neither_total else 0


def _drift(args: argparse.Namespace) -> int:
    from ..text.reanchor import word_diff
    graph, slugs = _articles(args)
    for slug in slugs:
        drift = graph.anchored[slug].drift
        print(terminal_safe(f"{graph.articles[slug].text_path}: {len(drift)} checked passage(s) changed since "
                            "their check"))
        for claim_id in graph.by_article[slug]:
            for change in drift.get(claim_id, ()):
                print(terminal_safe(f"  {graph.claims[claim_id].origin.path} (checked against {change.version}):"))
                print(terminal_safe(f"    {word_diff(change.before, change.after)}"))
    return 0


def _print_problems(problems: list[Problem], root: Path, verbose: bool = True) -> None:
    """Every error; every warning with `verbose`, else the first few of each code and a line for the rest."""
    lines = SourceLines(root.resolve())  # each file read once for all of its problems
    shown, more = split_warnings(problems, verbose)
    for problem in shown:
        print(format_problem(problem, root.resolve(), lines), file=sys.stderr)
    for line in more:
        print(line, file=sys.stderr)


def _summary(result: BuildResult, command: str, elapsed: float, archived: int = 0) -> str:
    graph = result.graph
    counts = ", ".join(f"{count} {terminal_safe(label.lower())}" for label, count in verdict_counts(graph) if count)
    sentences = sum(len(article.text.sentences()) for article in graph.anchored.values())
    checked = sum(len(article.checked_sentences) for article in graph.anchored.values())
    share = f"{100 * checked / sentences:.0f}%" if sentences else "n/a"
    verb = "Built" if command == "build" else "Checked"
    lines = [
        f"{verb} {result.pages} pages in {elapsed * 1000:.0f} ms"
        + (f" -> {terminal_safe(str(result.out))}" if command == "build" and result.out else ""),
        f"  claims: {len(graph.claims)}" + (f" ({counts})" if counts else ""),
        f"  sentences checked: {checked} of {sentences} ({share})",
    ]
    left_out = graph.site.drafts_left_out
    if any(left_out):
        parts = [f"{count} draft {what}{'s' if count != 1 else ''}"
                 for count, what in zip(left_out, ("article", "claim"), strict=True) if count]
        lines.append(f"  {' and '.join(parts)} not included: use --drafts "
                     "(`site-builder claims --status draft` lists them)")
    drifted = sum(len(article.drift) for article in graph.anchored.values())
    if drifted:
        lines.append(f"  drift: {drifted} checked passage(s) changed since their check (site-builder drift)")
    if len(result.warnings) > archived:  # the archive's warnings have their own line
        lines.append(f"  warnings: {len(result.warnings) - archived}")
    return "\n".join(lines)

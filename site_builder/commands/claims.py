"""`site-builder claims`: the desk's work list, one claim a line, filtered by status, verdict, claimant or name.

It reads the site with drafts, so that the claims a build would refuse (not yet
reviewed) are the ones it can list; `--strict` turns them into exit status 1 for CI.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..build import compile_site
from ..errors import terminal_safe
from ..link import Graph
from ..output.structured import _csv_row

__all__ = ["add_claims_command", "run_claims", "claim_rows"]

COLUMNS = ("id", "article", "verdict", "status", "checked_by", "reviewed_by", "checked", "file")
STATUSES = ("draft", "published", "unreviewed", "all")


def add_claims_command(commands: argparse._SubParsersAction) -> None:
    sub = commands.add_parser("claims", help="list the claims: the desk's work list",
                              description="list the claims: the desk's work list")
    sub.add_argument("--root", type=Path, default=Path("."), help="the site folder (default: .)")
    sub.add_argument("--status", choices=STATUSES, default="all",
                     help="unreviewed: published claims short of site.yaml's `review: {required: N}`")
    sub.add_argument("--verdict", metavar="ID", help="only claims with this verdict")
    sub.add_argument("--claimant", metavar="ID", help="only claims of this claimant (its id)")
    sub.add_argument("--by", metavar="NAME", help="only claims this name checked or reviewed")
    sub.add_argument("--article", metavar="SLUG", help="only the claims of this article")
    sub.add_argument("--format", choices=("table", "json", "csv"), default="table")
    sub.add_argument("--strict", action="store_true", help="exit 1 when any claim is unreviewed")


def _status(graph: Graph, claim_id: str) -> str:
    claim = graph.claims[claim_id]
    if claim.status == "draft":
        return "draft"
    return "unreviewed" if claim_id in graph.desk.unreviewed else "published"


def claim_rows(graph: Graph, args: argparse.Namespace) -> list[dict[str, str]]:
    by = args.by.casefold() if args.by else None
    rows = []
    for claim_id in graph.order:
        claim, status = graph.claims[claim_id], _status(graph, claim_id)
        if args.status != "all" and not (status == args.status or (args.status == "published" and
                                                                   status == "unreviewed")):
            continue
        if (args.verdict and claim.verdict != args.verdict) or (args.article and claim.article != args.article) \
                or (args.claimant and graph.desk.of_claim[claim_id] != args.claimant):
            continue
        if by is not None and by not in {name.casefold() for name in (*claim.checked_by, *claim.reviewed_by)}:
            continue
        rows.append({"id": claim_id, "article": claim.article, "verdict": claim.verdict, "status": status,
                     "checked_by": "; ".join(claim.checked_by), "reviewed_by": "; ".join(claim.reviewed_by),
                     "checked": claim.checked.isoformat() if claim.checked else "", "file": claim.origin.path})
    return rows


def run_claims(args: argparse.Namespace) -> int:
    graph = compile_site(args.root, drafts=True).graph
    rows = claim_rows(graph, args)
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif args.format == "csv":
        print("".join([_csv_row(COLUMNS, header=True)] + [_csv_row(tuple(row.values())) for row in rows]),
              end="")
    else:
        widths = [max([len(name)] + [len(row[name]) for row in rows]) for name in COLUMNS]
        for cells in [dict(zip(COLUMNS, COLUMNS, strict=True)), *rows]:
            print(terminal_safe("  ".join(cells[name].ljust(width) for name, width in zip(COLUMNS, widths,
                                                                                          strict=True)).rstrip()))
    unreviewed = any(_status(graph, claim_id) == "unreviewed" for claim_id in graph.order)
    return 1 if args.strict and unreviewed else 0

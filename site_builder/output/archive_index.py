"""What the build knows of the archived sources: archive/index.json, read from the site's root only.

`sources archive` writes the index; the build only reads it, to tell readers
whether a pinpoint quote was verified in our copy of the page (and when that copy
was made), and to warn the desk about sources with no copy or an unverified
quote. The WARC files themselves are never read here and never published: they
hold other publishers' pages.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from ..errors import Origin, Problem
from ..link import Graph
from ..model import Site

__all__ = ["ArchivedCopy", "read_archive", "archive_problems", "with_archive", "archive_summary", "ARCHIVE_CODES",
           "INDEX_PATH"]

INDEX_PATH = "archive/index.json"
ARCHIVE_CODES = ("source-not-archived", "source-quote-unverified")


@dataclass(frozen=True, slots=True)
class ArchivedCopy:
    source: str
    url: str  # the address that was archived (a source whose url changed since is not archived)
    fetched: date
    found: frozenset[str]  # the pinpoint quotes found in the copy


def with_archive(root: Path, graph: Graph, problems: list[Problem]) -> Graph:
    """The graph with each source's current archived copy; the archive's problems replace any in `problems`.

    (`serve` patches a graph whose problems came from an earlier look at the archive.)
    """
    problems[:] = [problem for problem in problems if problem.code not in (*ARCHIVE_CODES, "archive-index")]
    copies = read_archive(root, problems)
    problems += archive_problems(graph.site, copies)
    archive = {source_id: copy for source_id, source in graph.sources.items()
               if (copy := current(copies, source_id, source.url)) is not None}
    return dataclasses.replace(graph, archive=archive)


def read_archive(root: Path, problems: list[Problem]) -> dict[str, ArchivedCopy]:
    """Source id -> its archived copy; a missing index is an empty archive, a broken one a problem."""
    path = root / INDEX_PATH
    try:
        data = json.loads(path.read_bytes())
        entries = data["sources"]
        copies = {}
        for source_id, entry in entries.items():
            found = frozenset(quote["quote"] for quote in entry.get("quotes", ()) if quote.get("found") is True)
            copies[source_id] = ArchivedCopy(source_id, str(entry["url"]), date.fromisoformat(entry["fetched"][:10]),
                                             found)
        return copies
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        problems.append(Problem(Origin(INDEX_PATH), "archive-index", f"cannot read the archive index: {error}",
                                "restore archive/index.json from git, or run `site-builder sources archive "
                                "--refresh` to write it again"))
        return {}


def archive_problems(site: Site, copies: dict[str, ArchivedCopy]) -> list[Problem]:
    """A problem for each cited source with no copy, and each pinpoint quote not found in its copy.

    Warnings, or errors when site.yaml says `sources: {require_archive: true}`. Only sources that a
    claim cites count: an uncited source needs no copy.
    """
    severity = "error" if site.config.require_archive else "warning"
    sources = {source.id: source for source in site.sources}
    cited: dict[str, list] = {}
    for claim in site.claims:
        for ref in claim.sources:
            cited.setdefault(ref.source, []).append(ref)
    found = []
    for source_id in sorted(cited):
        source = sources.get(source_id)
        if source is None:
            continue
        copy = current(copies, source.id, source.url)
        if copy is None:
            hint = "run `site-builder sources archive` on a connected machine and commit archive/"
            if source.url.startswith("http://"):
                hint += "; this http:// address may answer over https too (`site-builder sources check` says)"
            found.append(Problem(source.origin, "source-not-archived",
                                 f"source '{source.id}' has no archived copy ({source.url})", hint, severity))
            continue
        for ref in cited[source_id]:
            if ref.quote not in copy.found:
                found.append(Problem(ref.origin, "source-quote-unverified",
                                     f"the pinpoint quote is not found in our copy of '{source.id}' "
                                     f"({copy.fetched.isoformat()})",
                                     "copy the passage exactly from the source, then run `site-builder sources "
                                     "archive` again (it re-checks quotes without fetching)", severity))
    return found


def archive_summary(problems: list[Problem], site: Site) -> str | None:
    """The one line `check` prints for the archive's warnings (`--verbose` lists them instead)."""
    unarchived = {PurePosixPath(problem.origin.path).stem for problem in problems
                  if problem.code == "source-not-archived"}  # one warning per source, at its file
    missing = len(unarchived)
    unverified = sum(1 for problem in problems if problem.code == "source-quote-unverified")
    if not missing and not unverified:
        return None
    cited = {ref.source for claim in site.claims for ref in claim.sources}
    plain_http = sum(1 for source in site.sources if source.id in cited and source.url.startswith("http://"))
    waiting = sum(1 for claim in site.claims for ref in claim.sources if ref.quote and ref.source in unarchived)
    line = (f"  archive: {missing} of {len(cited)} cited source(s) not archived, so {waiting} pinpoint quote(s) "
            f"in them cannot be verified yet; {unverified} not found in our copy (--verbose lists them; "
            "site-builder sources archive)")
    if plain_http:
        line += f"; {plain_http} use http:// (site-builder sources check says which answer over https)"
    return line


def current(copies: dict[str, ArchivedCopy], source_id: str, url: str) -> ArchivedCopy | None:
    """The copy of a source, if it is of the source's present address."""
    copy = copies.get(source_id)
    return copy if copy is not None and copy.url == url else None

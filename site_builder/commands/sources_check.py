"""`sources check`: fetch each archived source again and say whether it still supports its quotes.

States, worst first: `gone` (404/410), `changed` (the page answers but a quote
found in our copy is no longer in it: drift), `moved` (redirected elsewhere),
`unreachable` (DNS, TLS, timeout, refused), `not-archived`, `ok`. Apart from
the state, a pinpoint quote that was never in our copy is `quote-not-in-archive`
(a wrong quote). With `offline`, only the quotes are checked against the copies.
Nothing is written: the archive changes only through `sources archive`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..model import Site, Source
from .archive import archived_text, cited_quotes, decoded_body, extract_text, match_quote, printable, read_index
from .fetch import Fetcher, FetchFailed

__all__ = ["SourceState", "check_sources", "format_table", "format_json", "FAILING"]

FAILING = ("changed", "gone")  # with any quote-not-in-archive: exit 1


@dataclass
class SourceState:
    id: str
    url: str
    state: str  # ok, changed, moved, gone, unreachable, not-archived, or "archived" (offline)
    detail: str = ""
    final_url: str | None = None
    status: int | None = None
    wrong_quotes: list[tuple[str, str]] = field(default_factory=list)  # (claim, quote) never in our copy
    lost_quotes: list[tuple[str, str]] = field(default_factory=list)  # in our copy, gone from the page
    https: str | None = None  # an http:// source's https address, when it answers there

    @property
    def failing(self) -> bool:
        return self.state in FAILING or bool(self.wrong_quotes)


def check_sources(root: Path, site: Site, fetcher: Fetcher | None) -> list[SourceState]:
    """Every source's state; `fetcher` None: offline, the quotes against the archived copies only."""
    entries = read_index(root)
    quotes = cited_quotes(site)
    states = []
    for source in sorted(site.sources, key=lambda source: source.id):
        entry = entries.get(source.id)
        text = archived_text(root, entry) if entry is not None and entry.get("url") == source.url else None
        state = SourceState(source.id, source.url, "archived" if fetcher is None else "ok")
        if text is None:
            state.state = "not-archived"
            state.detail = "no copy in archive/: run `site-builder sources archive`" if entry is None else \
                "the copy in archive/ is missing or of another address: run `site-builder sources archive`"
        else:
            found_before = []
            for claim_id, quote in quotes[source.id]:
                if match_quote(text, quote)[0] == "not-found":
                    state.wrong_quotes.append((claim_id, quote))
                else:
                    found_before.append((claim_id, quote))
            if fetcher is not None:
                _compare(state, source, entry or {}, found_before, fetcher)
        if fetcher is not None and urlsplit(source.url).scheme == "http" and state.state != "unreachable":
            state.https = _https_twin(source.url, fetcher)
        states.append(state)
    return states


def _compare(state: SourceState, source: Source, entry: dict[str, Any], found_before: list[tuple[str, str]],
             fetcher: Fetcher) -> None:
    try:
        fetched = fetcher.get(source.url)
    except FetchFailed as failure:
        state.state, state.detail = "unreachable", failure.message
        return
    state.final_url, state.status = fetched.final_url, fetched.status
    if fetched.status in (404, 410):
        state.state, state.detail = "gone", f"{fetched.final_url} answered {fetched.status} {fetched.reason}"
        return
    if not 200 <= fetched.status < 300:
        state.state, state.detail = "unreachable", f"{fetched.final_url} answered {fetched.status} {fetched.reason}"
        return
    text = extract_text(decoded_body(fetched.body, fetched.headers), fetched.content_type)
    state.lost_quotes = [(claim, quote) for claim, quote in found_before if match_quote(text, quote)[0] == "not-found"]
    archived_final = entry.get("final_url") or source.url
    if state.lost_quotes:
        state.state = "changed"
        state.detail = f"{len(state.lost_quotes)} quote(s) found in our copy are no longer in the page"
    elif not _same_page(fetched.final_url, archived_final):
        state.state, state.detail = "moved", f"now redirected to {fetched.final_url}"
    else:
        state.state = "ok"
        state.detail = "the pinpoint quotes are still found" if found_before else "answers as archived"


def _same_page(now: str, before: str) -> bool:
    """The same address, or the same one over https (a site that moved to https has not moved the page)."""
    def key(url: str) -> tuple[str, str, str]:
        parts = urlsplit(url)
        return (parts.netloc.lower(), parts.path or "/", parts.query)
    return key(now) == key(before)


def _https_twin(url: str, fetcher: Fetcher) -> str | None:
    twin = urlunsplit(urlsplit(url)._replace(scheme="https"))
    try:
        fetched = fetcher.get(twin)
    except FetchFailed:
        return None
    return twin if 200 <= fetched.status < 300 else None


def format_table(states: list[SourceState]) -> str:
    """One line per source (and one per wrong or lost quote), then the counts."""
    lines = []
    for state in states:
        detail = f" {printable(state.detail)}" if state.detail else ""
        lines.append(f"{state.state:<13} {state.id}{detail}")
        for claim_id, quote in state.wrong_quotes:
            lines.append(f"  quote-not-in-archive: claim {claim_id}: \"{printable(quote)}\" is not in our copy")
        for claim_id, quote in state.lost_quotes:
            lines.append(f"  changed: claim {claim_id}: \"{printable(quote)}\" is no longer in the page")
        if state.https:
            lines.append(f"  hint: the page also answers over https: {printable(state.https)}")
    counts: dict[str, int] = {}
    for state in states:
        counts[state.state] = counts.get(state.state, 0) + 1
    wrong = sum(len(state.wrong_quotes) for state in states)
    https = sum(1 for state in states if state.https)
    summary = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
    lines.append(f"{len(states)} sources: {summary}" + (f"; {wrong} quote(s) not in our copy" if wrong else "")
                 + (f"; {https} http:// source(s) also answer over https" if https else ""))
    return "\n".join(lines)


def format_json(states: list[SourceState]) -> str:
    return json.dumps({"sources": [
        {"id": state.id, "url": state.url, "state": state.state, "detail": state.detail,
         "final_url": state.final_url, "status": state.status, "https": state.https,
         "quote_not_in_archive": [{"claim": c, "quote": q} for c, q in state.wrong_quotes],
         "changed_quotes": [{"claim": c, "quote": q} for c, q in state.lost_quotes]}
        for state in states]}, ensure_ascii=False, indent=2)

"""`sources archive`: keep a copy of every cited page, and check each pinpoint quote against it.

Each source's response is kept as a WARC file, `archive/<id>-<date>.warc.gz`: the
response record holds the exact bytes served, and a conversion record beside it
the text extracted from them (trafilatura for HTML, pypdf for PDF), which the
offsets in `archive/index.json` refer to. Quotes are matched with the article
quotes' own matcher (`anchor.find_in_text`), so "found" means the same thing on
both sides. The index is rewritten atomically after every source, so an
interrupted run keeps everything it finished.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import re
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BuildFailed
from ..model import Site, Source
from ..text.anchor import find_in_text
from .fetch import Fetched, Fetcher, FetchFailed

__all__ = ["ARCHIVE", "INDEX", "QuoteResult", "cited_quotes", "match_quote", "extract_text", "read_index",
           "write_index", "write_warc", "read_warc", "archive_sources", "load_site", "quote_results", "printable"]

ARCHIVE = "archive"
INDEX = "index.json"
_FORMAT = 1


@dataclass(frozen=True, slots=True)
class QuoteResult:
    claim: str
    quote: str
    found: bool
    match: str  # exact, folded, not-found
    start: int | None
    end: int | None

    def as_json(self) -> dict[str, Any]:
        return {"claim": self.claim, "quote": self.quote, "found": self.found, "match": self.match,
                "start": self.start, "end": self.end}


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text for a terminal: control characters (escape sequences, bidi overrides) shown as \\uXXXX, never run.

    Author quotes and everything a server sends (reason phrases, addresses) pass through here.
    """
    return _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def load_site(root: Path) -> Site:
    """The site's sources and claims (drafts too: their quotes are archived before they publish)."""
    from ..content.load import load_content
    from ..content.validate import validate
    site, problems = validate(load_content(root), drafts=True)
    if site is None or any(problem.is_error for problem in problems):
        raise BuildFailed(sorted(problems))
    return site


def cited_quotes(site: Site) -> dict[str, list[tuple[str, str]]]:
    """Source id -> (claim id, pinpoint quote) for every citation of every claim."""
    found: dict[str, list[tuple[str, str]]] = {source.id: [] for source in site.sources}
    for claim in sorted(site.claims, key=lambda claim: claim.id):
        for ref in claim.sources:
            found.setdefault(ref.source, []).append((claim.id, ref.quote))
    return found


def match_quote(text: str, quote: str) -> tuple[str, int | None, int | None]:
    """(exact | folded | not-found, start, end): the first match by the article quotes' rules."""
    matches = find_in_text(text, quote)
    if not matches:
        return "not-found", None, None
    start, end = matches[0]
    return ("exact" if text[start:end] == quote.strip() else "folded"), start, end


def quote_results(text: str, quotes: list[tuple[str, str]]) -> list[QuoteResult]:
    results = []
    for claim_id, quote in quotes:
        match, start, end = match_quote(text, quote)
        results.append(QuoteResult(claim_id, quote, match != "not-found", match, start, end))
    return results


def extract_text(body: bytes, content_type: str) -> str:
    """The words of a page: its main text for HTML (trafilatura), the text of a PDF (pypdf), or plain text."""
    if content_type == "application/pdf" or body.startswith(b"%PDF-"):
        return _pdf_text(body)
    if content_type in ("text/plain", "text/markdown", "text/csv"):
        return body.decode("utf-8", "replace")
    import trafilatura
    with contextlib.redirect_stderr(io.StringIO()):
        text = trafilatura.extract(body, favor_recall=True, include_comments=False, include_tables=True,
                                   deduplicate=False)
        if not text:  # a page too short or too odd for a main text: all of its text, still never run
            text = trafilatura.html2txt(body)
    return text or ""


def _pdf_text(body: bytes) -> str:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(body))
        return "\n\n".join((page.extract_text() or "") for page in reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return ""


def decoded_body(fetched_body: bytes, headers: tuple[tuple[str, str], ...]) -> bytes:
    """The body as the page meant it: the stored bytes are the ones served, perhaps still compressed."""
    encoding = next((value.strip().lower() for name, value in headers if name.lower() == "content-encoding"), "")
    try:
        if encoding in ("gzip", "x-gzip"):
            return gzip.decompress(fetched_body)
        if encoding == "deflate":
            return zlib.decompress(fetched_body)
    except (OSError, zlib.error, EOFError):
        return b""
    return fetched_body


def read_index(root: Path) -> dict[str, dict[str, Any]]:
    """Source id -> its entry in archive/index.json; empty when there is none yet."""
    path = root / ARCHIVE / INDEX
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise _index_error(path, error) from None
    sources = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(sources, dict):
        raise _index_error(path, ValueError("no 'sources' mapping"))
    return {key: value for key, value in sources.items() if isinstance(value, dict)}


def _index_error(path: Path, error: Exception) -> Exception:
    from ..errors import UsageError
    return UsageError(f"{path}: cannot read the archive index ({error}); restore it from git, or delete it "
                      "and run `site-builder sources archive --refresh`")


def write_index(root: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Write archive/index.json atomically: a reader sees the old index or the new one, never half."""
    data = json.dumps({"format": _FORMAT, "sources": dict(sorted(entries.items()))}, ensure_ascii=False,
                      indent=2) + "\n"
    _atomic_write(root / ARCHIVE / INDEX, data.encode("utf-8"))


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_warc(path: Path, fetched: Fetched, text: str) -> None:
    """The response (exact bytes served) and the extracted text as a conversion record, gzipped, atomically."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    date = fetched.fetched.strftime("%Y-%m-%dT%H:%M:%SZ")
    # The body is stored de-chunked, so a Transfer-Encoding header would misdescribe it.
    headers = [(name, value) for name, value in fetched.headers if name.lower() != "transfer-encoding"]
    protocol = fetched.http_version if fetched.http_version.startswith("HTTP/") else "HTTP/1.1"
    http_headers = StatusAndHeaders(f"{fetched.status} {fetched.reason}".strip(), headers, protocol=protocol)
    response = writer.create_warc_record(fetched.final_url, "response", payload=io.BytesIO(fetched.body),
                                         length=len(fetched.body), http_headers=http_headers,
                                         warc_headers_dict={"WARC-Date": date})
    writer.write_record(response)
    words = text.encode("utf-8")
    conversion = writer.create_warc_record(
        fetched.final_url, "conversion", payload=io.BytesIO(words), length=len(words),
        warc_content_type="text/plain; charset=utf-8",
        warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": response.rec_headers.get_header("WARC-Record-ID")})
    writer.write_record(conversion)
    _atomic_write(path, buffer.getvalue())


def read_warc(path: Path) -> tuple[bytes, str]:
    """(the response's exact body, the extracted text) of a WARC file this module wrote."""
    from warcio.archiveiterator import ArchiveIterator
    body, text = b"", ""
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response":
                body = record.content_stream().read()
            elif record.rec_type == "conversion":
                text = record.content_stream().read().decode("utf-8", "replace")
    return body, text


def _entry(source: Source, fetched: Fetched, warc: str, text: str, quotes: list[QuoteResult]) -> dict[str, Any]:
    return {"url": source.url, "final_url": fetched.final_url, "status": fetched.status,
            "content_type": fetched.content_type, "fetched": fetched.fetched.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "sha256": hashlib.sha256(fetched.body).hexdigest(), "bytes": len(fetched.body),
            "text_chars": len(text), "warc": warc, "quotes": [quote.as_json() for quote in quotes]}


def archived_text(root: Path, entry: dict[str, Any]) -> str | None:
    """The extracted text kept in a source's WARC file; None when the file is missing."""
    name = entry.get("warc")
    if not isinstance(name, str) or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = root / ARCHIVE / name
    if not path.is_file():
        return None
    return read_warc(path)[1]


def archive_sources(root: Path, site: Site, fetcher: Fetcher, only: list[str] | None, refresh: bool,
                    say: Callable[[str], None]) -> int:
    """Archive each source not archived yet (all of them with `refresh`); return how many failed."""
    entries = read_index(root)
    quotes = cited_quotes(site)
    failed = 0
    for source in _chosen(site, only):
        entry = entries.get(source.id)
        text = archived_text(root, entry) if entry is not None and entry.get("url") == source.url else None
        if text is not None and not refresh:
            assert entry is not None
            entry["quotes"] = [quote.as_json() for quote in quote_results(text, quotes[source.id])]
            entries[source.id] = entry
            write_index(root, entries)  # the quotes may have been edited since: checked again, offline
            say(f"kept: {source.id} (archived {entry.get('fetched', '?')[:10]}){_missing(entry)}")
            continue
        try:
            fetched = fetcher.get(source.url)
        except FetchFailed as failure:
            failed += 1
            say(f"{failure.kind}: {source.id}: {failure.message}")
            continue
        if not 200 <= fetched.status < 300:
            failed += 1
            kind = "gone" if fetched.status in (404, 410) else "unreachable"
            say(f"{kind}: {source.id}: {fetched.final_url} answered {fetched.status} {fetched.reason}")
            continue
        text = extract_text(decoded_body(fetched.body, fetched.headers), fetched.content_type)
        results = quote_results(text, quotes[source.id])
        name = f"{source.id}-{fetched.fetched:%Y-%m-%d}.warc.gz"
        write_warc(root / ARCHIVE / name, fetched, text)
        entries[source.id] = _entry(source, fetched, name, text, results)
        write_index(root, entries)
        moved = f", redirected to {fetched.final_url}" if fetched.redirects else ""
        say(f"archived: {source.id} ({fetched.status}, {fetched.content_type or 'no type'}, "
            f"{len(fetched.body):,} bytes{moved}) -> {ARCHIVE}/{name}{_missing(entries[source.id])}")
    return failed


def _missing(entry: dict[str, Any]) -> str:
    missing = [quote for quote in entry.get("quotes", []) if not quote.get("found")]
    return f"; {len(missing)} quote(s) not found in it" if missing else ""


def _chosen(site: Site, only: list[str] | None) -> Iterator[Source]:
    from ..errors import UsageError
    ids = {source.id for source in site.sources}
    unknown = [source_id for source_id in only or () if source_id not in ids]
    if unknown:
        raise UsageError(f"no source {', '.join(repr(s) for s in unknown)} (the ids are the file names in "
                         "content/sources/)")
    for source in sorted(site.sources, key=lambda source: source.id):
        if not only or source.id in only:
            yield source

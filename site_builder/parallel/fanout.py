"""Stages 1-2 of a large build: claim files read, parsed and validated in worker processes.

Claim files are nearly all of a large site (10,000 of its 10,800 files at 10.7k pages),
and each is checked on its own once the site's scale and sources are known. So the
parent loads everything else, then it and forked workers each take articles in turn;
the workers send back their claims validated (where `validate` will find them
remembered) and their files without parse trees. The result is exactly what
`load_content` and `validate` give in one process (a test compares the two).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import replace
from pathlib import Path

from ..content.checks import remembered_article, remembered_claim, scale_and_sources
from ..content.load import RawContent, RawFile, file_digest, load_all_but_claims, load_content, parse_file, reader
from ..errors import Origin, Problem
from ..model import Claim, Markdown, SiteConfig, SourceRef, Update
from .forked import piece_size, shared_out
from .parsed_cache import Entry, ParsedCache, checked_against
from .pickling import by_fields

__all__ = ["load_site", "load_and_remember", "claims_context", "remember_claims", "FAN_OUT_FROM"]

FAN_OUT_FROM = 500  # claim files; below this (the Karlov site: 111), starting workers costs more than they save

by_fields(RawFile, Problem, Origin, Claim, Markdown, SourceRef, Update)  # what the workers send back

ClaimContext = tuple[SiteConfig | None, set[str], int]  # the scale, the source ids, and a hash of both
# what every worker needs: it inherits it in the fork
_Job = tuple[Path, RawContent, bool, ClaimContext, ParsedCache | None]


def load_site(root: Path, drafts: bool, workers: int, cache: dict[str, RawFile] | None = None,
              records: dict | None = None, parsed: ParsedCache | None = None) -> tuple[RawContent, dict | None, int]:
    """`load_content`, or for a large build the same shared out: (the content, `validate`'s records, the
    processes to anchor it with).

    A build (no `cache`, no `records` of its own) with many claim files and several `workers`
    loads and validates its claims in that many processes, and anchors in as many; anything
    else is loaded here, as `load_content` alone would. With the build cache's `parsed` files,
    every build loads that way (in one process when small), so that unchanged claim files are
    taken from it.
    """
    if cache is None and records is None and (parsed is not None or workers > 1):
        large = workers > 1 and claim_files(root) >= FAN_OUT_FROM
        if large or parsed is not None:
            raw, remembered = load_and_remember(root, drafts, workers if large else 1, parsed)
            return raw, remembered, workers if large else 1
    return load_content(root, cache), records, 1


def claim_files(root: Path) -> int:
    """How many claim files the site has, counted from the folders alone."""
    count = 0
    with contextlib.suppress(OSError):
        for article in os.scandir(root / "content" / "articles"):
            with contextlib.suppress(OSError):
                count += len(os.listdir(os.path.join(article.path, "claims")))
    return count


def load_and_remember(root: Path, drafts: bool, workers: int, parsed: ParsedCache | None = None
                      ) -> tuple[RawContent, dict]:
    """The site's content, and the validated claims to pass to `validate` as its `records`.

    With `parsed` (the build cache's), a claim file whose bytes, article and context are
    unchanged is taken from it instead of parsed and checked again.
    """
    base, claim_paths = load_all_but_claims(root)
    records: dict = {}
    job = (root, base, drafts, claims_context(base, records), parsed)  # the scale and sources, once for all
    items = sorted(claim_paths.items())
    results = shared_out(len(items), piece_size(len(items), workers), workers,
                         lambda start, stop: [_claims_of(job, item) for item in items[start:stop]])
    articles = {slug: dict(files) for slug, files in base.articles.items()}
    problems = list(base.problems)
    for slug, files, found, remembered, ignored in results:
        articles[slug].update(("claims/" + file.path.rsplit("/", 1)[1], file) for file in files)
        problems += found
        records.update(remembered)
        if parsed is not None and ignored:
            parsed.ignored.append(ignored)
    if parsed is not None:
        parsed.forget_others(set(claim_paths))
    return RawContent(base.site, articles, base.sources, base.pages, tuple(problems)), records


def _claims_of(job: _Job, item: tuple[str, list[str]]) -> tuple[str, list[RawFile], list[Problem], dict, str]:
    """One article's claim files: read, parsed, validated; returned without their parse trees (and why the
    build cache's parsed files of the article were ignored, if they were)."""
    root, base, drafts, against, parsed = job
    slug, paths = item
    problems: list[Problem] = []
    records: dict = {}
    kept, ignored, prefix, token = _kept(parsed, base, slug, drafts, against, records)
    hits: dict[str, Entry] = {}

    def parse(path: str, data: bytes) -> RawFile:
        entry = kept.get(path)
        if entry is not None and entry[1] == prefix:
            digest = file_digest(data)
            if entry[0] == digest:
                hits[path] = entry
                return RawFile(path, digest, "", None, problems=entry[2])
        return parse_file(path, data)

    read = reader(root, None, problems, parse if kept else parse_file)
    files = [file for path in paths if (file := read(path)) is not None]
    for path, entry in hits.items():
        records[("claim", path, entry[0], token, against[2])] = entry[3]
    remember_claims(base, slug, files, against, drafts=drafts, records=records)
    claims = {key: value for key, value in records.items() if key[0] == "claim"}
    if parsed is not None and prefix and (len(hits) != len(files) or len(kept) != len(hits)):
        parsed.store(slug, {file.path: (file.digest, prefix, file.problems, claims[key]) for file in files
                            if (key := ("claim", file.path, file.digest, token, against[2])) in claims})
    bare = [file if file.data is None and not file.text else replace(file, data=None, text="") for file in files]
    return slug, bare, problems, claims, ignored


def _kept(parsed: ParsedCache | None, base: RawContent, slug: str, drafts: bool, against: ClaimContext,
          records: dict) -> tuple[dict[str, Entry], str, str, tuple]:
    """The build cache's entries for one article's claims, why they were ignored, what they must have been
    checked against, and the article's token; nothing when the article is not checked (invalid, a draft)."""
    if parsed is None:
        return {}, "", "", ()
    config, source_ids, _ = against
    token, article = remembered_article(records, slug, base.articles[slug], drafts, [])
    if article is None:
        return {}, "", "", token
    kept, ignored = parsed.entries(slug)
    return kept, ignored, checked_against(token, config, source_ids), token


def claims_context(raw: RawContent, records: dict) -> ClaimContext:
    """The scale and the source ids every claim is checked against, validated once into `records`.

    For a build that validates claim files in worker processes (`fanout`): the parent
    calls this before the workers start, and hands the result to each `remember_claims`.
    """
    config, _, source_ids, context = scale_and_sources(records, raw, [])  # their problems: reported by `validate`
    return config, source_ids, context


def remember_claims(raw: RawContent, slug: str, claim_files: list[RawFile], against: ClaimContext, *,
                    drafts: bool, records: dict) -> None:
    """Validate one article's claim files into `records`, where `validate` will find them.

    `raw` is the site without its claim files; `against` is `claims_context(raw)`, so
    the sources are not looked at again for every article.
    """
    found: list[Problem] = []  # remembered with each claim, and reported by `validate`
    config, source_ids, context = against
    token, article = remembered_article(records, slug, raw.articles[slug], drafts, found)
    if article is not None:
        for file in claim_files:
            remembered_claim(records, file, article, token, config, source_ids, context, found, {})

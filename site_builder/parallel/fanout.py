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
from ..content.load import RawContent, RawFile, load_all_but_claims, load_content, reader
from ..errors import Origin, Problem
from ..model import Claim, Markdown, SiteConfig, SourceRef, Update
from .forked import piece_size, shared_out
from .pickling import by_fields

__all__ = ["load_site", "load_and_remember", "claims_context", "remember_claims", "FAN_OUT_FROM"]

FAN_OUT_FROM = 500  # claim files; below this (the Karlov site: 111), starting workers costs more than they save

by_fields(RawFile, Problem, Origin, Claim, Markdown, SourceRef, Update)  # what the workers send back

ClaimContext = tuple[SiteConfig | None, set[str], int]  # the scale, the source ids, and a hash of both
_Job = tuple[Path, RawContent, bool, ClaimContext]  # what every worker needs: it inherits it in the fork


def load_site(root: Path, drafts: bool, workers: int, cache: dict[str, RawFile] | None = None,
              records: dict | None = None) -> tuple[RawContent, dict | None, int]:
    """`load_content`, or for a large build the same shared out: (the content, `validate`'s records, the
    processes to anchor it with).

    A build (no `cache`, no `records` of its own) with many claim files and several `workers`
    loads and validates its claims in that many processes, and anchors in as many; anything
    else is loaded here, as `load_content` alone would.
    """
    if workers > 1 and cache is None and records is None and claim_files(root) >= FAN_OUT_FROM:
        raw, remembered = load_and_remember(root, drafts, workers)
        return raw, remembered, workers
    return load_content(root, cache), records, 1


def claim_files(root: Path) -> int:
    """How many claim files the site has, counted from the folders alone."""
    count = 0
    with contextlib.suppress(OSError):
        for article in os.scandir(root / "content" / "articles"):
            with contextlib.suppress(OSError):
                count += len(os.listdir(os.path.join(article.path, "claims")))
    return count


def load_and_remember(root: Path, drafts: bool, workers: int) -> tuple[RawContent, dict]:
    """The site's content, and the validated claims to pass to `validate` as its `records`."""
    base, claim_paths = load_all_but_claims(root)
    records: dict = {}
    job = (root, base, drafts, claims_context(base, records))  # the scale and sources, once for all
    items = sorted(claim_paths.items())
    results = shared_out(len(items), piece_size(len(items), workers), workers,
                         lambda start, stop: [_claims_of(job, item) for item in items[start:stop]])
    articles = {slug: dict(files) for slug, files in base.articles.items()}
    problems = list(base.problems)
    for slug, files, found, remembered in results:
        articles[slug].update(("claims/" + file.path.rsplit("/", 1)[1], file) for file in files)
        problems += found
        records.update(remembered)
    return RawContent(base.site, articles, base.sources, base.pages, tuple(problems)), records


def _claims_of(job: _Job, item: tuple[str, list[str]]) -> tuple[str, list[RawFile], list[Problem], dict]:
    """One article's claim files: read, parsed, validated; returned without their parse trees."""
    root, base, drafts, against = job
    slug, paths = item
    problems: list[Problem] = []
    read = reader(root, None, problems)
    files = [file for path in paths if (file := read(path)) is not None]
    records: dict = {}
    remember_claims(base, slug, files, against, drafts=drafts, records=records)
    claims = {key: value for key, value in records.items() if key[0] == "claim"}
    return slug, [replace(file, data=None, text="") for file in files], problems, claims


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

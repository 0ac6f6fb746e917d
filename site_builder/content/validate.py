"""Stage 2, validate: raw parsed files -> the frozen `Site`, and every problem found.

Field-level rules live in `fields`; this module adds what needs more than one
value: ids from file names, references between files (verdicts, sources,
related claims), uniqueness, drafts, and links inside Markdown. Nothing raises:
an invalid file is reported and left out, so one run reports everything.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import Origin, Problem
from ..model import Article, Claim, Site
from .checks import checked_pages, file_stem, remembered_article, remembered_claim, scale_and_sources, unknown
from .load import RawContent

__all__ = ["validate"]


def validate(raw: RawContent, *, drafts: bool = False,
             records: dict | None = None) -> tuple[Site | None, list[Problem]]:
    """`records` remembers validated files by content across calls (`serve`); a build starts afresh."""
    records = records if records is not None else {}
    problems: list[Problem] = list(raw.problems)
    for file in raw.files():
        problems.extend(file.problems)

    config, sources, source_ids, context = scale_and_sources(records, raw, problems)
    articles: list[Article] = []
    claims: list[Claim] = []
    claim_paths: dict[str, str] = {}
    related_origins: dict[tuple[str, str], Origin] = {}
    # Claims not checked: in a draft article left out (never linked, like a draft claim), or in a file or an
    # article with errors of its own, reported once (not again by every claim listing them as related).
    unchecked_ids: set[str] = set()
    draft_articles = draft_claims = 0  # left out without --drafts: counted, so a summary can say so
    for slug, files in raw.articles.items():
        token, article = remembered_article(records, slug, files, True, problems)
        if article is not None and article.status == "draft" and not drafts:
            draft_articles += 1
            draft_claims += sum(1 for name in files if name.startswith("claims/"))
            article = None
        if article is None:
            unchecked_ids.update(file_stem(name) for name in files if name.startswith("claims/"))
            continue
        articles.append(article)
        for name, file in files.items():
            if not name.startswith("claims/"):
                continue
            claim = remembered_claim(records, file, article, token, config, source_ids, context, problems,
                                     related_origins)
            if claim is None:
                unchecked_ids.add(file_stem(name))
                continue
            if claim.id in claim_paths:
                problems.append(Problem(Origin(file.path), "duplicate-id",
                                        f"claim id '{claim.id}' is already used by {claim_paths[claim.id]}",
                                        "claim ids (file names) must be unique across the site: rename one file"))
                continue
            claim_paths[claim.id] = file.path
            claims.append(claim)
    pages = checked_pages(records, raw.pages, problems)

    all_claim_ids = set(claim_paths) | unchecked_ids
    if not drafts:
        draft_claims += sum(1 for claim in claims if claim.status != "published")
        claims = [claim for claim in claims if claim.status == "published"]
        pages = [page for page in pages if page.status == "published"]
    kept_ids = {claim.id for claim in claims}
    checked_claims = []
    for claim in claims:
        related = []
        for other in claim.related:
            where = related_origins.get((claim.id, other), claim.origin)
            if other == claim.id:
                problems.append(Problem(where, "related-self", "a claim cannot be related to itself",
                                        "remove this id from `related`"))
            elif other not in all_claim_ids:
                problems.append(unknown(where, "related", other, all_claim_ids - {claim.id}, "claim"))
            elif other in kept_ids:  # a draft that is left out is silently not linked
                related.append(other)
        related_ids = tuple(dict.fromkeys(related))
        # Unchanged claims stay the same object, so later stages can find their results by identity.
        checked_claims.append(claim if related_ids == claim.related else replace(claim, related=related_ids))

    errors = [problem for problem in problems if problem.is_error]
    if config is None or errors:
        return None, problems
    site = Site(config, tuple(sorted(articles, key=lambda a: a.slug)),
                tuple(sorted(checked_claims, key=lambda c: c.id)), tuple(sorted(sources, key=lambda s: s.id)),
                tuple(sorted(pages, key=lambda p: p.slug)), (draft_articles, draft_claims))
    return site, problems

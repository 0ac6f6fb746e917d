"""`serve`'s `patch`: one saved file validated again against a site that was valid before.

Each gives what `validate` would give for the file, with the records `serve` keeps across
rebuilds, provided the saved file keeps its id (and a claim its related claims and status).
"""

from __future__ import annotations

from ..content.checks import context_of, remembered_article, remembered_claim, remembered_source
from ..content.load import RawContent, RawFile
from ..errors import Origin, Problem
from ..memo import Memos
from ..model import Article, Claim, Site, Source

__all__ = ["revalidate_claim", "revalidate_article", "revalidate_source"]


def revalidate_claim(raw: RawContent, file: RawFile, site: Site, records: dict, memos: Memos
                     ) -> tuple[Claim | None, list[Problem]]:
    """One claim file validated again against an already valid `site` (with drafts), for `serve`'s `patch`.

    Gives what `validate` would give for this file, provided the claim keeps its id, its
    related claims and its status: the other files' ids and the site's sources are then
    what they were.
    """
    problems: list[Problem] = list(file.problems)
    slug = file.path.split("/")[2]
    token, article = remembered_article(records, slug, raw.articles[slug], True, [])
    if article is None:
        return None, problems
    source_ids, context = _claim_context(site, memos)
    origins: dict[tuple[str, str], Origin] = {}
    claim = remembered_claim(records, file, article, token, site.config, source_ids, context, problems, origins)
    return claim, problems


def revalidate_article(raw: RawContent, slug: str, records: dict) -> tuple[Article | None, list[Problem]]:
    """An article's own files validated again (with drafts), for `serve`'s `patch`."""
    files = raw.articles[slug]
    problems: list[Problem] = [problem for name, file in files.items() if not name.startswith("claims/")
                               for problem in file.problems]
    return remembered_article(records, slug, files, True, problems)[1], problems


def revalidate_source(file: RawFile, records: dict) -> tuple[Source | None, list[Problem]]:
    """One source file validated again, for `serve`'s `patch`: what `validate` would give for it."""
    problems: list[Problem] = list(file.problems)
    return remembered_source(records, file, problems), problems


def _claim_context(site: Site, memos: Memos) -> tuple[set[str], int]:
    """`scale_and_sources`'s source ids and context, from a valid site."""
    def make() -> tuple[set[str], int]:
        ids = {source.id for source in site.sources}
        return ids, context_of(site.config, ids)
    return memos.claim_contexts.get((site.config, site.sources), make)

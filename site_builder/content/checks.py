"""Each content file checked into its model object, remembered by what it is made from.

`validate` (and, for `serve` and a large build, preview/revalidate.py and parallel/fanout.py)
calls these with `records`: the validated files and claims by content, a dict the caller
owns. A build passes a fresh one; `serve` keeps one across rebuilds, so a file that did
not change is not checked again. Field-level rules live in `fields`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TypeVar

from ..errors import Origin, Problem
from ..model import (
    Article,
    Claim,
    Markdown,
    Page,
    Publisher,
    SiteConfig,
    Source,
    SourceRef,
    UncheckedPassage,
    Update,
    Verdict,
    Version,
)
from . import fields as F
from .load import RawContent, RawFile

__all__ = ["file_stem", "scale_and_sources", "remembered_source", "remembered_article", "remembered_claim",
           "context_of", "checked_pages", "unknown", "RESERVED_PAGE_SLUGS"]

RESERVED_PAGE_SLUGS = {"articles", "claims", "claimants", "desk", "sources", "verdicts", "tags", "assets", "search",
                       "pagefind", "404", "index", "feed", "sitemap", "robots"}
_SHIFT_PAGE, _SHIFT_SECTION = 1, 2  # page bodies sit under the h1; claim bodies and notes under an h2


def scale_and_sources(records: dict, raw: RawContent, problems: list[Problem]
                       ) -> tuple[SiteConfig | None, list[Source], set[str], int]:
    site_file = raw.site
    # An empty or comment-only site.yaml parses to nothing without a problem: `_site_config` reports it.
    config = _remembered(records, ("site", site_file.path, site_file.digest), partial(_site_config, records, site_file),
                         problems) if site_file and (site_file.data is not None or not site_file.problems) else None
    sources, broken = [], set()
    for file in raw.sources:
        source = remembered_source(records, file, problems)
        if source is not None:
            sources.append(source)
        else:  # its own errors are reported: citing it is not a second mistake to report
            broken.add(file_stem(file.path))
    source_ids = {source.id for source in sources} | broken
    return config, sources, source_ids, context_of(config, source_ids)


def remembered_source(records: dict, file: RawFile, problems: list[Problem]) -> Source | None:
    return _remembered(records, ("source", file.path, file.digest), partial(_source, records, file), problems)


def context_of(config: SiteConfig | None, source_ids: set[str]) -> int:
    """What a claim's validation depends on besides its own file: the scale and the sources that exist."""
    return hash((tuple((v.id, v.rating) for v in config.verdicts) if config else (), tuple(sorted(source_ids))))


def remembered_article(records: dict, slug: str, files: dict[str, RawFile], drafts: bool, problems: list[Problem]
                        ) -> tuple[tuple, Article | None]:
    """The article (None if invalid, or a draft left out) and its token: what its claims are checked against."""
    # An article is made from its own files (not its claims): remembered by their digests.
    token = ("article", slug, tuple((name, file.digest) for name, file in files.items()
                                    if not name.startswith("claims/")))
    article = _remembered(records, token, partial(_article, records, slug, files), problems)
    if article is not None and article.status == "draft" and not drafts:
        return token, None
    return token, article


T = TypeVar("T")


def file_stem(path: str) -> str:
    """`PurePosixPath(path).stem` of a path as load writes it, without making a path object for every file."""
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _remembered(records: dict, key: tuple, make: Callable[[list[Problem]], T], problems: list[Problem]) -> T:
    """`make(found)`, remembered by `key` (what it reads, by content) with the problems it found."""
    if key not in records:
        found: list[Problem] = []
        records[key] = (make(found), tuple(found))
    value: T
    value, found_before = records[key]
    problems.extend(found_before)
    return value


def _read(records: dict, file: RawFile, fields: tuple[F.Field, ...], what: str, problems: list[Problem],
          line: int = 1) -> F.Record | None:
    """`fields.read_record`, remembered per file content: `serve` re-validates only what changed."""
    key = (file.path, file.digest, what)
    if key not in records:
        found: list[Problem] = []
        records[key] = (F.read_record(file.data, fields, Origin(file.path, line, 1), found, what), found)
    record, found = records[key]
    problems.extend(found)
    return record


def _site_config(records: dict, file: RawFile, problems: list[Problem]) -> SiteConfig | None:
    record = _read(records, file, F.SITE, "site.yaml", problems)
    if record is None:
        return None
    verdicts = []
    seen: dict[str, Origin] = {}
    for item in record.get("verdicts", []):
        if item is None or not {"id", "label", "description"} <= set(item.values):
            continue
        verdict = Verdict(item.get("id"), item.get("label"), item.get("description"), item.get("rating"),
                          item.origin)
        if verdict.id is None or verdict.label is None or verdict.description is None:
            continue
        if verdict.id in seen:
            problems.append(Problem(item.at("id"), "duplicate-id",
                                    f"verdict id '{verdict.id}' is already defined on line {seen[verdict.id].line}",
                                    "give each verdict its own id"))
            continue
        seen[verdict.id] = item.origin
        verdicts.append(verdict)
    if "verdicts" in record.values and not verdicts:
        problems.append(Problem(record.at("verdicts"), "no-verdicts", "the rating scale has no valid verdict",
                                "list verdicts with id, label, description and rating"))
    publisher = record.get("publisher")
    required = ("title", "base_url", "language", "description")
    if publisher is None or not verdicts or any(record.get(name) is None for name in required):
        return None
    if publisher.get("name") is None or publisher.get("url") is None:
        return None
    base_url, language = record.get("base_url"), record.get("language")
    if base_url == F.PLACEHOLDER_BASE_URL:
        problems.append(Problem(record.at("base_url"), "placeholder-text",
                                f"base_url is still {base_url}, which `new site` wrote: shared links, the feed and "
                                "the sitemap would point there", "set base_url to the address the site is published at",
                                severity="warning"))
    region = re.fullmatch(r"([a-z]{2,3})-([A-Za-z]{2})", language)
    rules = record.get("sources")
    return SiteConfig(record.get("title"), base_url if base_url.endswith("/") else base_url + "/",
                      language, record.get("description"),
                      Publisher(publisher.get("name"), publisher.get("url")), tuple(verdicts), record.origin,
                      f"{region[1]}_{region[2].upper()}" if region else "",
                      bool(rules and rules.get("require_archive", False)),
                      bool(rules.get("honour_robots", True)) if rules else True,
                      record.get("timeout", 30),
                      record.get("review").get("required", 0) if record.get("review") else 0)


def _file_id(file: RawFile, problems: list[Problem], what: str) -> str | None:
    stem = file_stem(file.path)
    if F.is_safe_id(stem):
        return stem
    problems.append(Problem(Origin(file.path), "bad-id", f"the file name '{stem}' is not a safe {what} id",
                            "rename the file using lowercase letters a-z, digits and single hyphens"))
    return None


def _source(records: dict, file: RawFile, problems: list[Problem]) -> Source | None:
    source_id = _file_id(file, problems, "source")
    if file.data is None and file.problems:
        return None
    record = _read(records, file, F.SOURCE, "a source", problems)
    if source_id is None or record is None or any(record.get(n) is None for n in ("title", "publisher",
                                                                                   "url", "kind")):
        return None
    return Source(source_id, record.get("title"), record.get("publisher"), record.get("url"),
                  record.get("published"), record.get("kind"), record.get("archived_url"),
                  record.get("language"), record.origin)


def _article(records: dict, slug: str, files: dict[str, RawFile], problems: list[Problem]) -> Article | None:
    folder = f"content/articles/{slug}"
    if not F.is_safe_id(slug):
        problems.append(Problem(Origin(folder), "bad-id", f"the folder name '{slug}' is not a safe article slug",
                                "rename the folder using lowercase letters a-z, digits and single hyphens"))
        return None
    meta, text = files.get("article.yaml"), files.get("text.md")
    for name, file in (("article.yaml", meta), ("text.md", text)):
        if file is None:
            problems.append(Problem(Origin(f"{folder}/{name}"), "missing-file", f"{folder} has no {name}",
                                    "every article folder holds article.yaml and text.md"))
    if meta is None or text is None or (meta.data is None and meta.problems) or text.problems:
        return None
    if text.data is not None:
        problems.append(Problem(Origin(text.path, 1, 1), "front-matter",
                                "text.md holds only the article's text, not front matter",
                                "move these fields to article.yaml"))
        return None
    record = _read(records, meta, F.ARTICLE, "article.yaml", problems)
    if record is None or any(record.get(name) is None for name in ("title", "publisher", "summary")):
        return None
    if not text.text.strip():
        problems.append(Problem(Origin(text.path, 1, 1), "empty-file", "text.md is empty",
                                "paste the article's text, one paragraph per block"))
        return None
    control = F.find_direction_override(text.text)
    if control is not None:
        line = text.text.count("\n", 0, control) + 1
        col = control - (text.text.rfind("\n", 0, control) + 1) + 1
        problems.append(Problem(Origin(text.path, line, col), "bidi-control",
                                f"the text contains an invisible direction override (U+{ord(text.text[control]):04X}) "
                                "that can make it display differently from what it says",
                                "delete the invisible character"))
        return None
    unchecked = tuple(UncheckedPassage(item.get("quote"), item.get("reason"), item.get("occurrence"), item.at("quote"))
                      for item in record.get("unchecked", []) if item is not None and item.get("quote")
                      and item.get("reason"))
    notes = _markdown(record.get("notes", ""), record.at("notes"), _SHIFT_SECTION, problems)
    versions = _versions(records, files, problems)
    return Article(slug, record.get("title"), record.get("publisher"), record.get("url"), record.get("published"),
                   tuple(record.get("authors", [])), record.get("summary"), notes, unchecked,
                   record.get("status"), text.text, text.path, 1, record.get("captured"), versions, record.origin,
                   record.get("finding", ""), record.get("archived_url"))


def _versions(records: dict, files: dict[str, RawFile], problems: list[Problem]) -> tuple[Version, ...]:
    """versions/DATE.md: earlier snapshots of the text, each with optional front matter."""
    versions = []
    for name, file in sorted(files.items()):
        if not name.startswith("versions/") or file.problems:
            continue
        stem = file_stem(name)
        try:
            when = date.fromisoformat(stem) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", stem) else None
        except ValueError:
            when = None
        if when is None:
            problems.append(Problem(Origin(file.path), "bad-version-name",
                                    f"a version is named by the date it was captured, not '{stem}'",
                                    "rename it versions/YYYY-MM-DD.md"))
            continue
        record = _read(records, file, F.VERSION, "the version's front matter", problems, line=2) if file.data else None
        text = file.body if file.data is not None else file.text
        versions.append(Version(when, text, file.path, file.body_line if file.data is not None else 1,
                                record.get("archived_url") if record else None, Origin(file.path)))
    return tuple(versions)


def remembered_claim(records: dict, file: RawFile, article: Article, article_token: tuple, config: SiteConfig | None,
                      source_ids: set[str], context: int, problems: list[Problem],
                      related_origins: dict[tuple[str, str], Origin]) -> Claim | None:
    """`_claim`, remembered per file content, article (by its files) and context across `serve`'s rebuilds."""
    def make(found: list[Problem]) -> tuple[Claim | None, tuple[tuple[tuple[str, str], Origin], ...]]:
        origins: dict[tuple[str, str], Origin] = {}
        return _claim(records, file, article, config, source_ids, found, origins), tuple(origins.items())

    claim, origins = _remembered(records, ("claim", file.path, file.digest, article_token, context), make, problems)
    for pair, where in origins:
        related_origins.setdefault(pair, where)
    return claim


def _claim(records: dict, file: RawFile, article: Article, config: SiteConfig | None, source_ids: set[str],
           problems: list[Problem], related_origins: dict[tuple[str, str], Origin]) -> Claim | None:
    claim_id = _file_id(file, problems, "claim")
    if file.data is None and file.problems:
        return None
    record = _read(records, file, F.CLAIM, "a claim", problems)
    if claim_id is None or record is None:
        return None
    verdict_id = record.get("verdict")
    verdicts = {verdict.id: verdict for verdict in config.verdicts} if config else {}
    verdict = verdicts.get(verdict_id)
    if verdict_id is not None and config is not None and verdict is None:
        problems.append(unknown(record.at("verdict"), "verdict", verdict_id, set(verdicts), "verdict"))
    citations = []
    for item in record.get("sources", []):
        if item is None or item.get("source") is None or item.get("quote") is None:
            continue
        if item.get("source") not in source_ids:
            problems.append(unknown(item.at("source"), "source", item.get("source"), source_ids, "source"))
            continue
        citations.append(SourceRef(item.get("source"), item.get("quote"), item.get("note", ""), item.origin,
                                   item.get("translation", "")))
    if verdict is not None and verdict.rated and "sources" not in record.values:
        problems.append(Problem(record.origin, "missing-sources",
                                f"verdict '{verdict.id}' is rated, so the claim must cite sources",
                                "add `sources:` with at least one `{source: id, quote: ...}`"))
    body = _markdown(record.get("body", ""), record.at("body"), _SHIFT_SECTION, problems)
    updates = tuple(Update(item.get("date"), item.get("note"), item.origin)
                    for item in record.get("updates", []) if item is not None and item.get("date")
                    and item.get("note"))
    for other, where in zip(record.get("related", []), record.item_origins.get("related", []), strict=False):
        related_origins.setdefault((claim_id, other), where)
    required = ("quote", "claim", "verdict", "summary")
    if any(record.get(name) is None for name in required) or verdict is None:
        return None
    return Claim(claim_id, article.slug, record.get("quote"), record.get("occurrence"), record.get("claim"),
                 record.get("claimant"), verdict_id, record.get("summary"), body, tuple(citations),
                 tuple(dict.fromkeys(record.get("tags", []))), tuple(record.get("related", [])),
                 record.get("checked"), record.get("status"), tuple(sorted(updates, key=lambda u: u.date)),
                 _version_of(record, article, problems), record.origin, record.at("quote"), record.at("claim"),
                 tuple(record.get("checked_by", [])), tuple(record.get("reviewed_by", [])), record.get("reviewed"),
                 record.get("repeat_of"), tuple((name, record.at(name)) for name in _DESK_FIELDS
                                                if name in record.values))


_DESK_FIELDS = ("claimant", "checked_by", "reviewed_by", "repeat_of")


def _version_of(record: F.Record, article: Article, problems: list[Problem]) -> date | None:
    when = record.get("version")
    if when is None or when in {v.date for v in article.versions} or when == article.captured:
        return None if when is None or when == article.captured else when
    known = ", ".join(str(v.date) for v in article.versions) or "none"
    problems.append(Problem(record.at("version"), "unknown-version",
                            f"there is no version {when} of this article (versions: {known})",
                            f"add content/articles/{article.slug}/versions/{when}.md, or fix the date"))
    return None


def checked_pages(records: dict, files: list[RawFile], problems: list[Problem]) -> list[Page]:
    pages = []
    for file in files:
        slug = _file_id(file, problems, "page")
        if file.problems:
            continue
        if slug in RESERVED_PAGE_SLUGS:
            problems.append(Problem(Origin(file.path), "reserved-slug",
                                    f"the page name '{slug}' is reserved for the site's own pages",
                                    "rename the file"))
            continue
        if file.data is None:
            problems.append(Problem(Origin(file.path, 1, 1), "missing-front-matter",
                                    "a page starts with front matter between two `---` lines",
                                    "add `---`, `title: ...`, `description: ...`, `---` at the top"))
            continue
        record = _read(records, file, F.PAGE, "the page's front matter", problems, line=2)
        if slug is None or record is None or record.get("title") is None or record.get("description") is None:
            continue
        body = _markdown(file.body, Origin(file.path, file.body_line, 1), _SHIFT_PAGE, problems) or \
            Markdown("", Origin(file.path, file.body_line, 1), _SHIFT_PAGE)
        pages.append(Page(slug, record.get("title"), record.get("description"), body, record.get("status"),
                          record.origin, record.get("form")))
        if record.get("status") == "published":
            problems += _placeholders(file)
    return pages


def _placeholders(file: RawFile) -> list[Problem]:
    """The `TODO:` lines `new site` writes into about, methodology and corrections, still there when published."""
    return [Problem(Origin(file.path, file.body_line + number, line.find("TODO") + 1), "placeholder-text",
                    "this line is still a TODO left for the desk to write", "write it, or delete the line",
                    severity="warning")
            for number, line in enumerate(file.body.split("\n")) if line.lstrip("# ").startswith("TODO")]


def _markdown(text: str, where: Origin, shift: int, problems: list[Problem]) -> Markdown | None:
    """Markdown is rendered (and its links checked) by the render stage, which runs in parallel."""
    if not text:
        return None
    control = F.find_direction_override(text)
    if control is not None:
        problems.append(Problem(where, "bidi-control", f"the text contains an invisible direction override "
                                f"(U+{ord(text[control]):04X})", "delete the invisible character"))
    return Markdown(text, where, shift)


def unknown(where: Origin, field: str, value: str, known: set[str], what: str) -> Problem:
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    if what == "source":  # a source is a file: say which one is missing, and how to start it
        start = f"start it with `site-builder new source URL --id {value}`"
        hint = f"did you mean '{close[0]}'? If not, {start}" if close else start
        return Problem(where, "unknown-source", f"there is no content/sources/{value}.yaml for source '{value}'",
                       hint)
    hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(sorted(known)[:12])}" if known else \
        f"there is no other {what} yet: write it first, or remove this id"
    return Problem(where, f"unknown-{what}", f"unknown {what} '{value}' in '{field}'", hint)

"""The content model: plain frozen data passed from stage to stage.

Everything that came from a file keeps its `Origin`, so any later stage can still
point an author at the line to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .errors import Origin

__all__ = [
    "Markdown", "Verdict", "Publisher", "SiteConfig", "Source", "SourceRef", "Update", "Claim",
    "UncheckedPassage", "Version", "Article", "Page", "Site",
]


@dataclass(frozen=True, slots=True)
class Markdown:
    """Author Markdown, rendered when a page shows it (so rendering runs in the parallel stage)."""

    text: str
    origin: Origin
    heading_shift: int  # 1: under a page's h1; 2: under an h2 section


@dataclass(frozen=True, slots=True)
class Verdict:
    id: str
    label: str
    description: str
    rating: int | None  # 1 (worst) .. 5 (best); None = not rated (opinion, not checkable)
    origin: Origin

    @property
    def rated(self) -> bool:
        return self.rating is not None


@dataclass(frozen=True, slots=True)
class Publisher:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str
    base_url: str  # always ends with "/"
    language: str
    description: str
    publisher: Publisher
    verdicts: tuple[Verdict, ...]
    origin: Origin
    locale: str = ""  # Open Graph's ll_CC form of `language` when it names a region (en-GB: en_GB), else ""
    require_archive: bool = False  # sources: an unarchived source or unverified quote is an error
    honour_robots: bool = True  # sources archive: robots.txt is obeyed
    timeout: int = 30  # seconds a page may take to render
    review_required: int = 0  # sign-off: reviewers (other than its checkers) a published claim needs


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    publisher: str
    url: str
    published: date | None
    kind: str
    archived_url: str | None
    language: str | None
    origin: Origin


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A claim's citation of a source, with the pinpoint passage of the source it relies on."""

    source: str
    quote: str
    note: str
    origin: Origin
    translation: str = ""  # the quote in the site's language, when the source is in another


@dataclass(frozen=True, slots=True)
class Update:
    date: date
    note: str
    origin: Origin


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    article: str  # the article's slug
    quote: str
    occurrence: int | str | None  # None: exactly one match expected; N: the Nth; "all": every one
    claim: str
    claimant: str | None
    verdict: str
    summary: str
    body: Markdown | None
    sources: tuple[SourceRef, ...]
    tags: tuple[str, ...]
    related: tuple[str, ...]
    checked: date | None
    status: str
    updates: tuple[Update, ...]
    version: date | None  # the snapshot the check was made against; None: the current text
    origin: Origin
    quote_origin: Origin
    claim_origin: Origin
    # The desk's record (desk.py, signoff.py): who checked and reviewed it, and the earlier check it repeats.
    checked_by: tuple[str, ...] = ()
    reviewed_by: tuple[str, ...] = ()
    reviewed: date | None = None
    repeat_of: str | None = None
    desk_origins: tuple[tuple[str, Origin], ...] = ()  # field name -> its line, for the desk's problems


@dataclass(frozen=True, slots=True)
class UncheckedPassage:
    quote: str
    reason: str
    occurrence: int | str | None
    origin: Origin


@dataclass(frozen=True, slots=True)
class Version:
    """An earlier snapshot of an article's text (versions/DATE.md), kept because checks refer to it."""

    date: date
    text: str
    path: str
    text_line: int
    archived_url: str | None
    origin: Origin


@dataclass(frozen=True, slots=True)
class Article:
    slug: str
    title: str
    publisher: str
    url: str | None
    published: date | None
    authors: tuple[str, ...]
    summary: str
    notes: Markdown | None  # what was left out of the text and why, shown on the article page
    unchecked: tuple[UncheckedPassage, ...]
    status: str
    text: str  # text.md as written
    text_path: str
    text_line: int  # the line of text.md where `text` starts (1 unless it has front matter)
    captured: date | None  # when the current text was captured
    versions: tuple[Version, ...]  # earlier snapshots, oldest first
    origin: Origin
    finding: str = ""  # one sentence, in our words, on what the check found; leads the article page
    archived_url: str | None = None  # an archived copy of the original, linked beside `url`


@dataclass(frozen=True, slots=True)
class Page:
    slug: str
    title: str
    description: str
    body: Markdown
    status: str
    origin: Origin
    form: str | None = None  # a form after the text: "correction-request" (Netlify Forms)


@dataclass(frozen=True, slots=True)
class Site:
    config: SiteConfig
    articles: tuple[Article, ...]
    claims: tuple[Claim, ...]
    sources: tuple[Source, ...]
    pages: tuple[Page, ...]
    drafts_left_out: tuple[int, int] = (0, 0)  # (articles, claims) marked draft and left out of this build

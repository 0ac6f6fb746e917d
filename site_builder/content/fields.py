"""What each authoring file may hold: one declarative description, read by the validator.

Each file kind is a tuple of `Field`s. `read_record` turns a parsed YAML mapping
into plain Python values field by field, reporting every unknown key (with a
did-you-mean), missing field, wrong type and malformed value as a `Problem`
with the value's own line. Keeping the rules as data means the reference tables
of docs/authoring.md and editor schemas can be generated from the same place
(commands/reference.py, commands/schema.py).
"""

from __future__ import annotations

import calendar
import difflib
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import Origin, Problem
from ..safety import (
    SAFE_ID,
    find_control_character,
    find_direction_override,
    has_user_before_host,
    is_safe_id,
    is_web_url,
)
from .yamltree import NULLS, YMap, YNode, YScalar, YSeq

__all__ = ["Field", "Record", "read_record", "SITE", "ARTICLE", "CLAIM", "SOURCE", "PAGE", "CLAIMANT", "PERSON",
           "SOURCE_KINDS", "SAFE_ID", "is_safe_id", "is_web_url", "has_user_before_host",
           "find_direction_override", "find_control_character"]

SOURCE_KINDS = ("official-statement", "transcript", "document", "data", "reference", "news-report",
                "agency-report", "academic", "video", "social-media", "archive")
STATUSES = ("published", "draft")
PLACEHOLDER_BASE_URL = "https://example.org/"  # what `new site` writes when no --base-url is given

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_INT = re.compile(r"^[0-9]{1,6}$")


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: str  # line, text, markdown, date, url, id, language, int, flag, enum, occurrence, list, record
    doc: str
    required: bool = False
    choices: tuple[str, ...] = ()
    item: Field | None = None  # what a list holds
    fields: tuple[Field, ...] = ()  # what a record holds
    minimum: int = 0
    maximum: int = 999999
    default: Any = None


@dataclass
class Record:
    """A mapping read against its fields: values, and where each came from."""

    values: dict[str, Any]
    origins: dict[str, Origin]
    origin: Origin
    item_origins: dict[str, list[Origin]] = field(default_factory=dict)  # a list field -> each kept item's line

    def get(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name)
        return default if value is None else value

    def at(self, name: str) -> Origin:
        return self.origins.get(name, self.origin)


def read_record(node: YNode | None, fields: tuple[Field, ...], origin: Origin, problems: list[Problem],
                what: str) -> Record | None:
    """Read `node` as a mapping of `fields`; None when it is not a mapping at all."""
    if node is None or (isinstance(node, YScalar) and node.is_null):
        problems.append(Problem(origin, "empty-file", f"{what} is empty", _expected_fields(fields)))
        return None
    if not isinstance(node, YMap):
        problems.append(Problem(node.origin, "wrong-type", f"{what} must be a mapping of `field: value` lines",
                                _expected_fields(fields)))
        return None
    known = {spec.name: spec for spec in fields}
    record = Record({}, {}, node.origin)
    values, origins = record.values, record.origins
    for key, value in node.items.items():
        spec = known.get(key)
        if spec is None:
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else _expected_fields(fields)
            problems.append(Problem(node.keys[key], "unknown-field", f"unknown field '{key}' in {what}", hint))
            continue
        origins[key] = value.origin
        if type(value) is YScalar:  # most values: read here, without the calls a list or a record needs
            if not value.quoted and value.value in NULLS:  # YScalar.is_null, without the property call
                if spec.required:  # present but empty: point at the line to fill in
                    problems.append(Problem(node.keys[key], "empty-value", f"'{key}' is empty in {what}",
                                            f"fill it in ({spec.doc})"))
                    values[key] = None
                continue  # an empty optional value counts as absent
            values[key] = _read_value(value, spec, problems) if spec.kind in _NOT_SCALAR else \
                _read_scalar(value, spec, problems)
            continue
        values[key] = kept = _read_value(value, spec, problems)
        if isinstance(kept, list) and isinstance(value, YSeq) and len(kept) == len(value.items):
            record.item_origins[key] = [item.origin for item in value.items]
    for spec in fields:
        if spec.required and spec.name not in values:
            problems.append(Problem(node.origin, "missing-field", f"{what} has no '{spec.name}'",
                                    f"add `{spec.name}:` ({spec.doc})"))
        if spec.default is not None and values.get(spec.name) is None:
            values[spec.name] = spec.default
    return record


_NOT_SCALAR = frozenset(("list", "record"))


def _expected_fields(fields: tuple[Field, ...]) -> str:
    return "expected fields: " + ", ".join(spec.name for spec in fields)


def _read_value(node: YNode, spec: Field, problems: list[Problem]) -> Any:
    if spec.kind == "list":
        assert spec.item is not None
        if isinstance(node, YScalar) and spec.item.kind in ("line", "id"):
            node = YSeq([node], node.origin)  # `tags: one` is read as `tags: [one]`
        if not isinstance(node, YSeq):
            problems.append(Problem(node.origin, "wrong-type", f"'{spec.name}' must be a list",
                                    f"write each item on its own line starting with '- ' ({spec.doc})"))
            return None
        item = spec.item
        if item.kind in _NOT_SCALAR:
            items = [_read_value(value, item, problems) for value in node.items]
        else:
            items = [_read_scalar(value, item, problems) if type(value) is YScalar else
                     _read_value(value, item, problems) for value in node.items]
        return items if None not in items else [item for item in items if item is not None]
    if spec.kind == "record":
        return read_record(node, spec.fields, node.origin, problems, f"'{spec.name}'")
    if not isinstance(node, YScalar):
        problems.append(Problem(node.origin, "wrong-type", f"'{spec.name}' must be a single value, not a "
                                f"{'list' if isinstance(node, YSeq) else 'mapping'}", spec.doc))
        return None
    return _read_scalar(node, spec, problems)


def _read_scalar(node: YScalar, spec: Field, problems: list[Problem]) -> Any:
    control = find_control_character(node.value)  # before strip(): it drops some controls at the ends
    if control is not None:
        problems.append(Problem(node.origin, "control-character", f"'{spec.name}' contains an invisible control "
                                f"character (U+{ord(node.value[control]):04X})", "remove it: in double quotes, an "
                                "escape such as \\0, \\e or \\x1b writes one"))
        return None
    value = node.value.strip()
    kind = spec.kind
    # Most values are text in ASCII, which holds no direction override: kept without the checks below.
    if value and value.isascii() and (kind == "text" or kind == "markdown" or kind == "line" and "\n" not in value):
        return value
    return _read_checked(value, node.origin, spec, problems)


def _read_checked(value: str, where: Origin, spec: Field, problems: list[Problem]) -> Any:
    """A stripped value without control characters, read as its field's kind."""
    name = spec.name

    def bad(code: str, message: str, hint: str) -> None:
        problems.append(Problem(where, code, message, hint))

    if not value:
        bad("empty-value", f"'{name}' is empty", f"write a value, or remove the line ({spec.doc})")
        return None
    control = find_direction_override(value)
    if control is not None:
        bad("bidi-control", f"'{name}' contains an invisible direction override (U+{ord(value[control]):04X}) "
            "that can make text display differently from what it says", "delete the invisible character")
        return None
    if spec.kind in ("line", "text", "markdown"):
        if spec.kind == "line" and "\n" in value:
            bad("multi-line", f"'{name}' must fit on one line", "join the lines")
            return None
        return value
    if spec.kind == "date":
        try:
            if _DATE.match(value):
                return date.fromisoformat(value)
        except ValueError:
            bad("bad-date", f"'{name}' is not a day of the calendar: '{value}'", _no_such_day(value))
            return None
        bad("bad-date", f"'{name}' is not a valid date: '{value}'", "write a date as YYYY-MM-DD, e.g. 2016-12-19")
        return None
    if spec.kind == "url":
        if not is_web_url(value):
            bad("unsafe-url", f"'{name}' is not an http(s) URL: '{value}'",
                "write a full address starting with https:// (or http://)")
            return None
        if has_user_before_host(value):
            bad("unsafe-url", f"'{name}' has a user name before '@' in its host: '{value}'",
                "remove it: such an address shows one site and leads to another")
            return None
        return value
    if spec.kind == "id":
        if is_safe_id(value):
            # One string per id, not one per mention: 50k claims name a handful of verdicts and
            # tags and a few thousand sources (53k pages: 21 MiB of copies, in each process).
            return sys.intern(value)
        bad("bad-id", f"'{name}' is not a safe id: '{value}'", _id_hint(value))
        return None
    if spec.kind == "language":
        if _LANGUAGE.match(value):
            return value
        bad("bad-language", f"'{name}' is not a language code: '{value}'", "write a code such as en, tr or ru")
        return None
    if spec.kind == "enum":
        if value in spec.choices:
            return sys.intern(value)
        close = difflib.get_close_matches(value, spec.choices, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "one of: " + ", ".join(spec.choices)
        bad("bad-choice", f"'{name}' must be one of the listed values, not '{value}'", hint)
        return None
    if spec.kind == "flag":
        if value in ("true", "false"):
            return value == "true"
        bad("bad-choice", f"'{name}' must be true or false, not '{value}'", spec.doc)
        return None
    if spec.kind in ("int", "occurrence"):
        if spec.kind == "occurrence" and value == "all":
            return "all"
        if _INT.match(value) and spec.minimum <= int(value) <= spec.maximum:
            return int(value)
        allowed = f"a whole number from {spec.minimum} to {spec.maximum}"
        bad("bad-number", f"'{name}' must be {allowed}" + (" or 'all'" if spec.kind == "occurrence" else "")
            + f", not '{value}'", spec.doc)
        return None
    raise AssertionError(f"unknown field kind {spec.kind}")  # pragma: no cover - a programming error


def _no_such_day(value: str) -> str:
    """Why a YYYY-MM-DD date is not a day: its month, or its day."""
    year, month, day = (int(part) for part in value.split("-"))
    if not 1 <= month <= 12:
        return f"the month is {month}: write it from 01 to 12 (YYYY-MM-DD)"
    return f"month {month:02d} of {year} has {calendar.monthrange(year, month)[1]} days, not {day}"


def _id_hint(value: str) -> str:
    """The fix for an id that is not safe: a list written without brackets, capitals, or the rules."""
    if "," in value:
        return f"to give several, write the list in brackets: [{value}]"
    if is_safe_id(value.lower()):
        return f"did you mean '{value.lower()}'? ids are written in lowercase"
    return "use lowercase letters a-z, digits and single hyphens (e.g. 'nine-shots')"


VERDICT = (
    Field("id", "id", "the verdict's id, used in claim files (e.g. 'mostly-accurate')", required=True),
    Field("label", "line", "the name readers see (e.g. 'Mostly accurate')", required=True),
    Field("description", "text", "what the verdict means, shown on its page and the methodology", required=True),
    Field("rating", "int", "1 (worst) to 5 (best); leave out for an unrated verdict such as opinion",
          minimum=1, maximum=5),
)
PUBLISHER = (
    Field("name", "line", "the fact-checker's name", required=True),
    Field("url", "url", "the fact-checker's home page", required=True),
)
SOURCE_RULES = (
    Field("require_archive", "flag", "true: a source with no archived copy, or whose pinpoint quote was not found in "
          "it, is an error (default false: a warning)"),
    Field("honour_robots", "flag", "false: `sources archive` fetches pages whose robots.txt forbids it (default "
          "true)"),
)
REVIEW = (
    Field("required", "int", "how many reviewers, other than its checkers, a published claim needs (default 0: "
          "no rule)", minimum=0, maximum=9, default=0),
)
SITE = (
    Field("title", "line", "the site's name", required=True),
    Field("base_url", "url", "the address the site is published at, e.g. https://factcheck.example/",
          required=True),
    Field("language", "language", "the site's language code, e.g. en, or en-GB to name the region too "
          "(shared links then carry og:locale en_GB)", required=True),
    Field("description", "text", "one or two sentences describing the site", required=True),
    Field("publisher", "record", "who publishes the checks: name and url", required=True, fields=PUBLISHER),
    Field("verdicts", "list", "the rating scale, best first", required=True,
          item=Field("verdict", "record", "a verdict", fields=VERDICT)),
    Field("sources", "record", "rules for the archived copies of sources (sources archive)", fields=SOURCE_RULES),
    Field("timeout", "int", "the seconds a page may take to render before the build stops with "
          "`template-error` (default 30)", minimum=1, maximum=3600, default=30),
    Field("review", "record", "the sign-off rule: `required: N` reviewers per published claim", fields=REVIEW),
)
UNCHECKED = (
    Field("quote", "text", "the passage left unchecked, exact text of the article", required=True),
    Field("reason", "line", "why it is not checked (e.g. 'describes a photo')", required=True),
    Field("occurrence", "occurrence", "which match to take when the passage appears more than once: N or 'all'",
          minimum=1),
)
ARTICLE = (
    Field("title", "line", "the article's headline", required=True),
    Field("publisher", "line", "who published the article", required=True),
    Field("url", "url", "the article's original address (leave out if unknown)"),
    Field("archived_url", "url", "an archived copy of the original article (e.g. the Wayback Machine), linked "
          "beside it"),
    Field("published", "date", "publication date, YYYY-MM-DD"),
    Field("authors", "list", "the article's bylines", item=Field("author", "line", "a name")),
    Field("summary", "text", "one paragraph, in our words, on what the article reports", required=True),
    Field("finding", "text", "one sentence, in our words, on what the check found (leads the article page)"),
    Field("notes", "markdown", "how the text was prepared: what was left out and why"),
    Field("status", "enum", "published, or draft (left out unless --drafts)", choices=STATUSES,
          default="published"),
    Field("captured", "date", "when the current text (text.md) was captured, YYYY-MM-DD"),
    Field("unchecked", "list", "sentences deliberately left unchecked, with a reason",
          item=Field("passage", "record", "a passage", fields=UNCHECKED)),
)
SOURCE_REF = (
    Field("source", "id", "a source id (a file name in content/sources/ without .yaml)", required=True),
    Field("quote", "text", "the exact passage of the source that supports the check", required=True),
    Field("note", "text", "optional note on how the source is used"),
    Field("translation", "text", "the quote in the site's language, for a source in another language (shown "
          "under the quote, labelled as our translation)"),
)
UPDATE = (
    Field("date", "date", "when the check was changed, YYYY-MM-DD", required=True),
    Field("note", "text", "what changed and why", required=True),
)
CLAIM = (
    Field("quote", "text", "the exact passage of the article this check is about", required=True),
    Field("occurrence", "occurrence", "which match to take when the passage appears more than once: N or 'all'",
          minimum=1),
    Field("claim", "text", "the claim, in one sentence", required=True),
    Field("claimant", "line", "who makes the claim (default: the article's publisher)"),
    Field("verdict", "id", "a verdict id from site.yaml", required=True),
    Field("summary", "text", "the finding in one or two sentences", required=True),
    Field("body", "markdown", "the full explanation, in Markdown"),
    Field("sources", "list", "the sources relied on, each with a pinpoint quote (required for rated verdicts)",
          item=Field("citation", "record", "a citation", fields=SOURCE_REF)),
    Field("tags", "list", "topics, as ids (e.g. 'numbers')", item=Field("tag", "id", "a tag")),
    Field("related", "list", "ids of related claims (a draft claim, or one in a draft article, is linked only "
          "in builds with --drafts)", item=Field("claim", "id", "a claim id")),
    Field("checked", "date", "when the check was done, YYYY-MM-DD"),
    Field("checked_by", "list", "who checked it: names, or ids of content/people/ files (required when site.yaml "
          "sets `review: {required: N}`)", item=Field("name", "line", "a name or a person id")),
    Field("reviewed_by", "list", "who reviewed the check before publication (not its checkers)",
          item=Field("name", "line", "a name or a person id")),
    Field("reviewed", "date", "when it was reviewed, YYYY-MM-DD"),
    Field("repeat_of", "id", "the id of an earlier check of the same claim, in another article (the first one)"),
    Field("version", "date", "the article version the check was made against: the DATE of versions/DATE.md, "
          "or the article's `captured` date for its current text.md (new claim writes it)"),
    Field("status", "enum", "published, or draft (left out unless --drafts)", choices=STATUSES,
          default="published"),
    Field("updates", "list", "the correction log: each change with its date and a note",
          item=Field("update", "record", "an update", fields=UPDATE)),
)
SOURCE = (
    Field("title", "line", "the source's title", required=True),
    Field("publisher", "line", "who published it", required=True),
    Field("url", "url", "its address", required=True),
    Field("published", "date", "its publication date, YYYY-MM-DD"),
    Field("kind", "enum", "what kind of source it is", required=True, choices=SOURCE_KINDS),
    Field("archived_url", "url", "an archived copy's address (e.g. the Wayback Machine)"),
    Field("language", "language", "its language code if not the site's, e.g. tr"),
)
VERSION = (
    Field("archived_url", "url", "an archived copy of this version (e.g. the Wayback Machine)"),
    Field("note", "line", "what is known about this version, e.g. where it was captured"),
)
PAGE = (
    Field("title", "line", "the page's title", required=True),
    Field("description", "line", "one sentence for search engines and link previews", required=True),
    Field("status", "enum", "published, or draft", choices=STATUSES, default="published"),
    Field("form", "enum", "a form shown after the page's text: correction-request (readers report an error; "
          "sent through Netlify Forms, the form service of the host netlify.toml configures)",
          choices=("correction-request",)),
)

CLAIMANT = (
    Field("name", "line", "the claimant's name as readers see it", required=True),
    Field("description", "line", "one line: role, party, organisation"),
    Field("kind", "enum", "Person or Organization: what the ClaimReview calls them (leave out if unknown)",
          choices=("Person", "Organization")),
    Field("url", "url", "an official page about them"),
    Field("aliases", "list", "other spellings that may appear as a claim's `claimant`",
          item=Field("alias", "line", "a spelling")),
    Field("source", "url", "where the description comes from"),
)
PERSON = (
    Field("name", "line", "the person's (or editorial pass's) name", required=True),
    Field("role", "line", "their role on the desk, one line"),
)

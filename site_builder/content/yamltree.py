"""YAML text -> a tree of nodes that remember their line and column.

We build the tree ourselves from libyaml's event stream instead of letting PyYAML
construct objects, because that is the safe way to keep positions and refuse
what content never needs:
- no tags (`!!python/object`, `!foo`): refused, nothing is constructed;
- no anchors or aliases: refused at the first alias, so a "billion laughs" bomb is
  never expanded;
- duplicate keys: an error naming both lines;
- depth is bounded without recursion (an explicit stack), so deep nesting cannot
  overflow a stack.
Scalars stay strings (plus whether they were quoted): the validator decides what
a value means from the field it fills, so YAML 1.1 surprises (`no` -> False,
`1_000` -> 1000) never reach the model.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from ..errors import Origin, Problem

try:  # the C loader is ~10x faster; the pure one is the same grammar
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

__all__ = ["YScalar", "YSeq", "YMap", "YNode", "parse_yaml", "MAX_DEPTH", "NULLS"]

MAX_DEPTH = 64
_ALLOWED_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "!"}
_SCALAR, _SEQUENCE_START, _MAPPING_START = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent
_SEQUENCE_END, _MAPPING_END = yaml.SequenceEndEvent, yaml.MappingEndEvent


NULLS = frozenset(("", "~", "null", "Null", "NULL"))  # what YAML reads as null, when not quoted


# The tree's nodes are the scratch of one parse, read by fields and never changed: not frozen, as each
# of the ~50 nodes of a claim file is made ~2x quicker so.
@dataclass(slots=True)
class YScalar:
    value: str
    origin: Origin
    quoted: bool = False

    @property
    def is_null(self) -> bool:
        return not self.quoted and self.value in NULLS


@dataclass(slots=True)
class YSeq:
    items: list[YNode]
    origin: Origin


@dataclass(slots=True)
class YMap:
    """A mapping; `keys` keeps each key's own position (for 'unknown field' errors)."""

    items: dict[str, YNode]
    keys: dict[str, Origin]
    origin: Origin


YNode = YScalar | YSeq | YMap


class _Refused(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[YNode | None, list[Problem]]:
    """Parse one YAML document. Returns (tree or None, problems).

    `line_offset` shifts reported lines, for front matter that starts below line 1.
    """
    shift = line_offset + 1

    def origin(mark: Any) -> Origin:
        return Origin(path, mark.line + shift, mark.column + 1)

    problems: list[Problem] = []
    # One frame per open collection: [its items (a list, or a dict), the mapping's key origins (None for a
    # sequence), the key waiting for its value, that key's origin]. Keys are kept as text and origin only.
    stack: list[list[Any]] = []
    root: YNode | None = None
    documents = 0

    def attach(node: YNode) -> None:
        """A collection into its parent (a scalar is attached inline, in the loop)."""
        nonlocal root
        if not stack:
            root = node
            return
        frame = stack[-1]
        if frame[1] is None:
            frame[0].append(node)
        elif frame[2] is None:
            raise _Refused(Problem(node.origin, "yaml-complex-key", "a mapping key must be a plain name",
                                   "write `name: value` pairs"))
        else:
            put(frame, node)

    def put(frame: list[Any], node: YNode) -> None:
        key, items, keys = frame[2], frame[0], frame[1]
        frame[2] = None
        if key in items:
            problems.append(Problem(frame[3], "yaml-duplicate-key",
                                    f"duplicate key '{key}' (first defined on line {keys[key].line})",
                                    "remove one of the two lines"))
            return
        items[key] = node
        keys[key] = frame[3]

    def check_plain(event: yaml.Event) -> None:
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(Problem(origin(event.start_mark), "yaml-anchor",
                                   f"YAML anchors (&{anchor}) are not allowed in content",
                                   "write the value out in full"))
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _ALLOWED_TAGS:
            raise _Refused(Problem(origin(event.start_mark), "yaml-tag",
                                   f"YAML tags ({tag}) are not allowed in content",
                                   "remove the tag; values are read as plain text"))

    try:
        events: Iterator[Any] = yaml.parse(text, Loader=_Loader)  # told apart by exact type below
        for event in events:
            kind = type(event)  # by exact type, most frequent first: this loop runs for every value of every file
            if kind is _SCALAR:
                if event.anchor is not None or (event.tag is not None and event.tag not in _ALLOWED_TAGS):
                    check_plain(event)
                mark = event.start_mark
                where = Origin(path, mark.line + shift, mark.column + 1)
                if not stack:
                    root = YScalar(event.value, where, bool(event.style))
                    continue
                frame = stack[-1]
                if frame[1] is None:
                    frame[0].append(YScalar(event.value, where, bool(event.style)))
                elif frame[2] is None:
                    frame[2], frame[3] = event.value, where
                else:
                    put(frame, YScalar(event.value, where, bool(event.style)))
            elif kind is _SEQUENCE_END or kind is _MAPPING_END:
                stack.pop()
            elif kind is _SEQUENCE_START or kind is _MAPPING_START:
                check_plain(event)
                if len(stack) >= MAX_DEPTH:
                    raise _Refused(Problem(origin(event.start_mark), "yaml-depth",
                                           f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure"))
                if kind is _SEQUENCE_START:
                    sequence = YSeq([], origin(event.start_mark))
                    attach(sequence)
                    stack.append([sequence.items, None, None, None])
                else:
                    mapping = YMap({}, {}, origin(event.start_mark))
                    attach(mapping)
                    stack.append([mapping.items, mapping.keys, None, None])
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Refused(Problem(origin(event.start_mark), "yaml-documents",
                                           "a content file holds one YAML document",
                                           "remove the `---` separator and what follows, or split the file"))
            elif kind is yaml.AliasEvent:
                raise _Refused(Problem(origin(event.start_mark), "yaml-alias",
                                       f"YAML aliases (*{event.anchor}) are not allowed in content",
                                       "write the value out in full"))
    except _Refused as refused:
        return None, problems + [refused.problem]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = origin(mark) if mark is not None else Origin(path, 1 + line_offset, 1)
        context = error.context or ""
        if context and error.context_mark is not None and mark is not None and error.context_mark.line != mark.line:
            context += f" that starts on line {error.context_mark.line + 1 + line_offset},"
        what = " ".join(part for part in (context, error.problem) if part)
        line = _line_at(text, mark)
        if "\t" in line:
            hint = "indent with spaces, not tabs"
        elif (error.problem or "").startswith("mapping values are not allowed") and ": " in line.split(": ", 1)[-1]:
            hint = "the value holds ': ', which YAML reads as a new field: put the value in double quotes"
        else:
            hint = "check the indentation and quoting on this line or the one before"
        return None, problems + [Problem(where, "yaml-syntax", f"invalid YAML: {what}", hint)]
    except yaml.YAMLError as error:  # a reader error: a character YAML does not allow, at its own line
        at = getattr(error, "position", None)
        if not isinstance(at, int) or not 0 <= at <= len(text):
            at = 0
        row, col = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        what = getattr(error, "reason", None) or "a character YAML does not allow"
        character = getattr(error, "character", None)
        shown = f" (U+{character:04X})" if isinstance(character, int) else ""
        return None, problems + [Problem(Origin(path, row + line_offset, col), "yaml-syntax",
                                         f"invalid YAML: {what}{shown}", "delete the character")]
    return root, problems


def _line_at(text: str, mark: yaml.Mark | None) -> str:
    if mark is None:
        return ""
    lines = text.split("\n")
    return lines[mark.line] if 0 <= mark.line < len(lines) else ""

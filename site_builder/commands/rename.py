"""`site-builder rename claim|source OLD NEW`: a new id for a claim or a source, and every reference to it.

The file is renamed, and each reference (a claim's `related` and `repeat_of`, a citation's
`source`) is rewritten where it stands in the YAML text: the id's characters are replaced
at the position the parser gives, so comments, quoting and layout stay as the author wrote
them. Nothing is written unless every file could be read and every edit found its id.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..content import fields as F
from ..content.load import parse_file
from ..content.yamltree import YMap, YNode, YScalar, YSeq
from ..errors import UsageError

__all__ = ["rename"]


def _claim_files(root: Path) -> list[Path]:
    return sorted((root / "content/articles").glob("*/claims/*.yaml"))


def _references(node: YNode | None, kind: str, old: str) -> list[YScalar]:
    """The scalars of one claim file that name `old`: related / repeat_of for a claim, sources[].source."""
    if not isinstance(node, YMap):
        return []
    found: list[YScalar] = []
    if kind == "claim":
        related = node.items.get("related")
        items = related.items if isinstance(related, YSeq) else [related] if related is not None else []
        found += [item for item in items if isinstance(item, YScalar) and item.value == old]
        repeat = node.items.get("repeat_of")
        if isinstance(repeat, YScalar) and repeat.value == old:
            found.append(repeat)
    else:
        sources = node.items.get("sources")
        for item in sources.items if isinstance(sources, YSeq) else []:
            source = item.items.get("source") if isinstance(item, YMap) else None
            if isinstance(source, YScalar) and source.value == old:
                found.append(source)
    return found


def _edited(text: str, scalars: list[YScalar], old: str, new: str, path: str) -> str:
    """`text` with the id at each scalar's position replaced (last first, so earlier offsets hold)."""
    lines = text.split("\n")
    for scalar in sorted(scalars, key=lambda s: (s.origin.line, s.origin.col), reverse=True):
        row, col = scalar.origin.line - 1, scalar.origin.col - 1
        line = lines[row]
        quote = line[col] if col < len(line) and line[col] in "'\"" else ""
        start = col + len(quote)
        if line[start:start + len(old)] != old:
            raise UsageError(f"{path}:{scalar.origin.line}: cannot find '{old}' where the file names it; "
                             "nothing was changed: edit this reference by hand")
        lines[row] = line[:start] + new + line[start + len(old):]
    return "\n".join(lines)


def rename(root: Path, kind: str, old: str, new: str) -> list[str]:
    """Rename claim or source `old` to `new` everywhere; return one line per change, as printed."""
    if not F.is_safe_id(new):
        raise UsageError(f"'{new}' is not a safe id: use lowercase letters a-z, digits and single hyphens")
    if kind == "claim":
        matches = [path for path in _claim_files(root) if path.stem == old]
        taken = {path.stem for path in _claim_files(root)}
    else:
        matches = [path for path in [root / "content/sources" / f"{old}.yaml"] if path.is_file()]
        taken = {path.stem for path in (root / "content/sources").glob("*.yaml")}
    if not matches:
        raise UsageError(f"there is no {kind} '{old}'" + (f" (content/sources/{old}.yaml)" if kind == "source" else ""))
    if new in taken:
        raise UsageError(f"a {kind} '{new}' already exists; nothing was changed")
    edits: dict[Path, str] = {}
    changes: list[str] = []
    for path in _claim_files(root):
        relative = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        raw = parse_file(relative, text.encode("utf-8"))
        if raw.problems and raw.data is None:
            raise UsageError(f"{relative} cannot be read ({raw.problems[0].message}); fix it first: nothing "
                             "was changed")
        scalars = _references(raw.data, kind, old)
        if scalars:
            edits[path] = _edited(text, scalars, old, new, relative)
            changes += [f"{relative}:{s.origin.line}: {old} -> {new}" for s in sorted(scalars,
                                                                                    key=lambda s: s.origin.line)]
    source = matches[0]
    target = source.with_name(f"{new}.yaml")
    for path, text in edits.items():
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    os.replace(source, target)
    changes.insert(0, f"{source.relative_to(root).as_posix()} -> {target.relative_to(root).as_posix()}")
    if kind == "source":
        changes += _rename_in_archive(root, old, new)
    return changes


def _rename_in_archive(root: Path, old: str, new: str) -> list[str]:
    """The archive index keys copies by source id: the copy follows its source."""
    from .archive import read_index, write_index
    entries = read_index(root)
    if old not in entries:
        return []
    entries[new] = entries.pop(old)
    write_index(root, entries)
    return [f"archive/index.json: {old} -> {new}"]

"""The desk's own files: content/claimants/ID.yaml and content/people/ID.yaml, read against their fields.

Both are small and optional; `output/desk.py` reads them once per graph (a patched graph
too), so an edit to one is seen without the site being loaded again.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import Origin, Problem
from . import fields as F
from .load import parse_file

__all__ = ["CLAIMANT", "PERSON", "load_desk_files"]

CLAIMANT, PERSON = F.CLAIMANT, F.PERSON


def load_desk_files(root: Path, folder: str, fields: tuple[F.Field, ...], what: str,
                    problems: list[Problem], digests: dict[str, str]) -> list[tuple[str, F.Record]]:
    """content/FOLDER/ID.yaml files read against `fields`: (id, record) for each valid one.

    The hash of each file read goes in `digests` (path -> hash), which the build cache and `serve`
    compare to see that a desk file changed.
    """
    found = []
    base = root / "content" / folder
    try:
        names = sorted(name for name in os.listdir(base) if not name.startswith((".", "#"))
                       and not name.endswith("~"))
    except OSError:
        return []
    for name in names:
        relative = f"content/{folder}/{name}"
        if not name.endswith(".yaml") or not (base / name).is_file() or (base / name).is_symlink():
            problems.append(Problem(Origin(relative), "unexpected-file", f"unexpected file: {folder}/ holds ID.yaml "
                                    "files", "rename or move it", "warning"))
            continue
        stem = name[:-5]
        raw = parse_file(relative, (base / name).read_bytes())
        digests[relative] = raw.digest
        problems.extend(raw.problems)
        if not F.is_safe_id(stem):
            problems.append(Problem(Origin(relative), "bad-id", f"the file name '{stem}' is not a safe {what} id",
                                    "rename the file using lowercase letters a-z, digits and single hyphens"))
            continue
        if raw.problems:
            continue
        record = F.read_record(raw.data, fields, Origin(relative, 1, 1), problems, f"a {what}")
        if record is not None and record.get("name"):
            found.append((stem, record))
    return found

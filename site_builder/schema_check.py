"""Editor schemas that no longer follow the site: a warning naming the command that writes them again.

`new site` writes schemas/ for the site's scale; when site.yaml's verdicts change (or a new
site-builder adds a field), editors would go on offering the old verdicts. `check` and
`build` compare what is there with what `site-builder schema` would write.
"""

from __future__ import annotations

from pathlib import Path

from .errors import Origin, Problem
from .schema import schemas

__all__ = ["stale_schemas"]


def stale_schemas(root: Path, verdicts: list[str]) -> list[Problem]:
    """One warning if schemas/ exists and any schema site-builder writes is missing or differs from it."""
    folder = root / "schemas"
    if not folder.is_dir():
        return []
    stale = []
    for name, text in schemas(verdicts).items():
        try:
            if (folder / name).read_text(encoding="utf-8") != text:
                stale.append(name)
        except (OSError, UnicodeDecodeError):
            stale.append(name)
    if not stale:
        return []
    return [Problem(Origin("schemas"), "schemas-stale",
                    f"schemas/ no longer matches this site ({', '.join(stale)}): editors offer old verdicts or fields",
                    "run `site-builder schema` to write them again", "warning")]

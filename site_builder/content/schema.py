"""JSON Schemas for the authoring files, generated from the same fields the validator reads.

Editors with YAML support (VS Code's YAML extension, JetBrains IDEs, Neovim's yamlls) use
them for completion, hover text and squiggles while an author types; `site-builder schema`
writes them to `schemas/`, and a test keeps the committed copies equal to this output.
The claim schema enumerates the site's own verdict ids, read from `site.yaml`.

`new site` writes schemas/ for the site's scale; when site.yaml's verdicts change (or a new
site-builder adds a field), editors would go on offering the old verdicts: `check` and
`build` compare what is there with what `site-builder schema` would write (`stale_schemas`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import Origin, Problem
from . import fields as F
from .yamltree import YMap, YNode, YScalar, YSeq

__all__ = ["SCHEMAS", "schemas", "stale_schemas", "tree_to_json"]

SCHEMAS = {"site": F.SITE, "article": F.ARTICLE, "claim": F.CLAIM, "source": F.SOURCE, "page": F.PAGE,
           "claimant": F.CLAIMANT, "person": F.PERSON}
_BASE = "https://site-builder.invalid/schemas/"


def _field(spec: F.Field, verdicts: list[str]) -> dict[str, Any]:
    kind = spec.kind
    schema: dict[str, Any]
    if kind == "line":
        schema = {"type": "string", "minLength": 1, "pattern": r"^[^\n]*\S[^\n]*$"}
    elif kind in ("text", "markdown"):
        schema = {"type": "string", "minLength": 1, "pattern": r"\S"}
    elif kind == "date":
        # A string in an editor, but a date object from a YAML loader (PyYAML, ruamel): no JSON type is
        # required, only that it is none of the others; `format` and `pattern` then check the strings.
        schema = {"not": {"type": ["number", "boolean", "array", "object", "null"]}, "format": "date",
                  "pattern": r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"}
    elif kind == "url":
        schema = {"type": "string", "pattern": r"^https?://[^\s/?#@\\]+([/?#][^\s\\]*)?$"}  # no user@ before the host
    elif kind == "id":
        schema = {"type": "string", "pattern": F.SAFE_ID.pattern}
        if spec.name == "verdict" and verdicts:
            schema = {"enum": verdicts}
    elif kind == "language":
        schema = {"type": "string", "pattern": r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"}
    elif kind == "int":
        schema = {"type": "integer", "minimum": spec.minimum, "maximum": spec.maximum}
    elif kind == "flag":
        schema = {"type": "boolean"}
    elif kind == "enum":
        schema = {"enum": list(spec.choices)}
    elif kind == "occurrence":
        schema = {"oneOf": [{"type": "integer", "minimum": 1}, {"const": "all"}]}
    elif kind == "list":
        assert spec.item is not None
        item = _field(spec.item, verdicts)
        schema = {"type": "array", "items": item}
        if spec.item.kind in ("line", "id"):
            schema = {"anyOf": [schema, item]}  # `tags: one` is read as `tags: [one]`
    elif kind == "record":
        schema = record(spec.fields, verdicts)
    else:  # pragma: no cover - a programming error
        raise AssertionError(kind)
    return {"description": spec.doc[:1].upper() + spec.doc[1:] + ".", **schema}


def record(specs: tuple[F.Field, ...], verdicts: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {spec.name: _field(spec, verdicts) for spec in specs},
        "required": [spec.name for spec in specs if spec.required],
        "additionalProperties": False,
    }


def schemas(verdicts: list[str] | None = None) -> dict[str, str]:
    """File name -> JSON text of each authoring file's schema."""
    out = {}
    for name, specs in SCHEMAS.items():
        document = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{_BASE}{name}.schema.json",
                    "title": f"site-builder {name} file", **record(specs, verdicts or [])}
        out[f"{name}.schema.json"] = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return out


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


_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def tree_to_json(node: YNode | None) -> Any:
    """A parsed YAML tree as JSON values, typed the way YAML 1.2 editors type it."""
    if node is None:
        return None
    if isinstance(node, YMap):
        return {key: tree_to_json(value) for key, value in node.items.items()}
    if isinstance(node, YSeq):
        return [tree_to_json(item) for item in node.items]
    assert isinstance(node, YScalar)
    if node.quoted:
        return node.value
    if node.is_null:
        return None
    if node.value in ("true", "false"):
        return node.value == "true"
    if _INT.match(node.value):
        return int(node.value)
    if _FLOAT.match(node.value):
        return float(node.value)
    return node.value

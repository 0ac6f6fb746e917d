"""The reference section of docs/authoring.md: a table of every field of every file kind.

Made from the same fields the validator reads (content/fields.py), so the documentation
cannot drift from the rules; tests/test_docs.py holds the committed tables equal to it.
"""

from __future__ import annotations

from ..content import fields as F

__all__ = ["FILE_KINDS", "reference_tables"]

FILE_KINDS = (
    ("content/site.yaml", F.SITE), ("content/articles/SLUG/article.yaml", F.ARTICLE),
    ("content/articles/SLUG/claims/ID.yaml", F.CLAIM), ("content/sources/ID.yaml", F.SOURCE),
    ("content/pages/SLUG.md (front matter)", F.PAGE), ("content/claimants/ID.yaml", F.CLAIMANT),
    ("content/people/ID.yaml", F.PERSON),
)
_KIND_NAMES = {"line": "text (one line)", "text": "text", "markdown": "Markdown", "date": "date (YYYY-MM-DD)",
               "url": "http(s) URL", "id": "id", "language": "language code", "int": "whole number",
               "flag": "true or false", "enum": "one of", "occurrence": "number or `all`", "list": "list",
               "record": "mapping"}


def reference_tables() -> str:
    """Markdown tables of every field of every file kind: the reference section of docs/authoring.md."""
    out = []

    def rows(fields: tuple[F.Field, ...], prefix: str = "") -> None:
        for spec in fields:
            kind = _KIND_NAMES[spec.kind]
            if spec.kind == "enum":
                kind += ": " + ", ".join(f"`{choice}`" for choice in spec.choices)
            if spec.kind == "list" and spec.item is not None:
                kind = f"list of {_KIND_NAMES[spec.item.kind]}"
            if spec.kind == "int":
                kind += f" {spec.minimum}-{spec.maximum}"
            out.append(f"| `{prefix}{spec.name}` | {'yes' if spec.required else 'no'} | {kind} | {spec.doc} |")
            nested = spec.fields or (spec.item.fields if spec.item is not None else ())
            if nested:
                rows(nested, f"{prefix}{spec.name}{'[]' if spec.kind == 'list' else ''}.")

    for path, fields in FILE_KINDS:
        out += [f"### `{path}`", "", "| field | required | type | meaning |", "|---|---|---|---|"]
        rows(fields)
        out.append("")
    return "\n".join(out)

"""docs/authoring.md cannot go stale: its reference tables and error codes come from the code."""

from __future__ import annotations

import re
from pathlib import Path

from site_builder.content.fields import reference_tables

REPO = Path(__file__).resolve().parent.parent
DOC = (REPO / "docs/authoring.md").read_text(encoding="utf-8")


def test_reference_tables_match_the_fields():
    start = DOC.index("-->", DOC.index("<!-- reference:start")) + 4
    end = DOC.index("<!-- reference:end -->")
    assert DOC[start:end].strip() == reference_tables().strip()


def test_every_problem_code_is_documented():
    source = "\n".join(p.read_text() for p in (REPO / "site_builder").rglob("*.py"))
    codes = set(re.findall(r'Problem\([^()]*?(?:\([^()]*\)[^()]*?)*?"([a-z0-9]+(?:-[a-z0-9]+)+)"', source))
    codes |= {f"unknown-{what}" for what in ("verdict", "source", "claim")}
    assert len(codes) > 30
    missing = sorted(code for code in codes if f"`{code}`" not in DOC)
    assert missing == []

"""Editor schemas follow the site: a warning when they are stale, and dates as YAML loaders give them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from problemkit import assert_problem

from site_builder.commands.cli import main
from site_builder.content.schema import schemas


@pytest.mark.slow
def test_a_changed_scale_makes_check_and_build_name_the_schema_command(tmp_path, capsys):
    assert main(["new", "--root", str(tmp_path), "site", "x"]) == 0
    root = tmp_path / "x"
    assert main(["check", "--root", str(root)]) == 0
    assert "schemas-stale" not in capsys.readouterr().err
    site = root / "content/site.yaml"
    site.write_text(site.read_text() + '  - id: satire\n    label: "Satire"\n    description: "Not meant as fact."\n')
    for command in ("check", "build"):
        assert main([command, "--root", str(root), *(["--no-search"] if command == "build" else [])]) == 0
        assert_problem(capsys.readouterr().err, root, "schemas: warning[schemas-stale]: schemas/ no longer matches "
                       "this site (claim.schema.json): editors offer old verdicts or fields",
                       "run `site-builder schema` to write them again")
    assert main(["schema", "--root", str(root)]) == 0
    assert '"satire"' in (root / "schemas/claim.schema.json").read_text()
    assert main(["check", "--root", str(root)]) == 0
    assert "schemas-stale" not in capsys.readouterr().err


def test_dates_loaded_by_pyyaml_are_valid_and_other_types_are_not(tmp_path: Path):
    schema = json.loads(schemas(["accurate"])["claim.schema.json"])
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    claim = {"quote": "Ten people saw it.", "claim": "Ten saw it.", "verdict": "accurate", "summary": "Yes.",
             "sources": [{"source": "almanac", "quote": "ten"}]}
    loaded = yaml.safe_load("checked: 2024-03-02\n")  # PyYAML gives a datetime.date, not a string
    assert [e.message for e in validator.iter_errors({**claim, **loaded})] == []
    assert [e.message for e in validator.iter_errors({**claim, "checked": "2024-03-02"})] == []
    assert list(validator.iter_errors({**claim, "checked": 20240302}))
    assert list(validator.iter_errors({**claim, "checked": "2024-13-02"}))

"""`site-builder claims` (commands/claims.py): the desk's work list, filtered."""

from __future__ import annotations

import pytest
from deskkit import REVIEWED, make

from site_builder.build import compile_site
from site_builder.commands.cli import main
from site_builder.errors import BuildFailed


def test_claims_lists_the_work_and_filters(tmp_path, capsys):
    root = make(tmp_path, REVIEWED)
    with pytest.raises(BuildFailed):
        compile_site(root)  # bridge-cars has no checker yet
    assert main(["claims", "--root", str(root), "--by", "Bo", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "id,article,verdict,status,checked_by,reviewed_by,checked,file"
    assert out[1:] == ["taxes,second,accurate,published,Ann,Bo,2024-02-01,content/articles/second/claims/taxes.yaml"]
    assert main(["claims", "--root", str(root), "--claimant", "ann-lee", "--verdict", "inaccurate"]) == 0
    table = capsys.readouterr().out
    assert "bridge-cars" in table and "taxes" not in table

"""Templates compiled ahead in another process: the same pages, and broken templates left to the build."""

from __future__ import annotations

import sys

from site_builder.build import build
from site_builder.output.environment import make_environment
from site_builder.parallel.precompile import compile_ahead


def test_every_template_is_compiled_ahead_and_used(basic_site):
    cache = compile_ahead(basic_site / "templates", make_environment)()
    assert cache is not None
    env = make_environment(basic_site / "templates", bytecode_cache=cache)
    assert len(cache.codes) == len(env.list_templates())  # type: ignore[attr-defined]
    compiled: list[str] = []
    env.compile = lambda *args, **kwargs: compiled.append(args[1])  # type: ignore[method-assign]
    for name in env.list_templates():
        env.get_template(name)
    assert compiled == []  # every template came from the other process


def test_pages_are_the_same_without_compiling_ahead(basic_site, monkeypatch):
    ahead = build(basic_site, write=False, search=False).files
    monkeypatch.setattr(sys.modules["site_builder.build"], "compile_ahead", lambda templates, make: lambda: None)
    assert build(basic_site, write=False, search=False).files == ahead


def test_a_broken_template_is_left_to_the_build(basic_site):
    claim = basic_site / "templates/claim.html"
    claim.write_text(claim.read_text().replace("{{ claim.claim }}", "{{ claim.claim }", 1))
    cache = compile_ahead(basic_site / "templates", make_environment)()
    assert cache is not None and len(cache.codes) == len(make_environment(basic_site / "templates")
                                                          .list_templates()) - 1  # type: ignore[attr-defined]

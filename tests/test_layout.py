"""The package's rooms, checked from its source: stages import only what is below them, no module keeps state;
the tests sit in rooms that mirror it.

content/ -> text/ -> link.py -> output/ are the stages in order; errors, model, memo and safety are
beneath them all. A stage never imports parallel/ (speed only), preview/ (`serve` only) or commands/,
nor a stage after it; build.py calls the stages and parallel/'s twins; preview/ and commands/ sit on top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sitekit import REPO

PACKAGE = REPO / "site_builder"
# Each room, and the rooms it may import from (itself included).
FOUNDATION = {"errors", "model", "memo", "safety"}
STAGES = ["content", "text", "link", "output"]
MAY_IMPORT = {
    "foundation": {"foundation"},
    **{stage: {"foundation", *STAGES[:number + 1]} for number, stage in enumerate(STAGES)},
    "parallel": {"foundation", *STAGES, "parallel"},
    "build": {"foundation", *STAGES, "parallel"},
    "preview": {"foundation", *STAGES, "parallel", "build", "preview"},
    "commands": {"foundation", *STAGES, "parallel", "build", "preview", "commands", "package"},
    "package": {"foundation", "build", "commands", "package"},  # __init__ and __main__
}
# functools' caches live as long as the process, whoever calls: what a stage remembers is an object passed
# in (memo.Memos, or one an environment keeps), so a build or a preview session drops it with its graph.
FUNCTOOLS_CACHES = {"lru_cache", "cache"}
MUTABLE_MAKERS = ("IdentityMemo", "ValueMemo", "lru_cache", "functools.", "dict", "set", "list")


def modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py"))


def room(name: str) -> str:
    """The room of a module named relative to the package (`content.load`, `build`, `__init__`)."""
    top = name.split(".")[0]
    if top in FOUNDATION:
        return "foundation"
    if top in ("__init__", "__main__", ""):
        return "package"
    return top


def dotted(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def imported(path: Path) -> set[str]:
    """Every site_builder module `path` imports (at the top or inside a function), relative to the package."""
    return imports_in(path.read_text(encoding="utf-8"), dotted(path))


def imports_in(source: str, module: str) -> set[str]:
    package = module.rsplit(".", 1)[0] if "." in module else ""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[:len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif (node.module or "").startswith("site_builder"):
                target = node.module.removeprefix("site_builder").removeprefix(".")
            else:
                continue
            names = [alias.name for alias in node.names]
            found.update(f"{target}.{n}".lstrip(".") if (PACKAGE / target.replace(".", "/") / f"{n}.py").exists()
                         else target for n in names)
        elif isinstance(node, ast.Import):
            found.update(alias.name.removeprefix("site_builder.") for alias in node.names
                         if alias.name.startswith("site_builder."))
    return found


def test_the_rule_sees_every_room():
    rooms = {room(dotted(path)) for path in modules()}
    assert rooms == set(MAY_IMPORT), rooms


@pytest.mark.parametrize("path", modules(), ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_a_module_imports_only_its_room_and_the_rooms_below(path: Path):
    own = room(dotted(path))
    wrong = sorted(name for name in imported(path) if room(name) not in MAY_IMPORT[own])
    assert wrong == [], f"{dotted(path)} ({own}) may not import {wrong}"


def test_the_checker_catches_an_upward_import():
    """The rule itself, on a made-up stage module that imports the preview and a later stage."""
    source = "from ..preview.patch import patch\nfrom ..output import render\nfrom .fields import SITE\n" \
             "def late():\n    from site_builder.commands import cli\n"
    found = imports_in(source, "content.load")
    assert found == {"preview.patch", "output.render", "content.fields", "commands.cli"}
    assert sorted(room(name) for name in found if room(name) not in MAY_IMPORT["content"]) == [
        "commands", "output", "preview"]


@pytest.mark.parametrize("path", modules(), ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_no_global_and_no_module_level_cache(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.Global)], "a `global` statement"
    relative = path.relative_to(PACKAGE).as_posix()
    if relative == "memo.py":
        return
    for node in tree.body:
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if isinstance(value, ast.Call):
            called = ast.unparse(value.func)
            assert not called.startswith(MUTABLE_MAKERS), f"line {node.lineno}: a module-level {called}(...)"
        if isinstance(value, ast.Dict | ast.List | ast.Set) and not (value.keys if isinstance(value, ast.Dict)
                                                                     else value.elts):
            raise AssertionError(f"line {node.lineno}: an empty container at module level, filled later")
    assert functools_caches(tree) == [], "a functools cache: pass a memo.Memos field (or a ValueMemo) in instead"


def functools_caches(tree: ast.AST) -> list[str]:
    """Each use of functools.lru_cache or functools.cache: imported by name, or called through the module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "functools":
            found += [f"line {node.lineno}: {alias.name}" for alias in node.names if alias.name in FUNCTOOLS_CACHES]
        if isinstance(node, ast.Attribute) and node.attr in FUNCTOOLS_CACHES and ast.unparse(node.value) == "functools":
            found.append(f"line {node.lineno}: functools.{node.attr}")
    return found


def test_the_checker_catches_a_functools_cache():
    """The rule itself: a cache imported by name (however it is used later) and one reached through the module;
    `partial` and `cached_property` (kept by the instance) are not caches of the process."""
    source = ("from functools import lru_cache, partial, cached_property\nimport functools\n"
              "@functools.cache\ndef f(x): return x\ndef g(): return lru_cache(8)(f)\n")
    assert functools_caches(ast.parse(source)) == ["line 1: lru_cache", "line 3: functools.cache"]


@pytest.mark.parametrize("path", modules(), ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_no_module_is_over_400_lines(path: Path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def test_every_room_ships_in_the_wheel():
    """pyproject.toml names its packages (the default theme is mapped in from templates/ and assets/, which
    `packages.find` cannot do): a new room missing from the list would be missing from the wheel."""
    import tomllib
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    rooms = {".".join(["site_builder", *path.parent.relative_to(PACKAGE).parts])
             for path in PACKAGE.rglob("__init__.py")}
    assert rooms <= listed, sorted(rooms - listed)


# Tests mirror the package: tests/ROOM/test_X.py tests site_builder/ROOM/X.py, tests/test_X.py a top-level module.
# These test files are named for what they check across modules instead; any other name is a misplaced test.
CROSS_CUTTING = {
    "bench": "the side-by-side benchmark still runs (nothing timed)",
    "content": "the published Karlov fact-check builds and holds to the sourcing rules",
    "docs": "docs/authoring.md's reference tables and error codes come from the code",
    "errors_table": "every documented error code, triggered, with its exact message",
    "hostile": "attacks on the build: one clear message or a correct site, nothing outside touched",
    "layout": "this file: the rooms of the package and of its tests",
    "tutorial": "docs/authoring.md's tutorial, its shell commands run as written",
    "wheel": "the built wheel alone builds a site, outside the checkout",
}
ROOM_CROSS_CUTTING = {
    "commands": {"authoring": "schemas, new, coverage and check --format json together",
                 "sources": "sources archive and sources check against a loopback server",
                 "sources_build": "what the archive changes in a build"},
    "output": {"claim_page": "a claim page and every list of claims, across templates and plan"},
    "preview": {"serve": "the incremental rebuild: deps, recompile and patch together"},
}
TESTS = REPO / "tests"
BROWSER = "browser"  # tests that drive Chromium, whatever module they reach


def misplaced(test_files: list[str], package_modules: set[str]) -> list[str]:
    """The test files (relative to tests/) that neither mirror a module nor are declared cross-cutting."""
    wrong = []
    for name in test_files:
        *folders, file = name.split("/")
        stem = file.removesuffix(".py").removeprefix("test_")
        if folders == [BROWSER]:
            continue
        if not folders:
            ok = stem in package_modules or stem in CROSS_CUTTING
        elif len(folders) == 1:
            ok = f"{folders[0]}.{stem}" in package_modules or stem in ROOM_CROSS_CUTTING.get(folders[0], {})
        else:
            ok = False
        if not ok:
            wrong.append(name)
    return wrong


def test_every_test_file_mirrors_a_module_or_is_declared():
    files = sorted(path.relative_to(TESTS).as_posix() for path in TESTS.rglob("test_*.py")
                   if "vendor" not in path.relative_to(TESTS).parts)
    assert misplaced(files, {dotted(path) for path in modules()}) == []


def test_the_declared_cross_cutting_tests_exist():
    """A declaration outlives its file only by mistake: each declared name is a test file today."""
    declared = [f"test_{name}.py" for name in CROSS_CUTTING] + [
        f"{room_name}/test_{name}.py" for room_name, names in ROOM_CROSS_CUTTING.items() for name in names]
    assert [name for name in declared if not (TESTS / name).is_file()] == []


def test_the_placement_rule_catches_a_stray_test():
    """The rule itself, on made-up names: a stage test left at the top, one in the wrong room, one too deep."""
    package = {"build", "content.load", "output.render"}
    files = ["test_build.py", "test_hostile.py", "content/test_load.py", "browser/test_anything.py",
             "test_load.py", "output/test_load.py", "content/deep/test_load.py", "commands/test_authoring.py"]
    assert misplaced(files, package) == ["test_load.py", "output/test_load.py", "content/deep/test_load.py"]

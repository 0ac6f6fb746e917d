from __future__ import annotations

import time

from site_builder.content.yamltree import MAX_DEPTH, YMap, YScalar, YSeq, parse_yaml


def test_values_keep_line_and_column():
    tree, problems = parse_yaml("title: Hello\nitems:\n  - one\n  - 'two'\n", "f.yaml")
    assert problems == []
    assert isinstance(tree, YMap)
    assert (tree.keys["items"].line, tree.keys["items"].col) == (2, 1)
    items = tree.items["items"]
    assert isinstance(items, YSeq)
    assert [(i.value, i.origin.line, i.origin.col, i.quoted) for i in items.items] == [
        ("one", 3, 5, False), ("two", 4, 5, True)]


def test_scalars_stay_text_so_yaml_1_1_surprises_never_reach_the_model():
    tree, _ = parse_yaml("a: no\nb: 1_000\nc: 2016-12-19\nd: ~\n", "f.yaml")
    assert isinstance(tree, YMap)
    assert {k: v.value for k, v in tree.items.items() if isinstance(v, YScalar)} == {
        "a": "no", "b": "1_000", "c": "2016-12-19", "d": "~"}
    assert tree.items["d"].is_null


def test_line_offset_for_front_matter():
    tree, _ = parse_yaml("title: x\n", "p.md", line_offset=1)
    assert isinstance(tree, YMap)
    assert tree.items["title"].origin.line == 2


def test_billion_laughs_is_refused_without_expanding():
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 10)]
    started = time.perf_counter()
    tree, problems = parse_yaml("\n".join(levels) + "\n", "bomb.yaml")
    assert time.perf_counter() - started < 1.0
    assert tree is None
    assert [p.code for p in problems] == ["yaml-anchor"]
    assert problems[0].origin.line == 1


def test_deep_nesting_is_refused_without_recursion():
    tree, problems = parse_yaml("a: " + "[" * 10000 + "]" * 10000 + "\n", "deep.yaml")
    assert tree is None
    assert problems[0].code == "yaml-depth"
    assert f"deeper than {MAX_DEPTH}" in problems[0].message


def test_duplicate_keys_name_both_lines_and_all_are_reported():
    _, problems = parse_yaml("a: 1\nb: 2\na: 3\nb: 4\n", "d.yaml")
    assert [(p.code, p.origin.line, p.message) for p in problems] == [
        ("yaml-duplicate-key", 3, "duplicate key 'a' (first defined on line 1)"),
        ("yaml-duplicate-key", 4, "duplicate key 'b' (first defined on line 2)"),
    ]


def test_custom_and_python_tags_are_refused():
    for text in ("a: !!python/object:os.system x\n", "a: !custom x\n", "a: !!binary aGk=\n"):
        tree, problems = parse_yaml(text, "t.yaml")
        assert tree is None and problems[0].code == "yaml-tag", text


def test_complex_keys_are_refused():
    tree, problems = parse_yaml("? [a, b]\n: c\n", "k.yaml")
    assert tree is None and problems[0].code == "yaml-complex-key"


def test_a_character_yaml_refuses_is_reported_at_its_own_line_and_column():
    tree, problems = parse_yaml("a: b\nc: d\ufffee\n", "x.yaml", line_offset=1)
    assert tree is None
    assert [(p.origin.line, p.origin.col, p.code) for p in problems] == [(3, 5, "yaml-syntax")]
    assert "U+FFFE" in problems[0].message and "\n" not in problems[0].message

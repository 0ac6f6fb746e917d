"""The memos: same objects (or equal texts) give the remembered result; a sweep forgets what left the site."""

from __future__ import annotations

from site_builder.memo import IdentityMemo, ValueMemo


def test_found_by_identity_not_by_equality():
    memo: IdentityMemo[str] = IdentityMemo(8)
    made: list[str] = []
    first, equal = ["a"], ["a"]
    assert memo.get((first,), lambda: made.append("first") or "one") == "one"
    assert memo.get((first,), lambda: made.append("again") or "two") == "one"
    assert memo.get((equal,), lambda: made.append("equal") or "three") == "three"
    assert memo.get((first,), lambda: "four", values=("other",)) == "four"
    assert made == ["first", "equal"]


def test_sweep_forgets_what_the_visit_did_not_look_up():
    memo: IdentityMemo[int] = IdentityMemo(8)
    kept, gone = object(), object()
    memo.get((kept,), lambda: 1)
    memo.get((gone,), lambda: 2)
    assert memo.sweep(lambda: memo.get((kept,), lambda: 10)) == 1
    assert memo.get((gone,), lambda: 20) == 20
    assert len(memo.entries) == 2


def test_oldest_entries_go_when_full():
    memo: IdentityMemo[int] = IdentityMemo(4)
    objects = [object() for _ in range(5)]
    for number, each in enumerate(objects):
        memo.get((each,), lambda number=number: number)
    assert len(memo.entries) <= 4
    assert memo.get((objects[-1],), lambda: -1) == 4


def test_a_value_memo_finds_equal_keys_and_stays_bounded():
    memo: ValueMemo[list[str]] = ValueMemo(4)
    text = "".join(["para", "graph"])  # equal to "paragraph", another object
    made = memo.get(("paragraph", 1), lambda: ["parsed"])
    assert memo.get((text, 1), lambda: ["again"]) is made
    assert memo.get((text, 2), lambda: ["other line"]) == ["other line"]
    for number in range(10):
        memo.get(number, lambda: [])
    assert len(memo.entries) <= 4


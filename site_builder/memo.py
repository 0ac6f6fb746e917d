"""Results of pure functions, kept in objects passed in: of model objects by their identity, of text by value.

`serve` keeps every unchanged model object identical from one rebuild to the next
(validation remembers them by file content), so a lookup by `id()` finds what an
object gave last time without hashing its fields: hashing a frozen claim walks
all of them, which over 10,000 claims costs more than the edit being previewed.
The memo holds the objects it was given, so their ids cannot be reused while
their entry lives. A text is its own key (`ValueMemo`): parsing the same text.md
again must give the very same object, so that the memos keyed by identity find it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

__all__ = ["IdentityMemo", "ValueMemo", "Memos"]

T = TypeVar("T")


class IdentityMemo(Generic[T]):
    def __init__(self, size: int):
        self.size = size
        self.entries: dict[tuple[tuple[int, ...], Hashable], tuple[tuple[Any, ...], T]] = {}
        self.used: set[tuple[tuple[int, ...], Hashable]] | None = None

    def get(self, objects: tuple[Any, ...], make: Callable[[], T], values: Hashable = ()) -> T:
        """`make()`, or what it gave for these same objects (and these equal `values`) before."""
        key = (tuple(map(id, objects)), values)
        if self.used is not None:
            self.used.add(key)
        entry = self.entries.get(key)
        if entry is not None:
            return entry[1]
        value = make()
        if len(self.entries) >= self.size:  # oldest first: the previous rebuild's leftovers go
            for old in list(self.entries)[: self.size // 4 or 1]:
                del self.entries[old]
        self.entries[key] = (objects, value)
        return value

    def clear(self) -> None:
        self.entries = {}

    def sweep(self, visit: Callable[[], Any]) -> Any:
        """Run `visit`, which looks up everything still in the site, and forget the rest.

        Without it, a long preview session would keep every edited article's old objects
        until the memo filled up.
        """
        self.used = set()
        try:
            result = visit()
            self.entries = {key: self.entries[key] for key in self.used if key in self.entries}
        finally:
            self.used = None
        return result


class ValueMemo(Generic[T]):
    """What a pure function gave for equal hashable arguments (texts: a string keeps its hash), bounded."""

    def __init__(self, size: int):
        self.size = size
        self.entries: dict[Hashable, T] = {}

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        if key in self.entries:
            return self.entries[key]
        value = make()
        if len(self.entries) >= self.size:  # oldest first, as IdentityMemo
            for old in list(self.entries)[: self.size // 4 or 1]:
                del self.entries[old]
        self.entries[key] = value
        return value


def _memo(size: int) -> Callable[[], IdentityMemo[Any]]:
    return lambda: IdentityMemo(size)


@dataclass(eq=False)
class Memos:
    """Everything the stages remember of pure functions of the model, in one object passed in.

    A build makes a fresh one, kept by its graph (`Graph.memos`) and dropped with it; `serve`
    keeps one for the whole session, so an unchanged object finds what it gave last time. No
    module keeps a cache of its own.
    """

    anchored: IdentityMemo[Any] = field(default_factory=_memo(4096))  # article, text, claims -> anchoring
    article_views: IdentityMemo[Any] = field(default_factory=_memo(4096))  # anchoring -> contexts, segments
    plans: IdentityMemo[Any] = field(default_factory=_memo(2))  # the graphs before and after an edit
    content_files: IdentityMemo[Any] = field(default_factory=_memo(2))  # path -> what it holds, per graph
    claim_parts: IdentityMemo[Any] = field(default_factory=_memo(1 << 17))  # a claim's parts of the data files
    all_parts: IdentityMemo[Any] = field(default_factory=_memo(2))  # every claim's parts, per graph
    claim_contexts: IdentityMemo[Any] = field(default_factory=_memo(2))  # source ids a claim is checked against
    texts: ValueMemo[Any] = field(default_factory=lambda: ValueMemo(4096))  # (text.md, first line) -> its parse
    indexes: IdentityMemo[Any] = field(default_factory=_memo(4096))  # a parsed text -> folded, indexed, its words

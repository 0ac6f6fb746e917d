"""The templates compiled in a second process while the build loads the content.

Jinja takes about 50 ms to compile the theme's two dozen templates: a sixth of a
build of the Karlov site, spent before a page can be rendered. A forked process
compiles them while the build reads and checks the content, and hands the code
back (marshalled), which Jinja takes through its bytecode-cache interface. Nothing
is written anywhere; a template that does not compile is left to the build, which
reports it as it always does.
"""

from __future__ import annotations

import contextlib
import marshal
from collections.abc import Callable
from pathlib import Path

import jinja2

from .forked import fork_available, in_fork

__all__ = ["compile_ahead"]


class _Compiled(jinja2.BytecodeCache):
    """The code compiled ahead, found by Jinja's own key and checksum of each template's source."""

    def __init__(self, codes: dict[str, tuple[str, bytes]]):
        self.codes = codes

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        found = self.codes.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = marshal.loads(found[1])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        pass  # nothing is kept beyond this build


def compile_ahead(templates: Path, make: Callable[[Path], jinja2.Environment]
                  ) -> Callable[[], jinja2.BytecodeCache | None]:
    """Start compiling every template of `templates` (in an environment from `make`).

    Returns the function that waits for the result; call it exactly once, also when
    the build fails, so the process is reaped.
    """
    if not fork_available() or not templates.is_dir():
        return lambda: None
    compiled = in_fork(lambda: _compile_all(make(templates)))

    def collect() -> jinja2.BytecodeCache | None:
        try:
            return _Compiled(compiled())
        except Exception:  # noqa: BLE001 - the build compiles as it goes, and reports what is wrong
            return None
    return collect


def _compile_all(env: jinja2.Environment) -> dict[str, tuple[str, bytes]]:
    keys = jinja2.BytecodeCache()
    codes = {}
    for name in env.list_templates():
        with contextlib.suppress(jinja2.TemplateError, OSError, UnicodeDecodeError):
            source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
            code = env.compile(source, name, filename)
            codes[keys.get_cache_key(name, filename)] = (keys.get_source_checksum(source), marshal.dumps(code))
    return codes

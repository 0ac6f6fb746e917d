"""`serve`'s view of the templates: which page templates a template edit reaches.

A page is made again after a template edit only when its template, or one it includes,
extends or calls (`HELPER_TEMPLATES`), changed: each template's digest covers all of them.
The templates are read after every save (they are few and small); the environment is made
again only when one of them changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.meta

from ..output.environment import HELPER_TEMPLATES, SiteEnvironment, make_environment
from ..output.theme import template_folders

__all__ = ["Templates", "read_templates"]


@dataclass(frozen=True)
class Templates:
    hashes: Mapping[str, str]  # template name -> digest of its source
    closure: Mapping[str, str]  # template name -> digest of it and of every template it pulls in
    env: SiteEnvironment


def read_templates(root: Path, previous: Templates | None) -> Templates:
    """The site's templates (its own files over the theme's), or `previous` when none changed."""
    folders = template_folders(root)
    sources = {p.relative_to(folder).as_posix(): p.read_bytes() for folder in reversed(folders)
               for p in sorted(folder.rglob("*")) if p.is_file()}
    hashes = {name: hashlib.blake2b(data, digest_size=12).hexdigest() for name, data in sources.items()}
    if previous is not None and hashes == previous.hashes:
        return previous
    env = make_environment(folders, remember=True)
    references: dict[str, set[str]] = {}
    for name, data in sources.items():
        try:
            source = data.decode("utf-8", "replace")
            found = jinja2.meta.find_referenced_templates(env.parse(source))
            references[name] = {ref for ref in found if ref}
            references[name].update(partial for call, partial in HELPER_TEMPLATES.items() if call in source)
        except jinja2.TemplateSyntaxError:
            references[name] = set()
    closure = {}
    for name in sources:
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current in seen or current not in hashes:
                continue
            seen.add(current)
            todo.extend(references.get(current, ()))
        closure[name] = hashlib.blake2b("".join(hashes[n] for n in sorted(seen)).encode(), digest_size=12).hexdigest()
    return Templates(hashes, closure, env)

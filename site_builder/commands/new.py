"""`site-builder new`: start a claim, a source or an article with every field in place.

A new claim's passage is anchored with the build's own rules before anything is
written, so an author learns at once that a quote is mistyped (with the closest
passage) or ambiguous (with the places). Files are never overwritten.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from ..content import fields as F
from ..content.load import RawContent, load_content
from ..content.schema import tree_to_json
from ..errors import Origin, Problem, UsageError
from ..text.anchor import _Index, find_quote
from ..text.parse import parse_text

__all__ = ["new_claim", "new_source", "new_article", "slugify"]

SCHEMA_COMMENT = "# yaml-language-server: $schema={}schemas/{}.schema.json\n"


def slugify(text: str, words: int = 6, limit: int = 40) -> str:
    """A short, readable safe id from free text: its first words, no filler at either end, never cut mid-word."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    parts = re.findall(r"[a-z0-9]+", ascii_text)
    while parts and parts[0] in _FILLER:
        parts.pop(0)
    chosen: list[str] = []
    for part in parts[:words]:
        if len("-".join(chosen + [part])) > limit:
            break
        chosen.append(part)
    while len(chosen) > 1 and chosen[-1] in _FILLER:
        chosen.pop()
    slug = "-".join(chosen) or (parts[0][:limit] if parts else "")
    return slug if F.is_safe_id(slug) else ""


# Words an id reads as well without at its ends: "the-government-says-more-than-a" -> "government-says-more-than".
_FILLER = frozenset(["a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "but", "by", "with",
                     "from", "that", "this", "is", "are", "was", "were", "be", "as", "www", "html", "index"])


def _free(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _write_new(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite
            handle.write(text)
    except FileExistsError:
        raise UsageError(f"{path} already exists; nothing was written") from None
    return path


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _comment(spec: F.Field) -> str:
    extra = f" One of: {', '.join(spec.choices)}." if spec.choices else ""
    return f"# {spec.doc[:1].upper()}{spec.doc[1:]}.{extra}\n"


def new_claim(root: Path, article: str, passage: str, claim_id: str | None = None,
              occurrence: int | None = None) -> tuple[Path, list[Problem]]:
    """Write content/articles/ARTICLE/claims/<id>.yaml for `passage`, or return why not."""
    raw = load_content(root)
    files = raw.articles.get(article)
    if files is None or "text.md" not in files:
        known = ", ".join(sorted(raw.articles)) or "none"
        raise UsageError(f"no article '{article}' (articles: {known})")
    text_file = files["text.md"]
    text = parse_text(text_file.body if text_file.data is not None else text_file.text)
    problems: list[Problem] = []
    where = Origin("(command line)")
    spans = find_quote(_Index(text), passage, occurrence, where, text_file.path, problems)
    if not spans:
        for problem in problems:  # the command line has no `occurrence:` field: name its option
            if problem.code == "quote-ambiguous":
                problems[problems.index(problem)] = replace(problem, hint=problem.hint.replace(
                    "add `occurrence: N`", "add --occurrence N"))
        return Path(), problems
    line = text.blocks[spans[0].block].line + text.plain.count("\n", text.blocks[spans[0].block].start,
                                                                spans[0].start)
    taken = {name.removeprefix("claims/").removesuffix(".yaml") for files in raw.articles.values()
             for name in files if name.startswith("claims/")}
    if claim_id is not None and claim_id in taken:
        raise UsageError(f"a claim '{claim_id}' already exists; choose another --id")
    claim_id = claim_id or _free(slugify(passage) or "claim", taken)
    verdicts = verdict_ids(raw)
    meta = tree_to_json(files["article.yaml"].data) if "article.yaml" in files else None
    captured = meta.get("captured") if isinstance(meta, dict) else None  # the text this check is made against
    lines = [SCHEMA_COMMENT.format("../../../../", "claim"),
             f"# A check of {text_file.path}, line {line}. Fill in the empty fields, then remove `status: draft`.\n",
             "# Every field is described in docs/authoring.md.\n\n"]
    for spec in F.CLAIM:
        if spec.name == "quote":
            lines += [_comment(spec), f"quote: {_quoted(spans[0].exact)}\n\n"]
        elif spec.name == "verdict":
            lines += [f"# The verdict, one of: {', '.join(verdicts)}.\n", "verdict:\n\n"]
        elif spec.name == "status":
            lines += [_comment(spec), "status: draft\n\n"]
        elif spec.name == "version" and captured:
            lines += [_comment(spec), f"version: {captured}\n\n"]
        elif spec.name == "occurrence" and occurrence is not None:
            lines += [_comment(spec), f"occurrence: {occurrence}\n\n"]
        elif spec.name == "sources":
            lines += [_comment(spec), "sources:\n  - source:\n    quote:\n    # note:\n\n"]
        elif spec.name == "updates":
            lines += [_comment(spec), "# updates:\n#   - date: YYYY-MM-DD\n#     note: what changed and why\n"]
        elif spec.required:
            lines += [_comment(spec), f"{spec.name}:\n\n"]
        else:
            lines += [_comment(spec), f"# {spec.name}:\n\n"]
    path = root / "content/articles" / article / "claims" / f"{claim_id}.yaml"
    return _write_new(path, "".join(lines)), []


def verdict_ids(raw: RawContent) -> list[str]:
    """The scale's ids as written in site.yaml, even while other files of the site are unfinished."""
    config = tree_to_json(raw.site.data) if raw.site is not None else None
    verdicts = config.get("verdicts") if isinstance(config, dict) else None
    return [str(v["id"]) for v in verdicts or [] if isinstance(v, dict) and v.get("id")]


def new_source(root: Path, url: str, source_id: str | None = None) -> Path:
    if not F.is_web_url(url):
        raise UsageError(f"not an http(s) URL: {url!r}")
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    site = host.split(".")[0]  # eurofound.europa.eu -> eurofound: the name people say
    segments = [re.sub(r"\.[a-z]+$", "", part) for part in parts.path.split("/") if re.search("[a-zA-Z]", part)]
    words = segments[-1] if segments and len(re.findall("[a-zA-Z]+", segments[-1])) > 1 else " ".join(segments)
    base = slugify(f"{site} {words}", words=5) or "source"  # the page's own slug says most about it
    folder = root / "content/sources"
    taken = {path.stem for path in folder.glob("*.yaml")} if folder.is_dir() else set()
    if source_id is not None and source_id in taken:
        raise UsageError(f"a source '{source_id}' already exists ({folder / source_id}.yaml); choose another --id")
    source_id = source_id or _free(base, taken)
    lines = [SCHEMA_COMMENT.format("../../", "source"),
             "# A source. Fill in the empty fields; every field is described in docs/authoring.md.\n\n"]
    for spec in F.SOURCE:
        if spec.name == "url":
            lines += [_comment(spec), f"url: {_quoted(url)}\n\n"]
        elif spec.required:
            lines += [_comment(spec), f"{spec.name}:\n\n"]
        else:
            lines += [_comment(spec), f"# {spec.name}:\n\n"]
    return _write_new(folder / f"{source_id}.yaml", "".join(lines))


def new_article(root: Path, slug: str, text: str) -> Path:
    if not F.is_safe_id(slug):
        raise UsageError(f"'{slug}' is not a safe article slug: use lowercase letters a-z, digits and hyphens")
    if not text.strip():
        raise UsageError("the article's text is empty: pass --text FILE or pipe the text in")
    folder = root / "content/articles" / slug
    if folder.exists():
        raise UsageError(f"{folder} already exists; nothing was written")
    lines = [SCHEMA_COMMENT.format("../../../", "article"),
             "# The article's details. Fill in the empty fields; see docs/authoring.md.\n\n"]
    for spec in F.ARTICLE:
        if spec.name == "status":
            lines += [_comment(spec), "status: draft\n\n"]
        elif spec.required:
            lines += [_comment(spec), f"{spec.name}:\n\n"]
        elif spec.name == "unchecked":
            lines += [_comment(spec), "# unchecked:\n#   - quote: the exact sentence\n#     reason: why\n\n"]
        else:
            lines += [_comment(spec), f"# {spec.name}:\n\n"]
    written = _write_new(folder / "article.yaml", "".join(lines))
    _write_new(folder / "text.md", text if text.endswith("\n") else text + "\n")
    (folder / "claims").mkdir()
    return written

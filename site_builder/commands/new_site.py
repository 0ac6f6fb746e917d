"""`site-builder new site DIR`: a complete site that builds, in an empty folder, with the packaged theme.

Everything a desk needs on day one is written, nothing is ever overwritten: site.yaml with a
rating scale and a comment on every setting, the about, methodology and corrections pages as
templates to fill in, the editors' JSON Schemas for this site's scale, a .gitignore and a
netlify.toml. The templates and assets come from the theme (`output/theme.py`), not copies.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import MappingProxyType

from ..content import fields as F
from ..content.schema import schemas
from ..errors import UsageError
from ..safety import CONTENT_SECURITY_POLICY

__all__ = ["new_site", "SCALE"]

# (id, label, rating or None, description): the default scale, best first, as the Karlov site's.
SCALE = (
    ("accurate", "Accurate", 5, "Correct as stated, and backed by reliable sources."),
    ("mostly-accurate", "Mostly accurate", 4, "Correct in substance, with a minor error or imprecision."),
    ("needs-context", "Needs context", 3, "Literally correct, but misleading without context the article leaves out."),
    ("unproven", "Unproven or disputed", 2, "Reliable sources conflict, or the statement has not been established."),
    ("inaccurate", "Inaccurate", 1, "Wrong: contradicted by reliable sources or by the article itself."),
    ("opinion", "Opinion", None, "Not rated: an opinion, a value judgement or a prediction."),
    ("not-checkable", "Not checkable", None, "Not rated: the statement cannot be verified from public sources."),
)

PAGES = MappingProxyType({  # read-only: no module-level mutable state
    "about": ("About", "Who publishes {title}, and how it stays independent.",
              "# Who we are\n\nTODO: who publishes {title}, who owns it and how it is funded.\n\n"
              "# How to reach us\n\nTODO: an address readers can write to.\n"),
    "methodology": ("Methodology", "How we choose the statements we check and what each verdict means.",
                    "# What we check\n\nTODO: how the desk chooses articles and the passages it checks.\n\n"
                    "# What the verdicts mean\n\n{scale}\n\n# How we weigh sources\n\n"
                    "TODO: which sources the desk relies on, and how it names them.\n"),
    "corrections": ("Corrections policy", "How to tell us about an error, and how we correct our checks.",
                    "# Every change is public\n\nEach check carries its own log of corrections, with the date and "
                    "what changed.\n\n# How to report an error\n\nTODO: where readers write, and how fast the desk "
                    "answers.\n"),
})

# The theme's scripts and styles are its own files: no inline script or style; Pagefind needs wasm.

GITIGNORE = "public/\n.public.*\n.site-builder-cache/\n__pycache__/\n.venv/\n"

NETLIFY = """# Netlify: build with site-builder and publish public/. Any static host works the same way.
[build]
  # site-builder is not on PyPI: put where your desk installs it from in place of `site-builder`,
  # e.g. "git+https://github.com/YOUR-ORG/site-builder@main" or the address of a wheel.
  command = "python3 -m pip install site-builder && site-builder build"
  publish = "public"

[build.environment]
  PYTHON_VERSION = "3.11"

[[headers]]
  for = "/*"
  [headers.values]
    Content-Security-Policy = "{csp}"
    X-Content-Type-Options = "nosniff"
    Referrer-Policy = "strict-origin-when-cross-origin"

[[headers]]
  for = "/assets/*"
  [headers.values]
    Cache-Control = "public, max-age=31536000, immutable"
"""


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def site_yaml(title: str, base_url: str, language: str) -> str:
    lines = ["# yaml-language-server: $schema=../schemas/site.schema.json\n",
             "# The site's settings and its rating scale (best first); see docs/authoring.md.\n",
             "# After changing the scale, run `site-builder schema` so editors know the new verdicts.\n\n",
             "# The site's name, in every page's title and header.\n", f"title: {_quoted(title)}\n",
             "# The address the site is published at, ending with a slash: links in feeds and exports use it.\n",
             f"base_url: {_quoted(base_url)}\n",
             "# The language of the site and its articles, as a BCP 47 tag (en, en-GB, fr).\n",
             f"language: {_quoted(language)}\n",
             "# One or two sentences for search engines and link previews.\n",
             f"description: {_quoted('Passage-by-passage fact-checks of news articles.')}\n",
             "# Who publishes the checks (in the structured data search engines read).\n",
             f"publisher:\n  name: {_quoted(title)}\n  url: {_quoted(base_url.rstrip('/') + '/about/')}\n",
             "# The verdicts, best first: a `rating` (5 best) only for the rated ones.\n", "verdicts:\n"]
    for verdict_id, label, rating, description in SCALE:
        lines.append(f"  - id: {verdict_id}\n    label: {_quoted(label)}\n")
        if rating is not None:
            lines.append(f"    rating: {rating}\n")
        lines.append(f"    description: {_quoted(description)}\n")
    return "".join(lines)


def _page(name: str, title: str) -> str:
    heading, description, body = PAGES[name]
    scale = "\n".join(f"- **{label}**: {description}" for _, label, _, description in SCALE)
    return (f"---\ntitle: {_quoted(heading)}\ndescription: {_quoted(description.format(title=title))}\n---\n"
            + body.format(title=title, scale=scale))


def _editor_settings() -> str:
    mapping = {"./schemas/site.schema.json": "content/site.yaml",
               "./schemas/article.schema.json": "content/articles/*/article.yaml",
               "./schemas/claim.schema.json": "content/articles/*/claims/*.yaml",
               "./schemas/source.schema.json": "content/sources/*.yaml"}
    return json.dumps({"yaml.schemas": mapping}, indent=2) + "\n"


def new_site(folder: Path, title: str, base_url: str, language: str) -> list[Path]:
    """Write a new site into `folder` (made if missing, else it must be empty); return the files written."""
    if not F.is_web_url(base_url) or not base_url.endswith("/"):
        raise UsageError(f"--base-url {base_url!r}: give the site's http(s) address, ending with a slash")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} is not an empty folder; nothing was written (new site never overwrites)")
    files = {"content/site.yaml": site_yaml(title, base_url, language), ".gitignore": GITIGNORE,
             "netlify.toml": NETLIFY.replace("{csp}", CONTENT_SECURITY_POLICY),
             ".vscode/settings.json": _editor_settings()}
    files.update((f"content/pages/{name}.md", _page(name, title)) for name in PAGES)
    files.update((f"schemas/{name}", text) for name, text in schemas([row[0] for row in SCALE]).items())
    written = []
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
        written.append(path)
    for empty in ("content/articles", "content/sources"):
        (folder / empty).mkdir(parents=True, exist_ok=True)
    return written

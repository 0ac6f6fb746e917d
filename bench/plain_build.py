"""A plain one-process builder on site-builder's stack, the floor of what Python costs for our sites.

    python bench/plain_build.py SITE OUT

It reads the content files of a synthetic site that bench/synth.py wrote (libyaml's CSafeLoader),
renders the claims' Markdown with mistune and writes, through Jinja2 with autoescape, the pages
that Hugo makes of the same model (bench/hugo_site.py) with the same markup: claim (and its embed), article,
source, tag, verdict and plain pages and a home page. None of site-builder's checks: no
validation, no positions, no anchoring beyond finding each quote in its article's text, no data
files, no coverage pages. Its templates (bench/peers/plain/) and code are adapted from the peers'
plain builder that produced the table in issue 19 (shared/peers/pybuild.py), to our content format.
"""

from __future__ import annotations

import html
import os
import sys
from pathlib import Path

import jinja2
import mistune
import yaml
from hugo_site import BASE_URL, DESCRIPTION, SITE_TITLE

TEMPLATES = Path(__file__).resolve().parent / "peers/plain"


def load(path: Path) -> dict:
    with open(path, "rb") as file:
        return yaml.load(file, Loader=yaml.CSafeLoader)


def front_matter(path: Path) -> tuple[dict, str]:
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.load(head, Loader=yaml.CSafeLoader), body


def article_html(text: str, claims: list[dict]) -> str:
    """The article's paragraphs, each claim's quote (found after the previous one) linked to its claim."""
    paragraphs = text.rstrip("\n").split("\n\n")[1:]  # the first is the "# title" heading
    out = []
    claims = iter(claims)
    claim = next(claims, None)
    for paragraph in paragraphs:
        pieces, cursor = [], 0
        while claim is not None and (start := paragraph.find(claim["quote"], cursor)) >= 0:
            end = start + len(claim["quote"])
            pieces.append(html.escape(paragraph[cursor:start], quote=False))
            pieces.append(f'<a id="{claim["id"]}" class="check v-{claim["verdict"]}" href="/claims/{claim["id"]}/">'
                          f'{html.escape(claim["quote"], quote=False)}</a>')
            cursor = end
            claim = next(claims, None)
        pieces.append(html.escape(paragraph[cursor:], quote=False))
        out.append("<p>" + "".join(pieces) + "</p>")
    return "\n".join(out) + "\n"


def write(out: Path, folder: str, text: str) -> None:
    target = os.path.join(out, folder)
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "index.html"), "w", encoding="utf-8") as file:
        file.write(text)


def build(site: Path, out: Path) -> int:
    """Write the pages; return how many."""
    content = site / "content"
    verdicts = {v["id"]: v for v in load(content / "site.yaml")["verdicts"]}
    sources = {path.stem: load(path) for path in sorted((content / "sources").glob("*.yaml"))}
    markdown = mistune.create_markdown()
    articles, claims = [], {}
    for folder in sorted((content / "articles").iterdir()):
        article = load(folder / "article.yaml")
        article["slug"] = folder.name
        article["claims"] = []
        for path in sorted((folder / "claims").glob("*.yaml")):
            claim = load(path)
            if claim.get("status") == "draft":
                continue
            claim["id"] = path.stem
            claim["html"] = markdown(claim["body"])
            claim["article"] = article
            claims[claim["id"]] = claim
            article["claims"].append(claim)
        article["html"] = article_html((folder / "text.md").read_text(encoding="utf-8"), article["claims"])
        articles.append(article)
    by_tag: dict[str, list] = {}
    by_source: dict[str, list] = {}
    by_verdict: dict[str, list] = {}
    for claim in claims.values():
        by_verdict.setdefault(claim["verdict"], []).append(claim)
        for tag in claim["tags"]:
            by_tag.setdefault(tag, []).append(claim)
        for cited in claim.get("sources", ()):
            by_source.setdefault(cited["source"], []).append(claim)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, keep_trailing_newline=True)
    env.globals.update(site={"title": SITE_TITLE, "url": BASE_URL, "description": DESCRIPTION}, verdicts=verdicts,
                       sources=sources, claims=claims)
    pages = 0
    template, embed = env.get_template("claim.html"), env.get_template("embed.html")
    for claim in claims.values():
        write(out, "claims/" + claim["id"], template.render(c=claim, a=claim["article"]))
        write(out, "claims/" + claim["id"] + "/embed", embed.render(c=claim))
        pages += 2
    template = env.get_template("article.html")
    for article in articles:
        write(out, "articles/" + article["slug"], template.render(a=article))
        pages += 1
    template = env.get_template("page.html")
    for path in sorted((content / "pages").glob("*.md")):
        meta, body = front_matter(path)
        write(out, path.stem, template.render(p={**meta, "html": markdown(body)}))
        pages += 1
    for name, groups, key in (("tag", by_tag, "tag"), ("source", by_source, "s"), ("verdict", by_verdict, "vd")):
        template = env.get_template(f"{name}.html")
        subject = {"tag": lambda tag: tag, "source": sources.__getitem__, "verdict": verdicts.__getitem__}[name]
        for term, items in groups.items():
            write(out, f"{name}s/{term}", template.render({key: subject(term), "items": items}))
            pages += 1
    write(out, "", env.get_template("home.html").render(articles=articles))
    return pages + 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    print(f"{build(Path(sys.argv[1]), Path(sys.argv[2]))} pages")

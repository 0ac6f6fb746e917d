"""Write the synthetic site of bench/synth.py as a Hugo project, for the side-by-side benchmark.

    python bench/hugo_site.py OUT --articles A [--claims C] [--sources S] [--seed N]

The same model (`synth.synthetic_model`) gives the same articles, claims, bodies, sources and tags
as our synthetic site. Hugo builds: a page per published claim (its verdict with the scale's
label and description, the quoted passage linked to the article, summary, Markdown body, sources
with their pinpoint quotes, tags, related claims, ClaimReview JSON-LD), a page per article (its
text with every checked passage linked to its claim, through a paired shortcode), a page per
source, tag and verdict listing their claims (Hugo taxonomies), a small embed page per claim
(`claims/ID/embed/`: verdict, claim, summary, a link back, as ours), the two plain pages and a home
page. Drafts are left out, as our build leaves them out. The layouts are in bench/peers/hugo/,
adapted from the peers' generator that produced the table in issue 19 (shared/peers/gen.py).
bench/plain_build.py renders the same pages with the same markup from our own content files.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import yaml
from synth import REPO, Article, Claim, SyntheticSite, model_arguments, synthetic_model

LAYOUTS = Path(__file__).resolve().parent / "peers/hugo/layouts"
SITE_TITLE = "Synthetic Checks"
BASE_URL = "https://example.org/"
DESCRIPTION = "Passage-by-passage fact-checks of synthetic articles."


def verdict_scale() -> dict[str, dict[str, str]]:
    """The rating scale of the site.yaml that bench/synth.py copies: id -> label and description."""
    site = yaml.safe_load((REPO / "content/site.yaml").read_text(encoding="utf-8"))
    return {verdict["id"]: {"label": verdict["label"], "description": verdict["description"]}
            for verdict in site["verdicts"]}


def published(model: SyntheticSite) -> list[Claim]:
    return [claim for article in model.articles for claim in article.claims if not claim.draft]


def expected_pages(model: SyntheticSite) -> int:
    """The HTML pages Hugo (and bench/plain_build.py) make of the model.

    Hugo makes a term page only for a term in use: sources no published claim cites have none.
    """
    claims = published(model)
    sources = {citation.source for claim in claims for citation in claim.citations}
    tags = {tag for claim in claims for tag in claim.tags}
    verdicts = {claim.verdict for claim in claims}
    embeds = len(claims)  # claims/ID/embed/, the small page other sites may frame
    return 1 + len(model.pages) + len(model.articles) + len(claims) + embeds + len(sources) + len(tags) + len(verdicts)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML scalar


def _strings(texts: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(_string(text) for text in texts) + "]"


def article_text(article: Article, shortcode: Callable[[Claim, str], str]) -> str:
    """The article's paragraphs (without its heading), each published claim's quote wrapped by `shortcode`."""
    sentences = list(article.sentences)
    for claim in article.claims:
        if not claim.draft:
            sentence = sentences[claim.sentence]
            start = sentence.index(claim.quote)
            sentences[claim.sentence] = (sentence[:start] + shortcode(claim, claim.quote)
                                         + sentence[start + len(claim.quote):])
    return "\n\n".join(" ".join(sentences[i:i + 5]) for i in range(0, len(sentences), 5))


def write_hugo_site(out: Path, model: SyntheticSite) -> int:
    """Write the Hugo project into `out` (a new folder); return the pages Hugo will make."""
    _write(out / "hugo.toml", f'''baseURL = "{BASE_URL}"
title = "{SITE_TITLE}"
locale = "en"
disableKinds = ["rss", "sitemap", "robotstxt", "404", "section", "taxonomy"]
[params]
description = "{DESCRIPTION}"
[taxonomies]
tag = "tags"
verdict = "verdicts"
source = "sources"
''')
    shutil.copytree(LAYOUTS, out / "layouts")
    _write(out / "data/verdicts.json", json.dumps(verdict_scale(), indent=1))
    _write(out / "data/sources.json", json.dumps({
        source.id: {"title": source.title, "publisher": source.publisher, "url": source.url,
                    "published": source.published, "kind": source.kind} for source in model.sources}, indent=1))
    content = out / "content"
    _write(content / "_index.md", f"---\ntitle: {SITE_TITLE}\n---\n")
    for page in model.pages:
        _write(content / f"{page.slug}.md", f"---\ntitle: {_string(page.title)}\ndescription: "
               f"{_string(page.description)}\n---\n" + "\n\n".join(page.paragraphs) + "\n")
    for article in model.articles:
        claims = [claim for claim in article.claims if not claim.draft]
        for claim in claims:
            cited = "".join(f"\n  - source: {c.source}\n    quote: {_string(c.quote)}" for c in claim.citations)
            _write(content / "claims" / f"{claim.id}.md",
                   f"---\ntitle: {_string(claim.claim)}\ndate: {claim.checked}\nverdicts: [{claim.verdict}]\n"
                   f"tags: {_strings(claim.tags)}\nsources: {_strings([c.source for c in claim.citations])}\n"
                   f"cited:{cited or ' []'}\nrelated: {_strings(claim.related)}\narticle: {article.slug}\n"
                   f"article_title: {_string(article.title)}\npassage: {_string(claim.quote)}\n"
                   f"summary: {_string(claim.summary)}\n---\n{claim.body}")
            _write(content / "embeds" / f"{claim.id}.md",
                   f"---\ntitle: {_string(claim.claim)}\ntype: embed\nurl: /claims/{claim.id}/embed/\n"
                   f"claim: {claim.id}\nverdict: {claim.verdict}\nsummary: {_string(claim.summary)}\n---\n")
        text = article_text(article, lambda claim, quote: f'{{{{< check id="{claim.id}" v="{claim.verdict}" >}}}}'
                                                          f'{quote}{{{{< /check >}}}}')
        _write(content / "articles" / f"{article.slug}.md",
               f"---\ntitle: {_string(article.title)}\ndate: {article.published}\nnclaims: {len(claims)}\n"
               f"summary: {_string(article.summary)}\n---\n{text}\n")
    return expected_pages(model)


def main() -> None:
    args = model_arguments(__doc__.split("\n")[0])
    if args.out.exists() and os.listdir(args.out):
        raise SystemExit(f"hugo_site.py: error: {args.out} is not empty")
    model = synthetic_model(args.articles, args.claims, args.sources or 2 * args.articles, args.seed)
    print(f"{args.out}: {write_hugo_site(args.out, model)} pages expected")


if __name__ == "__main__":
    main()

"""Write a deterministic synthetic fact-check site in site-builder's content format.

    python bench/synth.py OUT --articles A [--claims C] [--sources S] [--seed N]

Each article has C claims, one per sentence of its text (sentences of 10-30 words), so every
sentence is accounted for; claim pages carry a two-paragraph Markdown body with emphasis,
links and a list, two or three sources with pinpoint quotes, tags and sometimes a related
claim. About 5% of claims are unrated opinions (no sources) and 2% are drafts. The same
arguments always write the same bytes.

`synthetic_model` draws the site as plain data and `write_site` writes it in our format, so that
bench/hugo_site.py can write the same site for Hugo (`bench/run.py --vs-hugo`).
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

WORDS = (
    "ministry", "official", "statement", "police", "report", "witness", "city", "council", "budget", "election",
    "vote", "minister", "court", "trial", "judge", "ruling", "evidence", "document", "agency", "reporter", "camera",
    "video", "photo", "gallery", "exhibition", "embassy", "ambassador", "diplomat", "talks", "meeting", "summit",
    "agreement", "treaty", "border", "army", "soldier", "officer", "hospital", "doctor", "patient", "school",
    "teacher", "student", "factory", "worker", "union", "strike", "price", "market", "bank", "loan", "tax", "rate",
    "growth", "percent", "million", "billion", "thousand", "dozen", "hundred", "figure", "number", "data", "survey",
    "poll", "record", "year", "month", "week", "day", "night", "morning", "evening", "yesterday", "today",
    "tomorrow", "region", "province", "capital", "river", "bridge", "road", "railway", "airport", "port", "harbour",
    "warehouse", "fire", "crew", "rescue", "storm", "flood", "drought", "crop", "farmer", "water", "power", "energy",
    "oil", "gas", "coal", "wind", "solar", "plant", "network", "company", "board", "director", "spokesman",
    "spokeswoman", "president", "prime", "leader", "party", "opposition", "coalition", "parliament", "senate", "law",
    "bill", "reform", "plan", "policy", "programme", "project", "contract", "tender", "audit", "inquiry",
    "investigation", "charge", "arrest", "detention", "prison", "sentence", "appeal", "release", "protest", "march",
    "rally", "crowd", "speech", "interview", "quote", "claim", "denial", "response", "criticism", "support",
    "warning", "threat", "attack", "incident", "accident", "collision", "injury", "death", "victim", "family",
    "neighbour", "resident", "community", "village", "town", "district", "centre", "museum", "library", "archive",
    "newspaper", "website", "broadcast", "channel", "station", "statement", "letter", "email", "message", "post",
    "tweet",
)
CONNECTORS = ["and", "but", "while", "after", "before", "because", "although", "as", "when", "since"]
VERDICTS = [("accurate", 40), ("mostly-accurate", 20), ("needs-context", 15), ("unproven", 8), ("inaccurate", 12),
            ("opinion", 5)]
KINDS = ["official-statement", "transcript", "document", "data", "reference", "news-report", "agency-report",
         "academic", "video", "social-media", "archive"]


def sentence(rng: random.Random, words: int) -> str:
    parts = [rng.choice(WORDS) for _ in range(words)]
    parts.insert(rng.randrange(3, words - 2), rng.choice(CONNECTORS))
    text = " ".join(parts)
    return text[0].upper() + text[1:] + "."


def markdown_body(rng: random.Random, claim_id: str) -> str:
    first = " ".join(sentence(rng, rng.randint(14, 24)) for _ in range(3))
    second = " ".join(sentence(rng, rng.randint(14, 24)) for _ in range(3))
    words = first.split()
    words[3] = f"*{words[3]}*"
    words[8] = f"**{words[8]}**"
    first = " ".join(words)
    items = "\n".join(f"- {sentence(rng, rng.randint(6, 12))}" for _ in range(3))
    return (f"{first} See [the record](https://records.example.org/{claim_id}) for details.\n\n"
            f"{second}\n\n{items}\n")


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    description: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    url: str
    published: str
    kind: str
    passages: tuple[str, ...]  # the sentences claims quote as pinpoints


@dataclass(frozen=True)
class Citation:
    source: str
    quote: str


@dataclass(frozen=True)
class Claim:
    id: str
    article: str
    sentence: int  # the index of the article's sentence that holds the quote
    quote: str
    claim: str
    verdict: str
    summary: str
    body: str  # Markdown
    citations: tuple[Citation, ...]
    tags: tuple[str, ...]
    related: tuple[str, ...]
    checked: str
    draft: bool


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    published: str
    summary: str
    sentences: tuple[str, ...]  # the text: a heading, then paragraphs of 5 sentences
    claims: tuple[Claim, ...]
    unchecked: tuple[tuple[str, str], ...]  # (quote, reason)


@dataclass(frozen=True)
class SyntheticSite:
    """Everything a synthetic site says: bench/synth.py writes it for site-builder, bench/hugo_site.py for Hugo."""

    pages: tuple[Page, ...]
    sources: tuple[Source, ...]
    articles: tuple[Article, ...]


def synthetic_model(articles: int, claims: int, sources: int, seed: int = 2016) -> SyntheticSite:
    """The site's content, drawn from one seeded generator: the same arguments give the same model."""
    rng = random.Random(seed)
    pages = tuple(Page(slug, slug.title(), f"The {slug} of this synthetic site.",
                       tuple(sentence(rng, 20) for _ in range(6))) for slug in ("methodology", "about"))
    source_list = []
    for number in range(sources):
        passages = tuple(sentence(rng, rng.randint(10, 20)) for _ in range(4))
        source_list.append(Source(f"source-{number:05d}", sentence(rng, 8)[:-1], f"Publisher {number % 97}",
                                  f"https://source{number}.example.net/story/{number}",
                                  f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}", KINDS[number % len(KINDS)],
                                  passages))
    source_ids = [source.id for source in source_list]
    source_passages = {source.id: source.passages for source in source_list}
    tags = [f"topic-{n:03d}" for n in range(100)]
    verdicts = [v for v, weight in VERDICTS for _ in range(weight)]
    article_list = []
    for a in range(articles):
        slug = f"article-{a:05d}"
        title = sentence(rng, 12)[:-1]
        sentences = [sentence(rng, rng.randint(10, 30)) for _ in range(claims)]
        unchecked = [(title, "the headline")]
        claim_list = []
        for c, text in enumerate(sentences):
            claim_id = f"a{a:05d}-c{c:02d}"
            words = text[:-1].split()
            quote = text if c % 2 == 0 else " ".join(words[2:2 + max(6, len(words) // 2)])
            verdict = rng.choice(verdicts)
            claim_text = sentence(rng, 9)[:70].rstrip(" .") + "."
            summary = sentence(rng, 22) + " " + sentence(rng, 18)
            body = markdown_body(rng, claim_id)
            citations: tuple[Citation, ...] = ()
            if verdict != "opinion":
                cited = rng.sample(source_ids, min(len(source_ids), rng.choice((2, 2, 3))))
                citations = tuple(Citation(source_id, rng.choice(source_passages[source_id])) for source_id in cited)
            claim_tags = tuple(rng.sample(tags, 3))
            related = (f"a{a:05d}-c{rng.randrange(c):02d}",) if rng.random() < 0.2 and c > 0 else ()
            draft = rng.random() < 0.02
            if draft:
                unchecked.append((text, "a check in progress"))
            claim_list.append(Claim(claim_id, slug, c, quote, claim_text, verdict, summary, body, citations, claim_tags,
                                    related, f"2024-{1 + a % 12:02d}-{1 + c % 28:02d}", draft))
        article_list.append(Article(slug, title, f"2024-{1 + a % 12:02d}-{1 + a % 28:02d}", sentence(rng, 30),
                                    tuple(sentences), tuple(claim_list), tuple(unchecked)))
    return SyntheticSite(pages, tuple(source_list), tuple(article_list))


def write_site(out: Path, articles: int, claims: int, sources: int, seed: int = 2016) -> SyntheticSite:
    """Write the model in site-builder's content format, with this repository's templates and assets."""
    model = synthetic_model(articles, claims, sources, seed)
    if out.exists():
        shutil.rmtree(out)
    content = out / "content"
    (content / "sources").mkdir(parents=True)
    (content / "pages").mkdir()
    shutil.copytree(REPO / "templates", out / "templates")
    shutil.copytree(REPO / "assets", out / "assets")
    site = (REPO / "content/site.yaml").read_text(encoding="utf-8")
    (content / "site.yaml").write_text(site.replace("The Annotated Record", "Synthetic Checks"), encoding="utf-8")
    for page in model.pages:
        (content / "pages" / f"{page.slug}.md").write_text(
            f"---\ntitle: {page.title}\ndescription: {page.description}\n---\n" + "\n\n".join(page.paragraphs) + "\n",
            encoding="utf-8")
    for source in model.sources:
        (content / "sources" / f"{source.id}.yaml").write_text(
            f"title: {quoted(source.title)}\npublisher: {source.publisher}\nurl: {source.url}\n"
            f"published: {source.published}\nkind: {source.kind}\n", encoding="utf-8")
    for article in model.articles:
        folder = content / "articles" / article.slug
        (folder / "claims").mkdir(parents=True)
        sentences = article.sentences
        paragraphs = ["# " + article.title] + [" ".join(sentences[i:i + 5]) for i in range(0, len(sentences), 5)]
        (folder / "text.md").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        for claim in article.claims:
            lines = [f"quote: {quoted(claim.quote)}", f"claim: {quoted(claim.claim)}", f"verdict: {claim.verdict}",
                     f"summary: {quoted(claim.summary)}",
                     "body: |", *("  " + line if line else "" for line in claim.body.split("\n"))]
            if claim.verdict != "opinion":
                lines.append("sources:")
                for citation in claim.citations:
                    lines += [f"  - source: {citation.source}", f"    quote: {quoted(citation.quote)}"]
            lines.append(f"tags: [{', '.join(claim.tags)}]")
            if claim.related:
                lines.append(f"related: [{', '.join(claim.related)}]")
            lines.append(f"checked: {claim.checked}")
            if claim.draft:
                lines.append("status: draft")
            (folder / "claims" / f"{claim.id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (folder / "article.yaml").write_text(
            f"title: {quoted(article.title)}\npublisher: Daily Example\npublished: {article.published}\n"
            f"summary: {quoted(article.summary)}\nunchecked:\n"
            + "".join(f"  - quote: {quoted(quote)}\n    reason: {reason}\n" for quote, reason in article.unchecked),
            encoding="utf-8")
    return model


def model_arguments(description: str) -> argparse.Namespace:
    """The command line of a script that writes the synthetic model somewhere (synth.py, hugo_site.py)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--claims", type=int, default=50)
    parser.add_argument("--sources", type=int, help="default: 2 per article")
    parser.add_argument("--seed", type=int, default=2016)
    return parser.parse_args()


def main() -> None:
    args = model_arguments(__doc__.split("\n")[0])
    write_site(args.out, args.articles, args.claims, args.sources or 2 * args.articles, args.seed)
    print(args.out)


if __name__ == "__main__":
    main()

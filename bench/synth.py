"""Write a deterministic synthetic fact-check site in site-builder's content format.

    python bench/synth.py OUT --articles A [--claims C] [--sources S] [--seed N]

Each article has C claims, one per sentence of its text (sentences of 10-30 words), so every
sentence is accounted for; claim pages carry a two-paragraph Markdown body with emphasis,
links and a list, two or three sources with pinpoint quotes, tags and sometimes a related
claim. About 5% of claims are unrated opinions (no sources) and 2% are drafts. The same
arguments always write the same bytes.
"""

from __future__ import annotations

import argparse
import random
import shutil
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


def write_site(out: Path, articles: int, claims: int, sources: int, seed: int = 2016) -> None:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    content = out / "content"
    (content / "sources").mkdir(parents=True)
    (content / "pages").mkdir()
    shutil.copytree(REPO / "templates", out / "templates")
    shutil.copytree(REPO / "assets", out / "assets")
    site = (REPO / "content/site.yaml").read_text(encoding="utf-8")
    (content / "site.yaml").write_text(site.replace("The Annotated Record", "Synthetic Checks"), encoding="utf-8")
    for slug in ("methodology", "about"):
        (content / "pages" / f"{slug}.md").write_text(
            f"---\ntitle: {slug.title()}\ndescription: The {slug} of this synthetic site.\n---\n"
            + "\n\n".join(sentence(rng, 20) for _ in range(6)) + "\n", encoding="utf-8")
    source_ids = [f"source-{n:05d}" for n in range(sources)]
    source_quotes: dict[str, list[str]] = {}
    for number, source_id in enumerate(source_ids):
        body = [sentence(rng, rng.randint(10, 20)) for _ in range(4)]
        source_quotes[source_id] = body
        (content / "sources" / f"{source_id}.yaml").write_text(
            f"title: {quoted(sentence(rng, 8)[:-1])}\npublisher: Publisher {number % 97}\n"
            f"url: https://source{number}.example.net/story/{number}\npublished: 2024-{1 + number % 12:02d}-"
            f"{1 + number % 28:02d}\nkind: {KINDS[number % len(KINDS)]}\n", encoding="utf-8")
    tags = [f"topic-{n:03d}" for n in range(100)]
    verdicts = [v for v, weight in VERDICTS for _ in range(weight)]
    for a in range(articles):
        slug = f"article-{a:05d}"
        folder = content / "articles" / slug
        (folder / "claims").mkdir(parents=True)
        title = sentence(rng, 12)[:-1]
        sentences = [sentence(rng, rng.randint(10, 30)) for _ in range(claims)]
        paragraphs = ["# " + title] + [" ".join(sentences[i:i + 5]) for i in range(0, claims, 5)]
        (folder / "text.md").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        unchecked = [(title, "the headline")]
        for c, text in enumerate(sentences):
            claim_id = f"a{a:05d}-c{c:02d}"
            words = text[:-1].split()
            quote = text if c % 2 == 0 else " ".join(words[2:2 + max(6, len(words) // 2)])
            verdict = rng.choice(verdicts)
            lines = [f"quote: {quoted(quote)}", f"claim: {quoted(sentence(rng, 9)[:70].rstrip(' .') + '.')}",
                     f"verdict: {verdict}",
                     f"summary: {quoted(sentence(rng, 22) + ' ' + sentence(rng, 18))}",
                     "body: |", *("  " + line if line else "" for line in markdown_body(rng, claim_id).split("\n"))]
            if verdict != "opinion":
                lines.append("sources:")
                for source_id in rng.sample(source_ids, min(len(source_ids), rng.choice((2, 2, 3)))):
                    pinpoint = rng.choice(source_quotes[source_id])
                    lines += [f"  - source: {source_id}", f"    quote: {quoted(pinpoint)}"]
            lines.append(f"tags: [{', '.join(rng.sample(tags, 3))}]")
            if rng.random() < 0.2 and c > 0:
                lines.append(f"related: [a{a:05d}-c{rng.randrange(c):02d}]")
            lines.append(f"checked: 2024-{1 + a % 12:02d}-{1 + c % 28:02d}")
            if rng.random() < 0.02:
                lines.append("status: draft")
                unchecked.append((text, "a check in progress"))
            (folder / "claims" / f"{claim_id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (folder / "article.yaml").write_text(
            f"title: {quoted(title)}\npublisher: Daily Example\npublished: 2024-{1 + a % 12:02d}-{1 + a % 28:02d}\n"
            f"summary: {quoted(sentence(rng, 30))}\nunchecked:\n"
            + "".join(f"  - quote: {quoted(quote)}\n    reason: {reason}\n" for quote, reason in unchecked),
            encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--claims", type=int, default=50)
    parser.add_argument("--sources", type=int, help="default: 2 per article")
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()
    write_site(args.out, args.articles, args.claims, args.sources or 2 * args.articles, args.seed)
    print(args.out)


if __name__ == "__main__":
    main()

"""Benchmark anchoring: a 50,000-word article with 500 quotes, and re-anchoring after edits.

    python bench/anchor.py [--words 50000] [--quotes 500] [--runs 5]

Prints the median time to split the article into blocks and sentences, fold it, and anchor
every quote exactly; and the time to carry the same quotes from that version to an edited
one (a word changed in one quote in ten, paragraphs inserted), with how many were carried
exactly, re-anchored with their words changed, orphaned or ambiguous.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from site_builder.text.anchor import _Index  # noqa: E402
from site_builder.text.parse import parse_text  # noqa: E402
from site_builder.text.reanchor import TextWords, reanchor, selector_for  # noqa: E402


def article(rng: random.Random, words: int) -> list[str]:
    vocabulary = [f"word{n}" for n in range(5000)]
    sentences, count = [], 0
    while count < words:
        size = rng.randint(10, 30)
        sentences.append(" ".join(rng.choice(vocabulary) for _ in range(size)) + ".")
        count += size
    return sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--quotes", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    sentences = article(rng, args.words)
    text = "\n\n".join(" ".join(sentences[i:i + 5]) for i in range(0, len(sentences), 5))
    step = max(1, len(sentences) // args.quotes)
    quotes = [sentences[i] for i in range(0, len(sentences), step)][:args.quotes]

    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        index = _Index(parse_text(text))
        spans = [index.find_all(quote) for quote in quotes]
        times.append(time.perf_counter() - started)
    assert all(len(found) == 1 for found in spans)
    print(f"{len(text.split())} words, {len(quotes)} quotes: anchored in {statistics.median(times) * 1000:.0f} ms "
          f"(median of {args.runs})")

    edited = list(sentences)
    for number in range(0, len(quotes), 10):  # one quote in ten gets a word changed
        position = number * step
        words = edited[position].split()
        words[len(words) // 2] = "changed"
        edited[position] = " ".join(words)
    for position in range(len(edited) - 1, 0, -37):  # and paragraphs are inserted
        edited.insert(position, "An inserted sentence that was not there before.")
    new_text = "\n\n".join(" ".join(edited[i:i + 5]) for i in range(0, len(edited), 5))
    old = parse_text(text)
    old_index = _Index(old)
    times, outcomes = [], Counter()
    for run in range(args.runs):
        started = time.perf_counter()
        new = parse_text(new_text)
        new_index, words = _Index(new), TextWords(new)
        results = []
        for quote in quotes:
            (start, end), = old_index.find_all(quote)
            results.append(reanchor(new_index.find_all, words, selector_for(old.plain, start, end), len(old.plain)))
        times.append(time.perf_counter() - started)
        if run == 0:
            outcomes = Counter(result.status for result in results)
    print(f"re-anchored in an edited version in {statistics.median(times) * 1000:.0f} ms: "
          + ", ".join(f"{count} {status}" for status, count in sorted(outcomes.items())))


if __name__ == "__main__":
    main()

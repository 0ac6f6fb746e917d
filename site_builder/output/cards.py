"""Share cards: a 1200x630 PNG per claim and per article page, for og:image (issue 20).

A shared link should show what we found, not a blank box: the verdict label, the claim (or
the article's finding) and the site's name. The cards are drawn with Pillow and fonts shipped
in the package (DejaVu, free licence), so they do not depend on the machine, and each is kept
under the hash of what it shows in the build cache (`.site-builder-cache/cards/`), so a rebuild
draws only the cards whose inputs changed (and any kept PNG cut short or foreign); a build
without the cache (`--no-cache`) draws them all.
`write_cards` draws them here; parallel/cards.py is its twin that draws them in the build's
worker processes.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .urls import url
from .write import link_or_copy

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from ..link import Graph

__all__ = ["Card", "CardsDrawn", "CARD_SIZE", "cards_of", "missing_cards", "store_cards", "write_cards", "draw_card"]

CARD_SIZE = (1200, 630)
CARD_VERSION = 1  # bump when the drawing changes, so cached cards are drawn again
FONTS = Path(__file__).parent.parent / "fonts"  # site_builder/fonts
# The light theme's verdict colours (style.css --r1..--r5, --rn): white text on each passes 4.5:1.
COLOURS = {1: "#a3201b", 2: "#66399b", 3: "#7a4a00", 4: "#3b5e0f", 5: "#1d6b35", None: "#3f4a56"}


@dataclass(frozen=True, slots=True)
class Card:
    path: str  # relative to the output folder
    label: str  # the verdict label, or "What we found" for an article
    rating: int | None
    text: str  # the claim, or the article's finding (its title when it has none)
    footer: str  # the site's name

    def key(self) -> str:
        shown = [CARD_VERSION, self.label, self.rating, self.text, self.footer]
        return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class CardsDrawn:
    written: tuple[str, ...]  # every card's path
    drawn: tuple[str, ...]  # the ones drawn now (the rest came from the cache)


def cards_of(graph: Graph) -> list[Card]:
    """The card of every claim page and article page, with exactly what each shows."""
    title = graph.site.config.title
    cards = []
    for slug, article in graph.articles.items():
        counts = [f"{graph.verdicts[verdict_id].label}: {count}" for verdict_id, count, _ in graph.tally[slug]
                  if graph.verdicts[verdict_id].rated]
        text = article.finding or article.title
        cards.append(Card(url("article", slug) + "card.png", "What we found", None,
                          text + ("\n" + " · ".join(counts) if counts else ""), title))
    for claim_id in graph.order:
        claim = graph.claims[claim_id]
        verdict = graph.verdicts[claim.verdict]
        cards.append(Card(url("claim", claim_id) + "card.png", verdict.label, verdict.rating,
                          f"Claim: {claim.claim}", title))
    return cards


def missing_cards(cards: list[Card], cache: Path | None) -> list[Card]:
    """The cards `cache` has no whole PNG for (one of each, however many pages show the same); all, without
    a cache. A cut or foreign file under a card's name is drawn again, never published."""
    kept, folder = _kept(cache), cache or Path()
    return list({key: card for card in cards
                 if (key := card.key()) not in kept or not _whole_png(os.path.join(folder, f"{key}.png"))}.values())


_PNG_START = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"  # the signature, then the header chunk's length and type
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"  # the closing chunk: no data, its fixed CRC


def _whole_png(path: str) -> bool:
    """Whether `path` starts and ends as a PNG does: two small reads, not the whole file hashed."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(len(_PNG_START))
            handle.seek(-len(_PNG_END), os.SEEK_END)
            return start == _PNG_START and handle.read() == _PNG_END
    except OSError:
        return False


def _kept(cache: Path | None) -> set[str]:
    """The keys of the PNGs in `cache`: regular files only (a link in a restored cache is never followed)."""
    if cache is None:
        return set()
    cache.mkdir(parents=True, exist_ok=True)
    with os.scandir(cache) as entries:
        return {entry.name[:-4] for entry in entries if entry.name.endswith(".png") and not entry.name.startswith(".")
                and entry.is_file(follow_symlinks=False)}


def store_cards(cards: list[Card], missing: list[Card], drawn: Iterable[tuple[str, bytes]], folder: Path,
                cache: Path | None) -> CardsDrawn:
    """The `drawn` PNGs (by key) into `cache`, then every card from there into `folder` (a hard link where it
    can: no bytes copied), and the PNGs no card uses any more out of `cache`. Without a cache, straight in."""
    fresh = dict(drawn)
    if cache is not None:
        for key, png in fresh.items():
            temporary = cache / f".{key}.{os.getpid()}.png"
            temporary.write_bytes(png)
            os.replace(temporary, cache / f"{key}.png")
    keys = [card.key() for card in cards]
    for card, key in zip(cards, keys, strict=True):
        target = os.path.join(folder, card.path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if cache is None:
            with open(target, "wb") as handle:
                handle.write(fresh[key])
        else:
            link_or_copy(os.path.join(cache, f"{key}.png"), target)
    if cache is not None:
        _forget(cache, set(keys))
    return CardsDrawn(tuple(card.path for card in cards), tuple(card.path for card in missing))


def _forget(cache: Path, used: set[str]) -> None:
    """Remove the cards of claims gone or changed, so the cache holds what the site shows and no more."""
    with os.scandir(cache) as entries:
        for entry in entries:
            if entry.name.endswith(".png") and entry.name[:-4] not in used and not entry.name.startswith("."):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def drawing(missing: list[Card]) -> Callable[[int, int], list[tuple[str, bytes]]]:
    """Draw `missing[start:stop]`: (key, PNG) for each."""
    def draw(start: int, stop: int) -> list[tuple[str, bytes]]:
        return [(card.key(), draw_card(card)) for card in missing[start:stop]]
    return draw


def write_cards(graph: Graph, folder: Path, cache: Path | None) -> CardsDrawn:
    """Every card into `folder`, drawn only when `cache` lacks its hash (every one without a cache)."""
    cards = cards_of(graph)
    missing = missing_cards(cards, cache)
    return store_cards(cards, missing, drawing(missing)(0, len(missing)), folder, cache)


def draw_card(card: Card) -> bytes:
    """The card as PNG bytes: a band in the verdict's colour with its label, the text, the site's name."""
    from PIL import Image, ImageDraw, ImageFont  # only a build that draws cards needs Pillow loaded

    width, height = CARD_SIZE
    image = Image.new("RGB", CARD_SIZE, "#fdfdfb")
    pen = ImageDraw.Draw(image)
    colour = COLOURS.get(card.rating, COLOURS[None])
    bold = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 56)
    pen.rectangle((0, 0, width, 130), fill=colour)
    pen.text((60, 65), card.label.upper(), font=bold, fill="#ffffff", anchor="lm")
    footer = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 30)
    pen.rectangle((0, height - 80, width, height), fill="#1b1b1b")
    pen.text((60, height - 40), card.footer, font=footer, fill="#ffffff", anchor="lm")
    for size in (48, 42, 36, 31, 27, 24):
        font = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), size)
        lines = [line for paragraph in card.text.split("\n") for line in _wrapped(pen, paragraph, font, width - 120)]
        if len(lines) * size * 1.3 <= height - 130 - 80 - 60:
            break
    lines = lines[:int((height - 270) // (size * 1.3))]
    for number, line in enumerate(lines):
        pen.text((60, 160 + number * size * 1.3), line, font=font, fill="#1b1b1b")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _wrapped(pen: object, text: str, font: object, room: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and pen.textlength(f"{lines[-1]} {word}", font=font) <= room:  # type: ignore[attr-defined]
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines

"""An article's text.md -> blocks and sentences with stable ids.

The article text is the thing being checked, so it is kept verbatim: only block
structure is Markdown (headings, paragraphs, list items, quotes, captions); the
words inside a block are plain text, never interpreted, so every offset a quote
anchors to is an offset into exactly what the reader sees.

Sentence ids are a hash of the sentence's words (plus a counter for repeats), so
links to a sentence survive edits elsewhere in the article.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from dataclasses import dataclass

__all__ = ["Sentence", "Block", "ArticleText", "parse_text", "fold", "normalise"]


@dataclass(frozen=True, slots=True)
class Sentence:
    id: str
    start: int  # offsets into ArticleText.plain
    end: int
    line: int  # line and column of text.md where it starts
    col: int


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # heading, paragraph, item, quote, attribution (who a pull quote is from), caption
    level: int  # heading level; 0 otherwise
    ordered: bool  # for items: numbered list
    start: int
    end: int
    line: int
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True, slots=True)
class ArticleText:
    """The words of an article: `plain` is every block's text joined by blank lines."""

    plain: str
    blocks: tuple[Block, ...]

    def text_of(self, block: Block) -> str:
        return self.plain[block.start:block.end]

    def sentences(self) -> list[Sentence]:
        return [sentence for block in self.blocks for sentence in block.sentences]


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^(?:[-*+\u2022]|(\d{1,9})[.)])\s+(.*)$")
_CAPTION = re.compile(r"^>\s?\[!caption\]\s*(.*)$", re.IGNORECASE)
_QUOTE = re.compile(r"^>\s?(.*)$")
_ATTRIBUTION = re.compile("^\\s*[\u2014\u2015]")  # "> — Name" under a pull quote: who said it, its own block
_CITE = re.compile(r"^(?:>\s?)?<cite>(.*?)</cite>\s*$", re.IGNORECASE)  # "> <cite>Name</cite>": the same, tags dropped

# A sentence ends at . ! or ? (plus closing quotes/brackets) before white space and a capital or an opening quote.
_END = re.compile(r"""[.!?]+['"\u2019\u201d)\]]*(?=\s+['"\u2018\u201c(\[]?[A-Z0-9\u00c0-\u00de\u0130\u015e\u011e])""")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "lt", "col", "sgt", "capt", "rev", "prof",
                  "no", "vs", "etc", "u.s", "u.n", "u.k", "e.g", "i.e", "a.m", "p.m", "mt", "ft"}
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def parse_text(source: str, first_line: int = 1) -> ArticleText:
    """Split text.md into blocks and sentences. `first_line` is the line of text.md where `source` starts."""
    raw_blocks: list[tuple[str, int, bool, int, list[str]]] = []  # kind, level, ordered, line, lines
    current: tuple[str, int, bool, int, list[str]] | None = None
    lines = source.split("\n")
    for number, raw in enumerate(lines, start=first_line):
        stripped = raw.strip()
        if not stripped:
            current = None
            continue
        heading, item = _HEADING.match(stripped), _ITEM.match(stripped)
        caption, quote, cite = _CAPTION.match(stripped), _QUOTE.match(stripped), _CITE.match(stripped)
        said = cite.group(1) if cite else quote.group(1) if quote and _ATTRIBUTION.match(quote.group(1)) else None
        if said is not None:
            raw_blocks.append(("attribution", 0, False, number, [said]))
            current = None
        elif heading:
            raw_blocks.append(("heading", len(heading.group(1)), False, number, [heading.group(2)]))
            current = None
        elif item:
            current = ("item", 0, item.group(1) is not None, number, [item.group(2)])
            raw_blocks.append(current)
        elif caption:
            current = ("caption", 0, False, number, [caption.group(1)] if caption.group(1) else [])
            raw_blocks.append(current)
        elif quote and current is not None and current[0] in ("caption", "quote"):
            current[4].append(quote.group(1))
        elif quote:
            current = ("quote", 0, False, number, [quote.group(1)])
            raw_blocks.append(current)
        elif current is not None and current[0] in ("paragraph", "item"):
            current[4].append(stripped)
        else:
            text = stripped[1:] if stripped.startswith("\\") else stripped  # `\- ` escapes a marker
            current = ("paragraph", 0, False, number, [text])
            raw_blocks.append(current)

    pieces: list[str] = []
    blocks: list[Block] = []
    seen: dict[str, int] = {}
    offset = 0
    for kind, level, ordered, line, parts in raw_blocks:
        text = "\n".join(part.strip() for part in parts).strip()
        if not text:
            continue
        if pieces:
            pieces.append("\n\n")
            offset += 2
        raw_line = lines[line - first_line] if kind != "caption" or parts[0] else ""
        indent = raw_line.find(text.split("\n", 1)[0]) if raw_line else 0
        sentences = tuple(_sentences(text, offset, line, max(indent, 0), seen))
        blocks.append(Block(kind, level, ordered, offset, offset + len(text), line, sentences))
        pieces.append(text)
        offset += len(text)
    return ArticleText("".join(pieces), tuple(blocks))


def _sentences(text: str, offset: int, line: int, indent: int, seen: dict[str, int]) -> list[Sentence]:
    """`indent` is where the block's text starts on its first line (after any `- ` or `> ` marker)."""
    cuts = [0]
    for match in _END.finditer(text):
        if match.group(0).startswith(".") and len(match.group(0).rstrip("'\"\u2019\u201d)]")) == 1:
            # Only the word right before matters (an abbreviation or an initial): look at a short window.
            before = _WORD_BEFORE.search(text, max(0, match.start() - 64), match.start())
            word = before.group(1).lower() if before else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        end = match.end()
        while end < len(text) and text[end].isspace():
            end += 1
        cuts.append(end)
    cuts.append(len(text))
    found = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        words = text[start:end].rstrip()
        if not words:
            continue
        key = fold(words)
        digest = hashlib.blake2b(key.encode(), digest_size=4).hexdigest()
        count = seen.get(digest, 0) + 1
        seen[digest] = count
        sentence_id = f"s-{digest}" if count == 1 else f"s-{digest}-{count}"
        line_start = text.rfind("\n", 0, start) + 1
        col = start - line_start + 1 + (indent if line_start == 0 else 0)
        found.append(Sentence(sentence_id, offset + start, offset + start + len(words),
                              line + text.count("\n", 0, start), col))
    return found


_TYPOGRAPHIC = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
})
_ODD_SPACE = re.compile(r"\s{2,}|[^\S ]")  # white space other than one plain space
_ELLIPSIS = "\u2026"  # folded to three full stops: one character becomes three
_RUNS = re.compile(_ODD_SPACE.pattern + "|" + _ELLIPSIS)


def fold(text: str) -> str:
    """The text in NFC, typographic quotes, dashes and ellipses folded to ASCII, runs of white space to one space.

    NFC first: an editor may save 'é' as e + U+0301 (NFD), and a quote copied from elsewhere is
    usually one character (NFC); they are the same words.
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _ODD_SPACE.sub(" ", text.translate(_TYPOGRAPHIC)).replace(_ELLIPSIS, "...")


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _composed(text: str) -> tuple[str, array[int]] | None:
    """NFC of `text` and, for each of its characters, the index of the first character of `text` it comes
    from; None when `text` is in NFC already (nearly always: one C-speed check).

    Only runs of non-ASCII characters (with the ASCII letter before them, which an accent may
    follow) can change, and within a run the pieces that compose on their own are mapped apart,
    so the cost stays linear: a starter with its marks, joined to the next one only where
    normalising them apart differs (Hangul jamo, some Indic vowels compose across starters).
    """
    if unicodedata.is_normalized("NFC", text):
        return None
    nfc = unicodedata.normalize
    pieces: list[str] = []
    index = array("i")
    done = 0

    def emit(start: int, end: int) -> None:
        piece = text[start:end]
        out = nfc("NFC", piece)
        pieces.append(out)
        if out == piece:
            index.extend(range(start, end))
            return
        lengths = [len(nfc("NFC", piece[:cut])) for cut in range(1, len(piece) + 1)]
        source = 0
        for at in range(len(out)):  # the first character whose prefix reaches this one
            while source < len(piece) - 1 and lengths[source] <= at:
                source += 1
            index.append(start + source)

    for run in _NON_ASCII.finditer(text):
        start = run.start() - 1 if run.start() > done else run.start()
        pieces.append(text[done:start])
        index.extend(range(done, start))
        if unicodedata.is_normalized("NFC", text[start:run.end()]):
            pieces.append(text[start:run.end()])
            index.extend(range(start, run.end()))
        else:
            begin = start
            for at in range(start + 1, run.end()):
                if unicodedata.combining(text[at]) == 0:  # a starter: compose apart from what is before?
                    before, after = text[begin:at], text[at:run.end()]
                    if nfc("NFC", before + after[:8]) == nfc("NFC", before) + nfc("NFC", after[:8]):
                        emit(begin, at)
                        begin = at
            emit(begin, run.end())
        done = run.end()
    pieces.append(text[done:])
    index.extend(range(done, len(text)))
    return "".join(pieces), index


def normalise(text: str) -> tuple[str, array[int]]:
    """`fold(text)` and, for each of its characters, the index of the character of `text` it came from.

    Made for each article's text, so a match can be mapped back exactly; the offsets are a
    machine array (4 bytes each, not a 36-byte int object). Made once per text: anchoring keeps
    it in `Memos.indexes` (text/anchor.py). Callers must not change the array. A text not in NFC is
    composed first (see `fold`); its offsets still point into `text`.
    """
    composed = _composed(text)
    if composed is not None:
        folded, inner = _normalise_composed(composed[0])
        outer = composed[1]
        return folded, array("i", (outer[at] for at in inner))
    return _normalise_composed(text)


def _normalise_composed(text: str) -> tuple[str, array[int]]:
    folded = text.translate(_TYPOGRAPHIC)
    pieces: list[str] = []
    index = array("i")
    last = 0
    for match in _RUNS.finditer(folded):  # a single plain space already maps to itself
        pieces.append(folded[last:match.start()])
        index.extend(range(last, match.start()))
        if match.group() == _ELLIPSIS:
            pieces.append("...")
            index.extend((match.start(),) * 3)
        else:
            pieces.append(" ")
            index.append(match.start())
        last = match.end()
    pieces.append(folded[last:])
    index.extend(range(last, len(folded)))
    return "".join(pieces), index

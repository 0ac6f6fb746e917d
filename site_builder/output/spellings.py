"""ASCII spellings of the words a reader may type without their special letters.

Pagefind folds the accents it can decompose (Erdoğan is found as Erdogan) but not letters
that are not a base letter plus a mark: a reader typing Altintas never finds a page that
spells the name only Altıntaş. Each searchable page therefore carries, in a `hidden`
paragraph inside its indexed body, the ASCII spelling of every such word it holds; the
search page folds the reader's query the same way (assets/search.js), so both spellings
find both kinds of page.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

__all__ = ["FOLDED", "ascii_spelling", "with_ascii_spellings"]

FOLDED = {"ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
          "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ħ": "h"}
_TABLE = str.maketrans(FOLDED)
_WORD = re.compile(r"\w*[" + "".join(FOLDED) + r"]\w*")
_TAG = re.compile(r"<[^>]*>")


def ascii_spelling(word: str) -> str:
    return word.translate(_TABLE)


def with_ascii_spellings(html: str) -> Markup:
    """A page body (a Jinja filter block) with the ASCII spellings of its unfoldable words after it."""
    html = Markup(html)
    if html.isascii() or not any(map(html.__contains__, FOLDED)):  # 30x quicker than _SPECIAL.search on a page
        return html
    words = sorted({ascii_spelling(word) for word in _WORD.findall(_TAG.sub(" ", html))})
    return html + Markup('<p hidden data-spellings>') + escape(" ".join(words)) + Markup("</p>")

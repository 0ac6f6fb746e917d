"""The default theme's verdict colours stay apart for readers with red-green colour blindness.

Computed from the stylesheet's own custom properties (--r1..--r5 and --rn, each with its -bg fill), in the
light scheme and the dark one, as seen with deuteranopia and protanopia (Machado 2009, severity 1).
"""

from __future__ import annotations

import itertools
import re

import pytest
from colourkit import MACHADO, contrast, seen_difference
from sitekit import REPO

STYLE = REPO / "assets" / "style.css"
RATINGS = ("1", "2", "3", "4", "5", "n")  # every pair, so the neighbours of any site's scale are covered
# The palette before issue 20: Accurate, Mostly accurate and Needs context looked alike to a red-green blind reader.
OLD = """:root { --r5: #1d6b35; --r5-bg: #dcf0e0; --r4: #3b5e0f; --r4-bg: #eaf4d4; --r3: #7a4a00; --r3-bg: #fbe9c8;
  --r2: #66399b; --r2-bg: #ece2f7; --r1: #a3201b; --r1-bg: #fbdfdc; --rn: #3f4a56; --rn-bg: #e3e8ee; }"""


def custom_properties(css: str) -> dict[str, dict[str, str]]:
    """The colour properties of the first :root block (light) and of the one inside prefers-color-scheme: dark."""
    light = css[css.index(":root"):]
    light = light[:light.index("}")]
    schemes = {"light": dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})\b", light))}
    if "prefers-color-scheme: dark" in css:
        dark = css[css.index("prefers-color-scheme: dark"):]
        dark = dark[dark.index(":root"):]
        schemes["dark"] = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})\b", dark[:dark.index("}")]))
    return schemes


def too_close(colours: dict[str, str]) -> list[str]:
    """Every pair of verdict colours (marks, then fills) closer than CIEDE2000 10 with either deficiency."""
    close = []
    for suffix in ("", "-bg"):
        for one, two in itertools.combinations(RATINGS, 2):
            for deficiency in MACHADO:
                seen = seen_difference(colours[f"r{one}{suffix}"], colours[f"r{two}{suffix}"], deficiency)
                if seen < 10:
                    close.append(f"r{one}{suffix}/r{two}{suffix} {deficiency} {seen:.1f}")
    return close


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_verdict_colours_differ_with_deuteranopia_and_protanopia(scheme: str):
    colours = custom_properties(STYLE.read_text(encoding="utf-8"))[scheme]
    assert too_close(colours) == []


def test_the_old_palette_fails_the_same_measure():
    close = too_close(custom_properties(OLD)["light"])
    assert "r4/r5 deuteranopia 6.8" in close and "r3/r4 protanopia 3.0" in close, close


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_marks_and_fills_keep_their_text_readable(scheme: str):
    """A marker's label (--rN on --rN-bg and on the page), and text, muted text and links on each fill, keep 4.5:1."""
    colours = custom_properties(STYLE.read_text(encoding="utf-8"))[scheme]
    weak = [(rating, pair) for rating in RATINGS
            for pair in ((f"r{rating}", f"r{rating}-bg"), (f"r{rating}", "bg"), (f"r{rating}", "panel"),
                         ("fg", f"r{rating}-bg"), ("muted", f"r{rating}-bg"), ("link", f"r{rating}-bg"))
            if contrast(colours[pair[0]], colours[pair[1]]) < 4.5]
    assert weak == []


def test_the_measure_agrees_with_published_values():
    """CIEDE2000 against Sharma, Wu and Dalal's test data (pairs 1 and 7), so a slip in the formula fails here."""
    from colourkit import ciede2000
    assert round(ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)), 4) == 2.0425
    assert round(ciede2000((50, 0, 0), (50, -1, 2)), 4) == 2.3669

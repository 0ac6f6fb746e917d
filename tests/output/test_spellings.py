"""ASCII spellings after a page body: added for the letters Pagefind cannot fold, and only for them."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from site_builder.output.spellings import FOLDED, with_ascii_spellings


@pytest.mark.parametrize("html", ["<p>Plain ASCII</p>", "<p>Erdoğan · Mevlüt’s “quote”</p>", ""])
def test_a_body_without_an_unfoldable_letter_is_given_back_as_it_was(html):
    assert with_ascii_spellings(html) == html and isinstance(with_ascii_spellings(html), Markup)


@pytest.mark.parametrize("letter", sorted(FOLDED))
def test_each_unfoldable_letter_adds_the_ascii_spelling_of_its_word(letter):
    html = f'<p title="x{letter}y">Gunman · Alt{letter}ntaş &amp; Altıntaş</p>'
    words = sorted({f"Alt{FOLDED[letter]}ntaş", "Altintaş"})  # ş is folded by Pagefind itself
    assert with_ascii_spellings(html) == html + '<p hidden data-spellings>' + " ".join(words) + "</p>"

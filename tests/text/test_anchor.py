from __future__ import annotations

import pytest

from site_builder.content.load import load_content
from site_builder.content.validate import validate
from site_builder.errors import Origin
from site_builder.memo import Memos
from site_builder.text.anchor import _Index, find_quote, parse_article_texts
from site_builder.text.parse import parse_text

TEXT = parse_text("""# Title

He said: \u2018We die in Aleppo\u2019 \u2013 then fired. Karlov was born in 1954.

He said: 'We die in Aleppo' - then fired.
""")
WHERE = Origin("claims/x.yaml", 1, 8)


def anchor(quote, occurrence=None):
    problems = []
    spans = find_quote(_Index(TEXT), quote, occurrence, WHERE, "text.md", problems)
    return spans, problems


def test_typographic_quotes_dashes_and_white_space_are_folded():
    spans, problems = anchor("said:   'We die in Aleppo' - then", occurrence=1)
    assert problems == []
    assert spans[0].exact == "said: \u2018We die in Aleppo\u2019 \u2013 then"


def test_an_ellipsis_matches_three_full_stops_either_way():
    text = parse_text("Allahu Akbar\u2026 We die in Aleppo.\n\nThen he said... nothing.\n")
    problems: list = []
    spans = find_quote(_Index(text), "Allahu Akbar... We die", None, WHERE, "text.md", problems)
    assert problems == [] and spans[0].exact == "Allahu Akbar\u2026 We die"
    spans = find_quote(_Index(text), "he said\u2026 nothing", None, WHERE, "text.md", problems)
    assert problems == [] and spans[0].exact == "he said... nothing"


def test_repeated_passage_needs_occurrence_and_lists_lines():
    spans, problems = anchor("We die in Aleppo")
    assert spans == ()
    assert problems[0].code == "quote-ambiguous"
    assert problems[0].message == "the quote appears 2 times in text.md (lines 3, 5)"
    every, _ = anchor("We die in Aleppo", "all")
    second, _ = anchor("We die in Aleppo", 2)
    assert len(every) == 2 and second == (every[1],)
    assert every[1].block == 2 and TEXT.plain[every[1].start:every[1].end] == "We die in Aleppo"


def test_selector_has_prefix_and_suffix():
    spans, _ = anchor("born in 1954")
    assert spans[0].prefix.endswith("Karlov was ") and spans[0].suffix.startswith(".\n\nHe said")
    assert spans[0].exact == "born in 1954"


def test_matches_only_on_word_boundaries():
    assert anchor("954")[1][0].code == "quote-not-found"
    assert anchor("1954")[1] == []


def test_case_and_spelling_are_not_folded():
    spans, problems = anchor("karlov was born")
    assert spans == () and problems[0].code == "quote-not-found"
    assert problems[0].hint == ('the closest passage (text.md line 3) reads: "Karlov was born"\n'
                                "differs at column 1 of the quote:\n"
                                "  quote:   karlov was born\n"
                                "  article: Karlov was born\n"
                                "           ^")


def test_quote_across_blocks_is_refused():
    spans, problems = anchor("born in 1954. He said")
    assert spans == () and problems[0].code == "quote-spans-blocks"


def test_a_quote_in_nfc_matches_an_article_in_nfd_and_the_reverse():
    import unicodedata
    words = "Ten people in the caf\u00e9 saw \u00c5sa. \ud55c\uad6d\uc5b4 \uc2e0\ubb38 said so."
    for text_form, quote_form in (("NFD", "NFC"), ("NFC", "NFD")):
        text = parse_text(unicodedata.normalize(text_form, f"# T\n\n{words} Then more.\n"))
        for quote in ("caf\u00e9 saw \u00c5sa", "in the caf\u00e9", "\ud55c\uad6d\uc5b4 \uc2e0\ubb38 said"):
            problems: list = []
            spans = find_quote(_Index(text), unicodedata.normalize(quote_form, quote), None, WHERE, "text.md",
                               problems)
            assert problems == [], (text_form, quote)
            assert spans[0].exact == unicodedata.normalize(text_form, quote)  # the article's own characters
            assert text.plain[spans[0].start:spans[0].end] == spans[0].exact


def test_the_closest_passage_keeps_its_first_letter_whatever_the_normal_form():
    import unicodedata
    text = parse_text(unicodedata.normalize("NFD", "# T\n\nTen caf\u00e9 people saw it.\n"))
    problems: list = []
    find_quote(_Index(text), "Ten caf\u00e9 peeple saw it.", None, WHERE, "text.md", problems)
    assert [p.code for p in problems] == ["quote-not-found"]
    assert problems[0].hint.split("\n")[0] == \
        "the closest passage (text.md line 3) reads: \"Ten caf\u00e9 people saw it.\""


@pytest.mark.parametrize(("article", "quote", "column"), [
    ("He called them \"bleatings\" of a lobby.", "He called them 'bleatings' of a lobby.", 16),
    ("Most 16-year-olds can vote in the election.", "Most 16-year olds can vote in the election.", 13),
])
def test_a_quote_that_differs_by_one_character_is_pinpointed(article, quote, column):
    text = parse_text(f"# T\n\n{article}\n")
    problems: list = []
    find_quote(_Index(text), quote, None, WHERE, "text.md", problems)
    lines = problems[0].hint.split("\n")
    assert lines[1:] == [f"differs at column {column} of the quote:", f"  quote:   {quote}", f"  article: {article}",
                         " " * (10 + column) + "^"]
    assert article[column - 1] != quote[column - 1] and article[:column - 1] == quote[:column - 1]


def test_the_closest_passage_starts_and_ends_on_whole_words():
    text = parse_text("# T\n\nThe gunman was a police officer, Turkish media said.\n")
    problems: list = []
    find_quote(_Index(text), "The gunmn was a police officer", None, WHERE, "text.md", problems)
    assert problems[0].hint.split("\n")[0] == \
        'the closest passage (text.md line 3) reads: "The gunman was a police officer"'
    problems = []
    find_quote(_Index(text), "police offcer, Turkish", None, WHERE, "text.md", problems)
    assert problems[0].hint.split("\n")[0] == 'the closest passage (text.md line 3) reads: "police officer, Turkish"'


def test_the_closest_passage_is_found_in_a_long_sentence_too():
    article = ("All nine of the countries where spending is due to be increased by more than 50% are among the "
               "worst.\n\n"
               "Spending on aid is set to rise by £3.3bn over four years to meet a United Nations target for wealthy "
               "nations to spend 0.7% of GDP on development by 2013.")
    text = parse_text(f"# T\n\n{article}\n")
    problems: list = []
    quote = "Spending on aid is set to rise by £3.3bn over 4 years"
    find_quote(_Index(text), quote, None, WHERE, "text.md", problems)
    window = "Spending on aid is set to rise by £3.3bn over four years"  # lined up with the quote, whole words
    assert problems[0].hint.split("\n")[:2] == [f'the closest passage (text.md line 5) reads: "{window}"',
                                                "differs at column 47 of the quote:"]


def test_a_text_parsed_again_is_the_same_object_so_the_identity_memos_find_it(basic_site):
    """`serve` compiles again from unchanged files: the anchoring memo is keyed by the parsed text's identity."""
    site, _ = validate(load_content(basic_site), drafts=True)
    assert site is not None
    memos = Memos()
    first, again = parse_article_texts(site, memos), parse_article_texts(site, memos)
    assert first and all(again[slug] is text for slug, text in first.items())
    assert all(parse_article_texts(site, Memos())[slug] is not text for slug, text in first.items())

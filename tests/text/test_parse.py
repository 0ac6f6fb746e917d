from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.text.parse import fold, normalise, parse_text

ARTICLE = """# Headline: 'Quote... Here'

- First bullet
- Second bullet
  continues here

Mr Karlov, 62, was shot. He fell! Was it 'planned?' Nobody knew. U.N. Secretary-General Ban spoke.

> [!caption] Rant: a photo caption. Second sentence

> A quoted
> paragraph.

## BOX HEADING
"""


def test_blocks_kinds_lines_and_text():
    text = parse_text(ARTICLE)
    assert [(b.kind, b.level, b.line) for b in text.blocks] == [
        ("heading", 1, 1), ("item", 0, 3), ("item", 0, 4), ("paragraph", 0, 7), ("caption", 0, 9),
        ("quote", 0, 11), ("heading", 2, 14)]
    assert text.text_of(text.blocks[2]) == "Second bullet\ncontinues here"
    assert text.text_of(text.blocks[4]) == "Rant: a photo caption. Second sentence"
    assert text.text_of(text.blocks[5]) == "A quoted\nparagraph."
    assert text.plain.count("\n\n") == len(text.blocks) - 1


def test_sentences_respect_abbreviations_and_quotes():
    text = parse_text(ARTICLE)
    paragraph = text.blocks[3]
    words = [text.plain[s.start:s.end] for s in paragraph.sentences]
    assert words == ["Mr Karlov, 62, was shot.", "He fell!", "Was it 'planned?'", "Nobody knew.",
                     "U.N. Secretary-General Ban spoke."]
    assert [s.col for s in paragraph.sentences] == [1, 26, 35, 53, 66]
    caption = text.blocks[4]
    assert [s.col for s in caption.sentences] == [14, 37]


def test_sentence_ids_are_stable_when_text_is_added_elsewhere():
    before = parse_text("One sentence here.\n\nAnother one there.\n")
    after = parse_text("A new opening paragraph.\n\nOne sentence here.\n\nAnother one there.\n")
    assert [s.id for s in before.sentences()] == [s.id for s in after.sentences()][1:]


def test_repeated_sentences_get_distinct_ids():
    text = parse_text("Same words.\n\nSame words.\n\nSame  words.\n")
    ids = [s.id for s in text.sentences()]
    assert len(set(ids)) == 3 and ids[1] == ids[0] + "-2" and ids[2] == ids[0] + "-3"


def test_normalise_folds_quotes_dashes_ellipses_and_space_and_maps_back():
    source = "It\u2019s \u201cfine\u201d \u2013  really\u2026\n ok"
    folded, index = normalise(source)
    assert folded == "It's \"fine\" - really... ok"
    assert len(index) == len(folded)
    assert source[index[folded.index("really")]:].startswith("really")
    assert {source[index[position]] for position in range(folded.index("..."), folded.index(" ok"))} == {"\u2026"}


def test_escaped_marker_is_a_paragraph():
    text = parse_text("\\- not a bullet\n")
    assert text.blocks[0].kind == "paragraph" and text.plain == "- not a bullet"


@pytest.mark.slow
@given(st.text(alphabet=st.sampled_from("ab .\u2019\u2014\u2026\n\t\r\u00a0  "), max_size=40))
def test_normalise_equals_folding_every_run_of_white_space(source):
    """Runs of white space, however mixed, become one space that maps back to where the run starts;
    an ellipsis becomes three full stops that map back to it."""
    folded = source.translate(str.maketrans("\u2019\u2014", "'-"))
    expected, index, last = "", [], 0
    for match in re.finditer(r"\s+|\u2026", folded):
        replacement = "..." if match.group() == "\u2026" else " "
        expected += folded[last:match.start()] + replacement
        index += [*range(last, match.start()), *[match.start()] * len(replacement)]
        last = match.end()
    expected += folded[last:]
    index += range(last, len(folded))
    assert fold(source) == expected
    folded, offsets = normalise(source)
    assert (folded, list(offsets)) == (expected, index)


@given(st.lists(st.sampled_from(["a", "e", " ", "\u00e9", "e\u0301", "\u0301", "\u0323", "\u1100", "\u1161",
                                 "\u11a8", "\uac00", "\u0b47", "\u0b3e", "\u0958", "\u2026", "\n", "\u212b",
                                 "A\u030a", "\u00c5"]), max_size=30).map("".join))
def test_normalise_composes_to_nfc_and_every_offset_points_into_the_original(source):
    """Whatever mix of composed and decomposed letters: the folded text is the NFC one, and each of its
    characters maps, in order, to a character of the original that it is made from."""
    import unicodedata
    folded, offsets = normalise(source)
    assert folded == fold(source) == fold(unicodedata.normalize("NFC", source))
    assert folded == fold(unicodedata.normalize("NFD", source)) == normalise(unicodedata.normalize("NFD", source))[0]
    assert len(offsets) == len(folded)
    assert list(offsets) == sorted(offsets) and all(0 <= at < len(source) for at in offsets)
    ends = [*(next((later for later in offsets[n:] if later > at), len(source)) for n, at in enumerate(offsets))]
    for at, end, char in zip(offsets, ends, folded, strict=True):
        if char not in " ." and not unicodedata.combining(char):  # a letter (marks may be reordered):
            # made from the characters from its offset to the next one's
            assert unicodedata.normalize("NFD", char)[0] in unicodedata.normalize("NFD", source[at:end])


def test_a_pull_quotes_attribution_is_its_own_block_not_part_of_the_quote():
    text = parse_text('# T\n\n> "Libraries are not a luxury."\n> \u2014 Councillor Ann Reid\n\n> one line\n> two\n')
    assert [(b.kind, b.line, text.plain[b.start:b.end]) for b in text.blocks] == [
        ("heading", 1, "T"), ("quote", 3, '"Libraries are not a luxury."'),
        ("attribution", 4, "\u2014 Councillor Ann Reid"), ("quote", 6, "one line\ntwo")]
    sentences = [text.plain[s.start:s.end] for s in text.sentences()]
    assert sentences[1:3] == ['"Libraries are not a luxury."', "\u2014 Councillor Ann Reid"]


def test_a_cite_line_is_the_attribution_and_the_reader_sees_only_its_words():
    text = parse_text('> "Not a luxury."\n> <cite>Councillor Ann Reid</cite>\n\n<CITE>Reuters</CITE>\n')
    assert [(b.kind, b.line, text.plain[b.start:b.end]) for b in text.blocks] == [
        ("quote", 1, '"Not a luxury."'), ("attribution", 2, "Councillor Ann Reid"), ("attribution", 4, "Reuters")]
    assert [(s.line, s.col) for s in text.sentences()] == [(1, 3), (2, 9), (4, 7)]  # where the words are in text.md

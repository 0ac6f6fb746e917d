"""Possible repeats (output/repeats.py): an unchecked sentence close to a claim checked in another article."""

from __future__ import annotations

from deskkit import make

from site_builder.build import compile_site
from site_builder.output.repeats import shingles


def test_a_near_verbatim_repeat_is_noted_and_common_words_are_not(tmp_path):
    compiled = compile_site(make(tmp_path))
    notes = [problem for problem in compiled.problems if problem.code == "possible-repeat"]
    assert [(note.origin.path, note.origin.line) for note in notes] == [("content/articles/second/text.md", 3)]
    assert "claim 'bridge-cars' (content/articles/first/claims/bridge-cars.yaml)" in notes[0].message
    assert notes[0].severity == "info"


def test_shingles_fold_case_and_accents():
    assert shingles("Erdoğan SAID the Gülen movement") == shingles("erdogan said the gulen movement")
    assert ("erdogan", "said", "the") in shingles("Erdoğan said the")
    assert shingles("two words") == set()

"""The published Karlov fact-check: it builds cleanly and holds to the site's sourcing rules."""

from __future__ import annotations

import pytest
from sitekit import REPO

from site_builder.build import compile_site


@pytest.fixture(scope="module")
def compiled():
    return compile_site(REPO)


def test_builds_with_no_warning(compiled):
    """No warning but the archive's: these machines cannot reach the sources to archive them (issue 23)."""
    assert [f"{p.origin}: {p.message}" for p in compiled.problems if p.code != "source-not-archived"] == []
    cited = {ref.source for claim in compiled.graph.claims.values() for ref in claim.sources}
    assert sorted(p.origin.path for p in compiled.problems) == sorted(
        compiled.graph.sources[source_id].origin.path for source_id in cited)


def test_every_sentence_is_checked_or_listed_as_unchecked(compiled):
    article = compiled.graph.anchored["karlov-ankara"]
    assert article.uncovered == ()
    assert len(article.text.sentences()) > 150
    assert len(article.checked_sentences) > 100


def test_at_least_sixty_published_claims_and_25_sources(compiled):
    graph = compiled.graph
    assert len(graph.by_article["karlov-ankara"]) >= 60
    assert all(claim.status == "published" for claim in graph.claims.values())
    assert len({ref.source for claim in graph.claims.values() for ref in claim.sources}) >= 25


def test_rated_claims_cite_sources_and_contested_ones_two_publishers(compiled):
    graph = compiled.graph
    top = max(v.rating for v in graph.verdicts.values() if v.rated)
    unsourced, thin = [], []
    for claim in graph.claims.values():
        verdict = graph.verdicts[claim.verdict]
        if not verdict.rated:
            continue
        publishers = {graph.sources[ref.source].publisher for ref in claim.sources}
        if not publishers:
            unsourced.append(claim.id)
        elif verdict.rating != top and len(publishers) < 2:
            thin.append(claim.id)
    assert unsourced == [] and thin == []


def test_scale_fits_a_news_report(compiled):
    verdicts = compiled.graph.verdicts
    assert {"accurate", "mostly-accurate", "needs-context", "inaccurate", "unproven"} <= set(verdicts)
    assert [v.id for v in verdicts.values() if not v.rated] == ["opinion", "not-checkable"]
    assert all(len(v.description) > 40 for v in verdicts.values())


def test_text_keeps_every_sentence_of_the_seed_once_per_printing():
    """Every line of the handed-over text is in text.md, except page furniture; captions are kept once."""
    import re
    # The text as handed over (shared/seed/000_9f4884e37a53ca63.txt), kept in the repository so that a clone
    # with nothing beside it runs every test.
    seed = (REPO / "tests/fixtures/karlov-seed.txt").read_text(encoding="utf-8")
    text = (REPO / "content/articles/karlov-ankara/text.md").read_text(encoding="utf-8")

    def fold(value: str) -> str:
        return re.sub(r"\s+", " ", value.replace("\u2018", "'").replace("\u2019", "'")).strip()

    furniture = {"Advertisement", "The comments below have not been moderated.",
                 "We are no longer accepting comments on this article.",
                 "The views expressed in the contents above are those of our users and do not necessarily "
                 "reflect the views of MailOnline."}
    folded = fold(text)
    lines = [fold(line.strip().lstrip("\u2022")) for line in seed.splitlines() if line.strip()]
    missing = [line for line in lines if line not in folded and line not in furniture]
    assert missing == []
    captions = [line for line in text.splitlines() if line.startswith("> [!caption]")]
    assert len(captions) == len(set(captions)) == 38


BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


@pytest.mark.slow
@pytest.mark.parametrize("char", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_every_direction_override_and_isolate_is_refused_in_values_text_and_markdown(make_site, capsys, char):
    """Trojan Source: an isolate (U+2066-U+2069) reorders text as an override does."""
    from site_builder.commands.cli import main
    claim = "content/articles/story/claims/ten-people.yaml"
    for where, old, new, expected in [
        (claim, "summary: The almanac", f"summary: The {char}almanac",
         f"{claim}:4:10: error[bidi-control]: 'summary' contains an invisible direction override (U+{ord(char):04X})"),
        ("content/articles/story/text.md", "Ten people", f"Ten {char}people",
         "content/articles/story/text.md:3:33: error[bidi-control]: the text contains an invisible direction "
         f"override (U+{ord(char):04X})"),
        (claim, "summary: The almanac counts ten.\n", f"summary: The almanac counts ten.\nbody: a {char}b\n",
         f"{claim}:5:7: error[bidi-control]: 'body' contains an invisible direction override (U+{ord(char):04X})"),
        ("content/pages/about.md", "Text.", f"Te{char}xt.",
         "content/pages/about.md:5:1: error[bidi-control]: the text contains an invisible direction override "
         f"(U+{ord(char):04X})"),
    ]:
        root = make_site({"content/pages/about.md": "---\ntitle: About\ndescription: D.\n---\nText.\n"},
                         name=f"site-{len(where)}-{len(new)}")
        path = root / where
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new, 1))
        assert main(["check", "--root", str(root)]) == 1
        errors = [line for line in capsys.readouterr().err.splitlines() if ": error[" in line]
        assert len(errors) == 1 and errors[0].startswith(expected), errors

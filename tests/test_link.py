from __future__ import annotations

from site_builder.content.load import load_content
from site_builder.content.validate import validate
from site_builder.link import link
from site_builder.memo import Memos
from site_builder.text.anchor import anchor_site, parse_article_texts


def graph_of(root, drafts=False):
    site, problems = validate(load_content(root), drafts=drafts)
    assert site is not None, problems
    problems = []
    memos = Memos()
    anchored = anchor_site(site, parse_article_texts(site, memos), problems, memos)
    assert [p for p in problems if p.is_error] == []
    return link(site, anchored)


ORDER = ("headline", "friday-fire", "crews-hours", "best-response", "built-1962", "grain-tonnes", "twelve-crews")


def test_claims_in_article_order_with_neighbours(basic_site):
    graph = graph_of(basic_site)
    assert graph.order == ORDER
    assert graph.neighbours["crews-hours"] == ("friday-fire", "best-response")
    assert graph.neighbours["headline"] == (None, "friday-fire")
    assert graph.neighbours["twelve-crews"] == ("grain-tonnes", None)


def test_indexes_by_source_verdict_and_tag(basic_site):
    graph = graph_of(basic_site)
    assert [c for c, _ in graph.by_source["src-official-statement"]] == ["headline", "crews-hours"]
    assert graph.by_source["src-archive"][0][1].quote == "capacity 400 t"
    assert graph.by_verdict["accurate"] == ("headline", "crews-hours", "built-1962", "grain-tonnes")
    assert graph.by_verdict["opinion"] == ("best-response",)
    assert graph.by_tag == {"dates-and-times": ("friday-fire", "built-1962"), "fire-service": ("crews-hours",),
                            "numbers": ("crews-hours", "twelve-crews"), "quotes": ("best-response",)}
    assert graph.tally["harbour-fire"] == (("accurate", 4, 0), ("needs-context", 1, 4), ("inaccurate", 1, 5),
                                           ("opinion", 1, 6))


def test_related_is_symmetric(basic_site):
    graph = graph_of(basic_site)
    assert graph.related["crews-hours"] == ("twelve-crews",)
    assert graph.related["twelve-crews"] == ("crews-hours",)
    assert graph.related["headline"] == ()


def test_spans_of_repeated_nested_and_overlapping_quotes(basic_site):
    graph = graph_of(basic_site)
    article = graph.anchored["harbour-fire"]
    plain = article.text.plain
    crews = article.claim_spans["crews-hours"]
    assert [plain[s.start:s.end] for s in crews] == ["Twelve fire crews fought the blaze for six hours"] * 2
    assert [s.block for s in crews] == [3, 7]
    (twelve,) = article.claim_spans["twelve-crews"]
    assert twelve.block == 7 and crews[1].start == twelve.start and twelve.end < crews[1].end  # nested
    (friday,) = article.claim_spans["friday-fire"]
    assert friday.start < crews[0].start < friday.end < crews[0].end  # overlapping
    assert len(article.unchecked_spans) == 1


def test_segments_cover_the_block_exactly_and_mark_overlaps(basic_site):
    graph = graph_of(basic_site)
    article = graph.anchored["harbour-fire"]
    for view in graph.blocks["harbour-fire"]:
        assert "".join(s.text for s in view.segments) == article.text.text_of(view.block)
    paragraph = graph.blocks["harbour-fire"][3]
    covered = {s.text: s.claims for s in paragraph.segments if s.claims}
    assert covered["Twelve fire crews"] == ("crews-hours", "friday-fire")
    assert covered[" fought the blaze for six hours"] == ("crews-hours",)
    markers = [m for s in paragraph.segments for m in s.markers]
    assert markers == [("friday-fire", 1), ("crews-hours", 1)]
    assert paragraph.notes == ("friday-fire", "crews-hours")


def test_quote_context_is_the_sentence_before_and_after(basic_site):
    graph = graph_of(basic_site)
    before, quoted, after = graph.context["built-1962"]
    assert before.startswith("The mayor, Ann Lee")
    assert quoted == "The warehouse was built in 1962 and stored 400 tonnes of grain."
    assert after == "'WE RAN FOR OUR LIVES': A WORKER REMEMBERS"


def test_drafts_are_linked_only_when_asked(basic_site):
    assert "no-one-hurt" not in graph_of(basic_site).claims
    graph = graph_of(basic_site, drafts=True)
    assert "no-one-hurt" in graph.claims
    assert [c for c, _ in graph.by_source["src-official-statement"]] == ["headline", "no-one-hurt", "crews-hours"]

"""`pickling`: what workers send back comes back equal, as a call of each class's constructor."""

from __future__ import annotations

import pickle
import pickletools

from sitekit import REPO

from site_builder.build import compile_site
from site_builder.errors import Origin, Problem


def test_claims_and_anchored_articles_come_back_equal_and_are_pickled_as_constructor_calls():
    graph = compile_site(REPO).graph
    claims = list(graph.claims.values())
    articles = [(a.text, a.claim_spans, a.unchecked_spans, a.uncovered, a.checked_against, a.drift)
                for a in graph.anchored.values()]
    problem = Problem(Origin("content/site.yaml", 3, 1), "unknown-field", "unknown field 'x'", "remove it")
    for value in (claims, articles, [problem]):
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        assert pickle.loads(data) == value
        opcodes = {opcode.name for opcode, _, _ in pickletools.genops(data)}
        assert "REDUCE" in opcodes and "BUILD" not in opcodes  # no slot state set after the object is made

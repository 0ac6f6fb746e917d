"""Edits of tests/sites/basic that the preview knows: each file, the text replaced, and whether `patch`
can take the shortcut. test_patch checks the patched graph, test_page_cache the warm build, against them."""

from __future__ import annotations

CLAIM = "content/articles/harbour-fire/claims/crews-hours.yaml"
DRAFT = "content/articles/harbour-fire/claims/no-one-hurt.yaml"
SOURCE = "content/sources/src-data.yaml"
ARTICLE = "content/articles/harbour-fire/article.yaml"
TEXT = "content/articles/harbour-fire/text.md"
FIRE = ("A fire broke out at the Eastport harbour warehouse on Friday night. Twelve fire crews fought the blaze for "
        "six hours before it was under control.")
MAYOR = ("The mayor, Ann Lee, called the response “the best in the county’s history”. The warehouse was built in 1962 "
         "and stored 400 tonnes of grain.")

# (file, old text, new text, whether the graph can be patched)
EDITS = {
    "summary": (CLAIM, "lists twelve crews and", "lists 12 crews and", True),
    "body": (CLAIM, "**incident log**", "*incident log*", True),
    "claim": (CLAIM, "claim: Twelve fire crews", "claim: Twelve crews", True),
    "source quote": (CLAIM, "quote: twelve crews attended", "quote: all twelve crews attended", True),
    "line shift": (CLAIM, 'quote: "Twelve', '# Every line below moves down one.\nquote: "Twelve', True),
    "claim too long": (CLAIM, "claim: Twelve fire crews", "claim: " + "Very " * 20 + "twelve fire crews", True),
    "claimant is us": (CLAIM, "verdict: accurate", "verdict: accurate\nclaimant: Harbour Desk", True),
    "draft": (DRAFT, "summary:", "summary: Still a draft.", True),
    "verdict": (CLAIM, "verdict: accurate", "verdict: inaccurate", True),
    "unknown verdict": (CLAIM, "verdict: accurate", "verdict: misleading", False),
    "tag removed": (CLAIM, "tags: [numbers, fire-service]", "tags: [numbers]", True),
    "tag added": (CLAIM, "tags: [numbers, fire-service]", "tags: [numbers, fire-service, harbour]", True),
    "tags reordered": (CLAIM, "tags: [numbers, fire-service]", "tags: [fire-service, numbers]", True),
    "draft verdict": (DRAFT, "verdict: accurate", "verdict: needs-context", True),
    "source list": (CLAIM, "  - source: src-data\n    quote: \"crews: 12\"\n", "", False),
    "related": (CLAIM, "related: [twelve-crews]", "related: []", False),
    "checked": (CLAIM, "checked: 2024-03-05", "checked: 2024-03-08", True),
    "update added": (CLAIM, "checked: 2024-03-05", "checked: 2024-03-05\nupdates:\n  - date: 2024-03-09\n"
                     "    note: Corrected the count.", True),
    "quote": (CLAIM, '"Twelve fire crews fought the blaze for six hours"', '"Twelve fire crews fought the blaze"',
              False),
    "unknown source": (CLAIM, "source: src-data", "source: src-nowhere", False),
    "broken yaml": (CLAIM, "verdict: accurate", "verdict: [accurate", False),
    "status": (DRAFT, "status: draft", "status: published", False),
    "article title": (ARTICLE, "title: Fire breaks out", "title: Fire at", True),
    "article publisher": (ARTICLE, "publisher: The Eastport Courier", "publisher: Harbour Desk", True),
    "article notes": (ARTICLE, "printed **twice**", "printed *twice*", True),
    "article unchecked": (ARTICLE, "reason: describes a photo", "reason: a photo caption", True),
    "article unchecked quote": (ARTICLE, "Smoke over the harbour at dawn.", "Smoke over the harbour.", False),
    "article broken": (ARTICLE, "title: Fire breaks out", "title: [Fire breaks out", False),
    "text words": (TEXT, "Mr. Patel said the alarm sounded", "Mr. Patel said the alarm first sounded", True),
    "text before passages": (TEXT, "for six hours before it was under control.",
                             "for six hours before it was finally under control.", True),
    "text quote lost": (TEXT, "stored 400 tonnes", "stored 500 tonnes", False),
    "text reorder": (TEXT, FIRE + "\n\n" + MAYOR, MAYOR + "\n\n" + FIRE, False),  # the checks' order changes
    "text caption": (TEXT, "Smoke over the harbour at dawn.", "Smoke over the harbour.", False),
    "source title": (SOURCE, "title: Source of kind data", "title: A data source", True),
    "source url": (SOURCE, "url: https://", "url: http://", True),
    "source broken": (SOURCE, "title: Source of kind data", "title: [Source", False),
    "source unsafe url": (SOURCE, "url: https://", "url: javascript://", False),
}

"""The code another site pastes to embed a claim's check (claims/ID/embed/, the one page that may be framed).

Made in Python, not in the template, because it is HTML shown as text: escaped once here so the
copied code is valid HTML, and once more by the template so the page shows it instead of running it.
"""

from __future__ import annotations

import html

from ..model import Claim, SiteConfig, Verdict
from .urls import url

__all__ = ["embed_url", "embed_code"]

EMBED_HEIGHT = 340  # CSS px: the verdict, a two-line claim and a three-line summary on a phone


def embed_url(config: SiteConfig, claim: Claim) -> str:
    return config.base_url + url("embed", claim.id)


def embed_code(config: SiteConfig, claim: Claim, verdict: Verdict) -> str:
    """An `<iframe>` element naming the check verdict-first, as a reader's screen reader will announce it."""
    title = f"{verdict.label}: {claim.claim} ({config.title})"
    return (f'<iframe src="{html.escape(embed_url(config, claim))}" title="{html.escape(title)}" '
            f'width="100%" height="{EMBED_HEIGHT}" style="border:0" loading="lazy"></iframe>')

"""Quotes from sources in other languages are marked as such, and our translation is labelled, in Chromium."""

from __future__ import annotations

import yaml
from playwright.sync_api import Page, expect
from sitekit import REPO

SITE_LANGUAGE = yaml.safe_load((REPO / "content/site.yaml").read_text(encoding="utf-8"))["language"]


def language_of(source_id: str) -> str | None:
    return yaml.safe_load((REPO / f"content/sources/{source_id}.yaml").read_text(encoding="utf-8")).get("language")


def claim_sources(claim_id: str) -> list[dict]:
    path = REPO / f"content/articles/karlov-ankara/claims/{claim_id}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]


def test_a_claims_pinpoint_quotes_carry_their_sources_language_and_the_translation_its_label(
        page: Page, real_url: str, csp_violations) -> None:
    for claim_id in ("gokcek-heinous", "family-arrested-soke", "klintsevich-nato-attribution"):
        cited = claim_sources(claim_id)
        assert any(ref.get("translation") for ref in cited)
        page.goto(real_url + f"claims/{claim_id}/")
        items = page.locator("ol.sources > li")
        expect(items).to_have_count(len(cited))
        for number, ref in enumerate(cited):
            item = items.nth(number)
            quote = item.locator("blockquote.pinpoint p")
            expect(quote).to_have_text(ref["quote"])
            # the language the browser gives the quote's text: its nearest lang attribute
            assert quote.evaluate("p => p.closest('[lang]').lang") == (language_of(ref["source"]) or SITE_LANGUAGE)
            translation = item.locator(".translation")
            if ref.get("translation"):
                expect(translation).to_have_text(f"Our translation: {ref['translation']}")
                expect(translation).to_be_visible()
                assert translation.evaluate("p => p.closest('[lang]').lang") in ("en", SITE_LANGUAGE)
            else:
                expect(translation).to_have_count(0)
    assert csp_violations == []


def test_a_source_pages_quotes_carry_its_language(page: Page, real_url: str) -> None:
    assert language_of("ahaber-gokcek-karlov-tweet") == "tr"
    page.goto(real_url + "sources/ahaber-gokcek-karlov-tweet/")
    quotes = page.locator("blockquote.pinpoint")
    assert quotes.count() >= 3  # cited by three claims
    assert set(quotes.evaluate_all("qs => qs.map(q => q.querySelector('p').closest('[lang]').lang)")) == {"tr"}
    translations = page.locator(".translation")
    assert translations.count() >= 2
    labels = translations.evaluate_all("ps => ps.map(p => [p.lang, p.querySelector('.translation-label').textContent])")
    assert all(lang == SITE_LANGUAGE and label == "Our translation:" for lang, label in labels)

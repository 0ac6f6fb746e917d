"""Share cards: a 1200x630 PNG per claim and article page, linked as og:image, drawn again only when changed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from sitekit import REPO, copy_site

from site_builder.build import build, compile_site
from site_builder.commands.cli import main
from site_builder.output import cards as serial
from site_builder.parallel import cards as parallel
from site_builder.preview.preview import Preview

CLAIM = "content/articles/harbour-fire/claims/crews-hours.yaml"


@pytest.mark.slow
def test_every_claim_and_article_page_links_its_card_with_its_size(basic_site: Path):
    result = build(basic_site, search=False, workers=1)
    public = basic_site / "public"
    cards = sorted(str(path.relative_to(public)) for path in public.rglob("card.png"))
    claims = sorted(path.parent.name for path in public.glob("claims/*/index.html") if path.parent.name != "embed")
    assert cards == ["articles/harbour-fire/card.png", *(f"claims/{claim_id}/card.png" for claim_id in claims)]
    assert sorted(result.cards_drawn) == cards and set(cards) <= set(result.paths)
    for card in cards:
        with Image.open(public / card) as image:
            assert (image.format, image.size) == ("PNG", (1200, 630))
        page = (public / card).with_name("index.html").read_text(encoding="utf-8")
        url = "https://checks.example.org/" + card
        assert f'<meta property="og:image" content="{url}">' in page
        assert '<meta property="og:image:width" content="1200">' in page
        assert '<meta property="og:image:height" content="630">' in page
        assert '<meta name="twitter:card" content="summary_large_image">' in page
        assert re.search(r'<meta property="og:image:alt" content="[^"]+">', page)
    page = (public / "claims/friday-fire/index.html").read_text(encoding="utf-8")
    assert '<meta property="og:image:alt" content="Inaccurate: ' in page
    assert '<meta name="twitter:card" content="summary">' in (public / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_rebuild_draws_only_the_cards_whose_inputs_changed(basic_site: Path, tmp_path: Path):
    cache = basic_site / ".site-builder-cache"
    first = build(basic_site, search=False, page_cache=cache)
    assert len(first.cards_drawn) == 8  # 7 published claims and the article
    assert build(basic_site, search=False, page_cache=cache).cards_drawn == ()  # every card from the cache
    path = basic_site / CLAIM
    path.write_text(path.read_text().replace("claim: ", "claim: Reportedly, ", 1))
    assert build(basic_site, search=False, page_cache=cache).cards_drawn == ("claims/crews-hours/card.png",)
    path.write_text(path.read_text().replace("verdict: accurate", "verdict: needs-context"))
    # a new verdict changes the article's card too, whose counts show it
    assert sorted(build(basic_site, search=False, page_cache=cache).cards_drawn) == [
        "articles/harbour-fire/card.png", "claims/crews-hours/card.png"]
    assert len(list((cache / "cards").glob("*.png"))) == 8  # the two cards no page shows any more: removed
    assert len(build(basic_site, search=False).cards_drawn) == 8  # without the cache: every card drawn


def test_no_cards_leaves_them_out(tmp_path: Path):
    root = copy_site(REPO / "tests/sites/basic", tmp_path / "basic")
    assert main(["build", "--root", str(root), "--no-search", "--no-cards"]) == 0
    assert not list((root / "public").rglob("card.png")) and not (root / ".site-builder-cache/cards").exists()
    assert_no_card_is_named(root / "public")


def assert_no_card_is_named(public: Path) -> None:
    """No page links an og:image that is not written: the claim and article pages fall back to a summary card."""
    for page in ("claims/crews-hours/index.html", "articles/harbour-fire/index.html"):
        html = (public / page).read_text(encoding="utf-8")
        assert "og:image" not in html and "twitter:image" not in html, page
        assert '<meta name="twitter:card" content="summary">' in html, page


def test_serve_draws_no_cards_and_names_none(basic_site: Path, tmp_path: Path):
    out = tmp_path / "preview"
    assert not Preview(basic_site, out).rebuild().failed
    assert not list(out.rglob("card.png")) and not (basic_site / ".site-builder-cache").exists()
    assert_no_card_is_named(out)


def test_the_cache_is_never_published(basic_site: Path):
    assert main(["build", "--root", str(basic_site), "--no-search"]) == 0
    assert len(list((basic_site / ".site-builder-cache/cards").glob("*.png"))) == 8  # in the build cache
    assert not [path for path in (basic_site / "public").rglob("*") if ".site-builder-cache" in path.parts]
    assert ".site-builder-cache/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_a_link_among_the_kept_cards_is_never_followed(basic_site: Path, tmp_path: Path):
    """A restored cache could hold a link to a file outside the site: the card is drawn, the file never read."""
    cache = basic_site / ".site-builder-cache"
    first = build(basic_site, search=False, page_cache=cache)
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not a card")
    kept = sorted((cache / "cards").glob("*.png"))[0]
    kept.unlink()
    kept.symlink_to(secret)
    again = build(basic_site, search=False, page_cache=cache)
    assert len(again.cards_drawn) == 1 and len(first.cards_drawn) == 8
    assert not [path for path in (basic_site / "public").rglob("card.png") if path.read_bytes() == b"not a card"]
    assert secret.read_bytes() == b"not a card"


def test_a_cut_or_foreign_card_in_the_cache_is_drawn_again_never_published(basic_site: Path):
    """A restored cache may hold a PNG cut short or another file under a card's name: each is drawn again."""
    cache = basic_site / ".site-builder-cache"
    build(basic_site, search=False, page_cache=cache)
    cut, foreign, *_ = sorted((cache / "cards").glob("*.png"))
    whole = cut.read_bytes()
    cut.write_bytes(whole[:len(whole) // 2])
    foreign.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not a card")
    again = build(basic_site, search=False, page_cache=cache)
    assert len(again.cards_drawn) == 2
    assert cut.read_bytes() == whole  # drawn again, in the cache too
    published = [path.read_bytes() for path in (basic_site / "public").rglob("card.png")]
    assert len(published) == 8
    assert all(png.startswith(b"\x89PNG\r\n\x1a\n") and png.endswith(b"IEND\xaeB`\x82") for png in published)
    assert build(basic_site, search=False, page_cache=cache).cards_drawn == ()


@pytest.mark.slow
def test_parallel_and_serial_cards_are_byte_identical(basic_site: Path, tmp_path: Path, monkeypatch):
    """parallel/cards.py is speed only: the cards it draws in workers are the serial ones, byte for byte."""
    graph = compile_site(basic_site).graph
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    drawn = {}
    for name, write in (("serial", lambda folder, cache: serial.write_cards(graph, folder, cache)),
                        ("parallel", lambda folder, cache: parallel.write_cards(graph, folder, cache, workers=2))):
        made = write(tmp_path / name, tmp_path / f"cache-{name}")
        assert len(made.drawn) == len(made.written) == 8
        drawn[name] = {path: (tmp_path / name / path).read_bytes() for path in made.written}
    assert drawn["serial"] == drawn["parallel"]


@pytest.mark.slow
def test_the_build_cache_keeps_no_page_that_names_a_card_for_a_build_without_them(basic_site: Path):
    """A page kept by the build cache with its og:image is not reused by a --no-cards build, nor the other way."""
    cache = basic_site / ".site-builder-cache"
    build(basic_site, search=False, workers=1, page_cache=cache)
    build(basic_site, search=False, workers=1, page_cache=cache, cards=False)
    assert_no_card_is_named(basic_site / "public")
    build(basic_site, search=False, workers=1, page_cache=cache)
    assert 'property="og:image"' in (basic_site / "public/claims/crews-hours/index.html").read_text(encoding="utf-8")

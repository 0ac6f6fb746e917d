"""`Preview.rebuild` hands the pages the browsers show to `show` first, with the bytes it writes."""

from __future__ import annotations

from sitekit import SITES, copy_site

from site_builder.preview.preview import Preview

CLAIM = "content/articles/harbour-fire/claims/twelve-crews.yaml"
ARTICLE = "articles/harbour-fire/index.html"


def test_the_viewed_page_is_shown_first_with_the_bytes_written(tmp_path):
    root = copy_site(SITES / "basic", tmp_path / "site")
    preview = Preview(root, tmp_path / "out")
    assert not preview.rebuild().failed
    claim = root / CLAIM
    claim.write_text(claim.read_text().replace("summary: Twelve crews attended", "summary: Twelve crews came"))
    shown: list[tuple[str, bytes]] = []
    viewed = {ARTICLE, "claims/twelve-crews/index.html", "about/index.html"}  # the last one is not changed
    report = preview.rebuild({CLAIM}, viewed, lambda path, page: shown.append((path, page)))
    assert not report.failed
    assert {path for path, _ in shown} == {ARTICLE, "claims/twelve-crews/index.html"}
    assert report.rendered[:2] == [path for path, _ in shown]  # made before any other page
    for path, page in shown:
        assert page == (tmp_path / "out" / path).read_bytes() and b"Twelve crews came" in page
    assert len(report.rendered) > 2  # the lists showing the summary were made too, after


def test_without_viewers_the_order_and_the_bytes_are_the_plan_s(tmp_path):
    for name, viewed in (("alone", set()), ("viewed", {ARTICLE})):
        root = copy_site(SITES / "basic", tmp_path / name / "site")
        preview = Preview(root, tmp_path / name / "out")
        preview.rebuild()
        claim = root / CLAIM
        claim.write_text(claim.read_text().replace("summary: Twelve crews attended", "summary: Twelve crews came"))
        report = preview.rebuild({CLAIM}, viewed, lambda path, page: None)
        pages = {path: (tmp_path / name / "out" / path).read_bytes() for path in report.rendered}
        if name == "alone":
            alone, alone_order = pages, report.rendered
        else:
            assert pages == alone  # the same bytes, whatever comes first
            assert report.rendered[0] == ARTICLE and sorted(report.rendered) == sorted(alone_order)
            assert alone_order[0] != ARTICLE  # else the first test's ordering would prove nothing

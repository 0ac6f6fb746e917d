"""`new article --from`: a saved news page (three layouts) or its URL becomes article.yaml and text.md."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest
import yaml

from site_builder.commands.cli import main
from site_builder.commands.import_article import import_article
from site_builder.errors import UsageError

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "import"

BROADCASTER = """\
> [!caption] Smoke over the harbour at dawn on Saturday.

A fire that started in a warehouse at Eastport harbour on Friday evening was brought under control early on \
Saturday, the fire service said.

Twelve crews fought the blaze, which sent a plume of black smoke across the town and forced the closure of the \
coast road for several hours.

Nobody was injured, according to Eastport Fire Service, although two firefighters were treated at the scene for \
heat exhaustion.

## What caused the fire?

Investigators have not yet said how the fire started. The warehouse, owned by Harbour Logistics Ltd, stored timber \
and packaging materials.

Residents living near the harbour were told to keep their windows and doors closed overnight because of the smoke.

> "We heard a loud bang and then the whole sky turned orange," said Maria Lopez, who lives on Quay Street.

The council said the following roads would stay closed until Sunday:

- the coast road between the harbour and the lighthouse
- Quay Street from the fish market to Dock Lane

A spokesperson for Harbour Logistics said the company was co-operating fully with the investigation and thanked \
the emergency services for their work.
"""

# What no page's text.md may hold: navigation, adverts, share bars, comments, promotions, footers.
CHROME = ["Home", "Sport", "cookies", "Advertisement", "Share", "More on this story", "harbourwatcher",
          "everybody knew it", "heroes", "Copyright", "ADVERTISEMENT", "WhatsApp", "Disgraceful",
          "Sign up to our daily newsletter", "Most read", "seagulls", "Tags:", "Subscribe", "Read more",
          "Follow us on social media", "Gift this article", "unlimited access", "Privacy", "Sign in"]


@pytest.fixture
def site(tmp_path, capsys) -> Path:
    assert main(["new", "--root", str(tmp_path), "site", "x"]) == 0
    capsys.readouterr()
    return tmp_path / "x"


def imported(site: Path, name: str) -> tuple[dict, str, str]:
    assert main(["new", "--root", str(site), "article", name, "--from", str(PAGES / f"{name}.html")]) == 0
    folder = site / "content/articles" / name
    meta = (folder / "article.yaml").read_text()
    return yaml.load(meta, Loader=yaml.BaseLoader), meta, (folder / "text.md").read_text()


def test_a_broadcaster_page_keeps_caption_heading_quote_and_list_and_drops_the_rest(site):
    fields, meta, text = imported(site, "broadcaster")
    assert text == BROADCASTER
    assert {key: fields[key] for key in ("title", "publisher", "published", "authors", "url", "status")} == {
        "title": "Harbour warehouse fire: Twelve crews fought blaze overnight",
        "publisher": "Eastport Broadcasting News", "published": "2024-03-02", "authors": ["Jane Doe"],
        "url": "https://news.eastport-broadcasting.example/uk-eastport-68012345", "status": "draft"}
    guessed = [line.split(":")[0] for line in meta.splitlines() if line.endswith("# guessed from the page: review")]
    assert guessed == ["title", "publisher", "url", "published", "authors"]
    assert not any(word in text for word in CHROME)


def test_a_newspaper_page_drops_its_headline_and_gives_the_attribution_its_own_block(site):
    fields, _, text = imported(site, "newspaper")
    assert fields["authors"] == ["Sam Okafor", "Priya Patel"] and fields["published"] == "2025-02-14"
    assert fields["publisher"] == "The Northam Gazette" and "url" not in fields
    assert "Council approves budget" not in text  # the headline is the title, not shown twice
    assert "three branch libraries saved" not in text  # a description the page never shows is not its text
    assert "standfirst" not in (site / "content/articles/newspaper/article.yaml").read_text()
    assert ("\n\n### Libraries spared\n\n" in text and
            '\n\n> "Libraries are not a luxury, they are where our children learn to read."\n\n'
            "> — Councillor Ann Reid\n\n" in text)
    assert "1. Social care: £4.1m more\n2. Road repairs: £1.2m more\n3. Street lighting: £0.3m less\n" in text
    assert text.startswith("Northam councillors voted by 31 to 18") and text.endswith("website next week.\n")
    assert not any(word in text for word in CHROME)


def test_a_magazine_page_keeps_its_sections_and_caption_in_order(site):
    fields, _, text = imported(site, "magazine")
    assert fields["title"] == "The long road back: how a mill town rebuilt its high street"
    assert fields["authors"] == ["Lena Fischer"] and fields["published"] == "2023-11-09"
    assert [block.split()[0] for block in text.split("\n\n")] == ["Ten", "When", "Within", "Today", "##", "The",
                                                                  ">", "Footfall", "Not"]
    assert text.startswith("Ten years after the last mill closed, empty shops are filling again.\n\n")  # standfirst
    meta = (site / "content/articles/magazine/article.yaml").read_text()
    assert "# text.md's first paragraph is the page's standfirst, found by its description: review.\n" in meta
    assert "> [!caption] The weaving shed now holds 60 market stalls. Photo: Weekly Review\n" in text
    assert not any(word in text for word in CHROME)


def test_an_imported_article_builds_once_its_summary_is_written(site, capsys):
    imported(site, "broadcaster")
    path = site / "content/articles/broadcaster/article.yaml"
    path.write_text(path.read_text().replace("\nsummary:\n", "\nsummary: A warehouse fire.\n")
                    .replace("status: draft", "status: published"))
    assert main(["build", "--root", str(site), "--no-search"]) == 0
    html = (site / "public/articles/broadcaster/index.html").read_text()
    assert "Quay Street from the fish market to Dock Lane" in html and "harbourwatcher" not in html


def test_import_refuses_other_schemes_and_pages_without_an_article(site, tmp_path, capsys):
    assert main(["new", "--root", str(site), "article", "a", "--from", "file:///etc/passwd"]) == 2
    assert capsys.readouterr().err == ("site-builder: error: --from 'file:///etc/passwd': only http(s) addresses "
                                       "are fetched; or give a saved .html file\n")
    (tmp_path / "empty.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert main(["new", "--root", str(site), "article", "a", "--from", str(tmp_path / "empty.html")]) == 2
    assert "found no article text in the page" in capsys.readouterr().err
    assert not (site / "content/articles/a").exists()


def test_import_fetches_a_url_only_when_given_one(site):
    page = (PAGES / "newspaper.html").read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/2025/02/budget"
    try:
        with pytest.raises(UsageError, match="private"):  # a loopback address is refused unless allowed
            import_article(site, "refused", url)
        import_article(site, "budget", url, allow_private=True)
    finally:
        server.shutdown()
        server.server_close()
    fields = yaml.load((site / "content/articles/budget/article.yaml").read_text(), Loader=yaml.BaseLoader)
    assert fields["url"] == url
    assert (site / "content/articles/budget/text.md").read_text().startswith("Northam councillors voted")

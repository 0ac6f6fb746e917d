"""`site-builder new article SLUG --from FILE.html|URL`: start an article from a saved page or its address.

trafilatura finds the article's main text and its metadata (title, publisher, date, authors),
leaving out navigation, adverts, share bars and comments; its XML is turned here into
text.md's block Markdown: headings, paragraphs, list items, quoted passages and photo
captions (the two things it drops are put back: a figure's caption, read from the figure itself,
and a standfirst, found as the block that shows the page's description). The words
stay as the page has them. Every field guessed from the page is marked for review.
A URL is fetched only when given, with the source fetcher's limits (http(s), timeouts, size).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..content import fields as F
from ..errors import UsageError
from .new import SCHEMA_COMMENT, _comment, _quoted, _write_new

__all__ = ["import_article", "extract_article", "Extracted"]

REVIEW = "  # guessed from the page: review"
MAX_BYTES = 5 * 1024 * 1024
_MARKER = re.compile(r"^([#>*+•-]|[0-9]+[.)](\s|$))")


class Extracted(dict[str, str]):
    """The fields found (title, publisher, published, authors, url), `text` (the text.md Markdown) and the
    `standfirst` it starts with, if the page had one the extractor missed."""


def _read(source: str, allow_private: bool = False) -> tuple[bytes, str | None]:
    """The page's bytes, and its address when it was fetched."""
    if source.startswith(("http://", "https://")):
        from .. import __version__
        from .fetch import Fetcher, FetchFailed, FetchPolicy
        policy = FetchPolicy(f"site-builder/{__version__} (article import)", timeout=15.0, max_bytes=MAX_BYTES,
                             robots=False, delay=0.0, allow_private=allow_private)
        try:
            with Fetcher(policy) as fetcher:
                fetched = fetcher.get(source)
        except FetchFailed as failed:
            raise UsageError(f"cannot fetch the article: {failed.message}") from None
        if fetched.status != 200:
            raise UsageError(f"cannot fetch the article: {source} answered {fetched.status} {fetched.reason}")
        return fetched.body, fetched.final_url
    if "://" in source:
        raise UsageError(f"--from {source!r}: only http(s) addresses are fetched; or give a saved .html file")
    path = Path(source)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UsageError(f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MB: is it a web page?")
        return path.read_bytes(), None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


def _captions(tree: Any) -> dict[str, str]:
    """Image address -> its figure's caption: what the extractor leaves out of a figure."""
    found = {}
    for figure in tree.iter("figure"):
        images, captions = figure.findall(".//img"), figure.findall(".//figcaption")
        if images and captions:
            found[images[0].get("src", "")] = " ".join(captions[0].text_content().split())
    return found


def _standfirst(tree: Any, description: str, blocks: list[str]) -> str | None:
    """The page's description when the page shows it as a block of its own (a standfirst) and the
    extractor left it out: the other thing it drops. A description the page never shows is not text."""
    wanted = " ".join(description.split())
    if not wanted or any(wanted in " ".join(block.split()) for block in blocks):
        return None
    body = tree.find("body")
    shown = body is not None and any(" ".join(element.text_content().split()) == wanted
                                     for element in body.iter("p", "div", "h2", "span"))
    return wanted if shown else None


def _text(element: ElementTree.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _blocks(main: ElementTree.Element, captions: dict[str, str], title: str) -> list[str]:
    """text.md's blocks, in reading order, from the extractor's XML."""
    blocks: list[str] = []
    for element in main:
        text = _text(element)
        if element.tag == "head":
            if text and (blocks or text != title):  # the headline is the article's title, not its text
                level = (element.get("rend") or "h2").removeprefix("h")
                blocks.append("#" * max(2, min(6, int(level) if level.isdigit() else 2)) + " " + text)
        elif element.tag == "p" and text:
            blocks.append("\\" + text if _MARKER.match(text) else text)  # a paragraph, not a list or a heading
        elif element.tag == "list":
            ordered = element.get("rend") == "ol"
            items = [_text(item) for item in element.iter("item") if _text(item)]
            blocks.append("\n".join(f"{n}. {item}" if ordered else f"- {item}" for n, item in enumerate(items, 1)))
        elif element.tag == "quote":
            paragraphs = [_text(p) for p in element.iter("p")] or [text]
            blocks += [f"> {paragraph}" for paragraph in paragraphs if paragraph]  # an attribution: its own block
        elif element.tag == "graphic" and captions.get(element.get("src", "")):
            blocks.append(f"> [!caption] {captions[element.get('src', '')]}")
    return blocks


def extract_article(html: bytes, url: str | None = None) -> Extracted:
    """The article of a news page: its fields and its text as text.md Markdown."""
    import trafilatura
    xml = trafilatura.extract(html, url=url, output_format="xml", include_comments=False, include_images=True,
                              include_formatting=False, include_tables=False, with_metadata=True,
                              favor_precision=True)
    if not xml:
        raise UsageError("found no article text in the page: save the article's own page (not a front page), "
                         "or paste its text with --text")
    doc = ElementTree.fromstring(xml)
    found = Extracted()
    for name, attribute in (("title", "title"), ("publisher", "sitename"), ("published", "date"),
                            ("authors", "author"), ("url", "url")):
        if doc.get(attribute):
            found[name] = " ".join(doc.get(attribute, "").split())
    if url and "url" not in found:
        found["url"] = url
    import lxml.html
    tree = lxml.html.fromstring(html)
    main = doc.find("main")
    blocks = _blocks(main, _captions(tree), found.get("title", "")) if main is not None else []
    if not blocks:
        raise UsageError("found no article text in the page: paste its text with --text")
    standfirst = _standfirst(tree, doc.get("description", ""), blocks)
    if standfirst:
        blocks.insert(0, "\\" + standfirst if _MARKER.match(standfirst) else standfirst)
        found["standfirst"] = standfirst
    found["text"] = "\n\n".join(blocks) + "\n"
    return found


def _field_lines(found: Extracted) -> list[str]:
    lines = [SCHEMA_COMMENT.format("../../../", "article"),
             "# Imported from a web page: check every field marked 'review', fill in the empty ones, and\n"
             "# compare text.md with the page before the first check. See docs/authoring.md.\n"]
    if found.get("standfirst"):
        lines.append("# text.md's first paragraph is the page's standfirst, found by its description: review.\n")
    lines.append("\n")
    for spec in F.ARTICLE:
        value = found.get(spec.name)
        if spec.name == "status":
            lines += [_comment(spec), "status: draft\n\n"]
        elif spec.name == "authors" and value:
            names = [name.strip() for name in value.split(";") if name.strip()]
            lines += [_comment(spec), f"authors: [{', '.join(_quoted(n) for n in names)}]{REVIEW}\n\n"]
        elif spec.name == "url" and value and F.is_web_url(value):
            lines += [_comment(spec), f"url: {_quoted(value)}{REVIEW}\n\n"]
        elif spec.name in ("title", "publisher") and value:
            lines += [_comment(spec), f"{spec.name}: {_quoted(value)}{REVIEW}\n\n"]
        elif spec.name == "published" and value:
            lines += [_comment(spec), f"published: {value}{REVIEW}\n\n"]
        elif spec.required:
            lines += [_comment(spec), f"{spec.name}:\n\n"]
        else:
            lines += [_comment(spec), f"# {spec.name}:\n\n"]
    return lines


def import_article(root: Path, slug: str, source: str, allow_private: bool = False) -> Path:
    """Write content/articles/SLUG/{article.yaml,text.md} from the page at `source` (a file or a URL)."""
    if not F.is_safe_id(slug):
        raise UsageError(f"'{slug}' is not a safe article slug: use lowercase letters a-z, digits and hyphens")
    folder = root / "content/articles" / slug
    if folder.exists():
        raise UsageError(f"{folder} already exists; nothing was written")
    html, url = _read(source, allow_private)
    found = extract_article(html, url)
    written = _write_new(folder / "article.yaml", "".join(_field_lines(found)))
    _write_new(folder / "text.md", found["text"])
    (folder / "claims").mkdir()
    return written

"""A crawler that visits every page reachable from the home page in a real browser and reports faults."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin

from playwright.sync_api import Page

_PAGE_FACTS = """() => {
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  return {
    lang: document.documentElement.getAttribute('lang'),
    title: document.title,
    h1: document.querySelectorAll('h1').length,
    canonical: [...document.querySelectorAll('link[rel=canonical]')].map(l => l.getAttribute('href')),
    ids: ids,
    duplicates: ids.filter((id, i) => ids.indexOf(id) !== i),
    links: [...document.querySelectorAll('a[href], link[href][rel=stylesheet], link[href][rel=icon], script[src]')]
      .map(e => e.href || e.src),
    footer: [...document.querySelectorAll('footer a[href]')].map(a => [a.textContent, a.href]),
    inlineStyles: document.querySelectorAll('[style]').length,
    inlineScripts: [...document.querySelectorAll('script:not([src])')]
      .filter(s => s.type !== 'application/ld+json').length,
  };
}"""


@dataclass
class CrawlReport:
    pages: dict[str, dict] = field(default_factory=dict)  # url -> facts
    faults: list[str] = field(default_factory=list)

    def fault(self, url: str, what: str) -> None:
        self.faults.append(f"{url}: {what}")


def crawl(page: Page, start: str, limit: int = 5000) -> CrawlReport:
    """Visit every same-site page linked from `start`; record each page's faults and links."""
    report = CrawlReport()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    queue, seen = [start], {start}
    links_to_check: list[tuple[str, str]] = []
    while queue and len(report.pages) < limit:
        url = queue.pop(0)
        errors.clear()
        response = page.goto(url, wait_until="load")
        status = response.status if response else 0
        if status != 200:
            report.fault(url, f"HTTP {status}")
            continue
        if not (response.headers.get("content-type", "")).startswith("text/html"):
            continue
        facts = page.evaluate(_PAGE_FACTS)
        report.pages[url] = facts
        if facts["h1"] != 1:
            report.fault(url, f"{facts['h1']} h1 elements")
        if not facts["title"].strip():
            report.fault(url, "no <title>")
        if len(facts["canonical"]) != 1:
            report.fault(url, "no canonical link")
        if not facts["lang"]:
            report.fault(url, "no lang attribute")
        if facts["duplicates"]:
            report.fault(url, f"duplicate ids {sorted(set(facts['duplicates']))}")
        if facts["inlineStyles"] or facts["inlineScripts"]:
            report.fault(url, "inline style or script")
        for error in errors:
            report.fault(url, f"console error: {error}")
        for link in facts["links"]:
            target, _ = urldefrag(link)
            if not target.startswith(start):
                continue
            links_to_check.append((url, link))
            if target not in seen and not target.endswith((".css", ".js", ".svg", ".xml", ".json", ".txt",
                                                           ".csv", ".jsonld")):
                seen.add(target)
                queue.append(target)
    for source, link in links_to_check:
        target, fragment = urldefrag(link)
        if target in report.pages:
            if fragment and fragment not in report.pages[target]["ids"]:
                report.fault(source, f"link to missing #{fragment} on {target}")
        elif not target.endswith("/") and "." in target.rsplit("/", 1)[-1]:
            response = page.request.get(target)
            if response.status != 200:
                report.fault(source, f"broken link {link} (HTTP {response.status})")
        elif target not in report.pages:
            report.fault(source, f"broken link {link}")
    return report


def sitemap_urls(page: Page, start: str, base_url: str) -> set[str]:
    """The sitemap's URLs, moved from the site's base_url to where it is served."""
    import re
    text = page.request.get(urljoin(start, "sitemap.xml")).text()
    return {start + loc[len(base_url):] for loc in re.findall(r"<loc>(.*?)</loc>", text)}

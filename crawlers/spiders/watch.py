"""Watched pages: a page without feed (a lab's news list, a funding agency's
calls page) checked at each crawl. The text blocks of its watched part (CSS
`selector`, the whole body by default) are compared with the previous visit's;
added blocks become one item whose summary is what was added, with the links
found in them. The first visit only records the page."""
from __future__ import annotations

import hashlib

import scrapy

from crawlers.canonical import canonical_url
from crawlers.items import PageItem, WatchStateItem
from crawlers.spiders.base import SourceSpider

BLOCK_TAGS = ("h1", "h2", "h3", "h4", "li", "p", "dt", "dd", "td", "blockquote")
BLOCKS = ", ".join(BLOCK_TAGS)
INNER_BLOCK = "./descendant::*[" + " or ".join(f"self::{tag}" for tag in BLOCK_TAGS) + "]"
MAX_SUMMARY_CHARS = 4000


def text_blocks(response, selector: str = "") -> list[tuple[str, list[str]]]:
    """(text, links) of each innermost text block of the watched part, in page order."""
    root = response.css(selector) if selector else response.css("body")
    blocks, seen = [], set()
    for node in root.css(BLOCKS):
        if node.xpath(INNER_BLOCK):  # keep innermost blocks only (a <li> holding <p>s counts once)
            continue
        text = " ".join(" ".join(node.xpath(".//text()").getall()).split())
        if len(text) < 3 or text in seen:
            continue
        seen.add(text)
        links = [response.urljoin(href) for href in node.css("a::attr(href)").getall()]
        blocks.append((text, [u for u in links if u.startswith(("http://", "https://"))]))
    return blocks


class WatchSpider(SourceSpider):
    name = "watch"

    def __init__(self, sources: list[dict], snapshots: dict | None = None, **kwargs):
        super().__init__(sources, **kwargs)
        self.snapshots = snapshots or {}

    async def start(self):
        for source in self.sources:
            yield scrapy.Request(source["url"], callback=self.parse_page, errback=self.failed, dont_filter=True,
                                 meta={"source": source, "kind": "watch", "what": "page surveillée"})

    def parse_page(self, response):
        source = response.meta["source"]
        stats = self.report.sources[source["id"]]
        if not hasattr(response, "text"):
            self.report.error(source["id"], response.url, "page surveillée : ce n'est pas une page HTML")
            return
        stats.feeds += 1
        blocks = text_blocks(response, source.get("selector") or "")
        if not blocks:
            self.report.error(source["id"], response.url, "page surveillée : aucun texte dans la partie surveillée"
                              + (f" ({source['selector']})" if source.get("selector") else ""))
            return
        previous = self.snapshots.get(source["url"])
        yield WatchStateItem(source=source["id"], url=source["url"], blocks=[text for text, _ in blocks])
        if previous is None:
            return  # first visit: the page as it is now is the reference
        known = set(previous)
        added = [(text, links) for text, links in blocks if text not in known]
        if not added:
            stats.not_modified += 1
            return
        stats.entries += 1
        summary = "\n".join(text for text, _ in added)[:MAX_SUMMARY_CHARS]
        digest = hashlib.sha256(summary.encode("utf-8")).hexdigest()[:16]
        url = canonical_url(source["url"]) + "#ajout-" + digest
        yield PageItem(url=url, source=source["id"], final_url=url, status=0, content_type="", encoding="",
                       body=b"", entry={
                           "title": f"{source['name']} : nouveautés",
                           "summary": summary,
                           "published": None, "authors": [], "tags": [],
                           "links": sorted({link for _, links in added for link in links}),
                       })

"""Site sections, for sites without feed: start pages (listings) plus link
rules. Links matching `allow` (and no `deny`) are articles, fetched as pages;
links matching `follow` are more listings (pagination, sub-sections), walked
up to `max_depth` links away from a start page; at most `max_pages` articles
per source and crawl. Only links on the start pages' own hosts are taken."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import scrapy
from scrapy.linkextractors import LinkExtractor

from crawlers.canonical import canonical_url
from crawlers.spiders.base import SourceSpider
from crawlers.spiders.sitemaps import url_allowed


class SectionSpider(SourceSpider):
    name = "sections"

    def __init__(self, sources: list[dict], **kwargs):
        super().__init__(sources, **kwargs)
        self.taken: dict[str, set[str]] = {s["id"]: set() for s in sources}
        self.walked: dict[str, set[str]] = {s["id"]: set() for s in sources}
        self.extractor = LinkExtractor(unique=True)

    async def start(self):
        for source in self.sources:
            for url in [source["url"], *(source.get("start_urls") or [])]:
                yield self.listing_request(source, canonical_url(url), depth=0)

    def listing_request(self, source: dict, url: str, depth: int) -> scrapy.Request:
        self.walked[source["id"]].add(url)
        return scrapy.Request(url, callback=self.parse_listing, errback=self.failed, dont_filter=True,
                              meta={"source": source, "kind": "listing", "what": "page de rubrique",
                                    "listing_depth": depth})

    def links(self, response, source: dict) -> list[str]:
        """Links of the page on the start pages' own sites (host and port)."""
        sites = {urlsplit(u).netloc.lower() for u in [source["url"], *(source.get("start_urls") or [])]}
        links = self.extractor.extract_links(response)
        return [canonical_url(link.url) for link in links if urlsplit(link.url).netloc.lower() in sites]

    def parse_listing(self, response):
        source = response.meta["source"]
        stats = self.report.sources[source["id"]]
        if not hasattr(response, "text"):
            self.report.error(source["id"], response.url, "page de rubrique : ce n'est pas une page HTML")
            return
        stats.feeds += 1
        depth = response.meta["listing_depth"] + 1
        taken, walked = self.taken[source["id"]], self.walked[source["id"]]
        for url in self.links(response, source):
            if any(re.search(p, url) for p in source.get("follow") or []) and url_allowed(url, {"deny": source.get("deny")}):
                if depth < source.get("max_depth", 2) and url not in walked:
                    yield self.listing_request(source, url, depth)
                continue
            if url in taken or not source.get("allow") or not url_allowed(url, source):
                continue
            if len(taken) >= source.get("max_pages", 50):
                continue
            taken.add(url)
            stats.entries += 1
            yield self.article_request(source, url, {})

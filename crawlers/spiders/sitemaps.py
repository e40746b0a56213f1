"""Sitemap sources: a sitemap, a sitemap index, a Google News sitemap, or a
robots.txt naming them. Entries older than the source's `max_age_days` (by
news publication date, else lastmod) and URLs outside its allow/deny rules are
skipped; the rest are fetched as article pages (thin spider)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import scrapy
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawlers.canonical import canonical_url
from crawlers.spiders.base import SourceSpider

MAX_INDEX_DEPTH = 3   # index → index → sitemap, no further


class NewsSitemap(Sitemap):
    """Scrapy's sitemap reader (entities never resolved), plus the nested
    Google News fields (`news_publication_date`, `news_title`) of each URL."""

    def _process_sitemap_element(self, elem):
        news = {}
        for child in elem.iter():
            name = self._get_tag_name(child)
            if name in ("publication_date", "title") and child.text and child is not elem:
                news[f"news_{name}"] = child.text.strip()
        entry = super()._process_sitemap_element(elem)
        if entry is not None:
            entry.update(news)
        return entry


def entry_date(entry: dict) -> datetime | None:
    value = entry.get("news_publication_date") or entry.get("lastmod") or ""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def url_allowed(url: str, source: dict) -> bool:
    if any(re.search(pattern, url) for pattern in source.get("deny") or []):
        return False
    allow = source.get("allow") or []
    return not allow or any(re.search(pattern, url) for pattern in allow)


class SitemapSourceSpider(SourceSpider):
    name = "sitemaps"

    def __init__(self, sources: list[dict], max_bytes: int = 50_000_000, **kwargs):
        super().__init__(sources, **kwargs)
        self.max_bytes = max_bytes

    async def start(self):
        for source in self.sources:
            yield self.sitemap_request(source, source["url"], depth=0)

    def sitemap_request(self, source: dict, url: str, depth: int) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_sitemap, errback=self.failed, dont_filter=True,
                              meta={"source": source, "kind": "sitemap", "what": "plan du site", "depth_left":
                                    MAX_INDEX_DEPTH - depth})

    def parse_sitemap(self, response):
        source = response.meta["source"]
        stats = self.report.sources[source["id"]]
        if response.url.endswith("/robots.txt"):
            stats.feeds += 1
            for url in sitemap_urls_from_robots(response.text, base_url=response.url):
                yield self.sitemap_request(source, url, depth=1)
            return
        body = response.body
        if body[:2] == b"\x1f\x8b":  # a .xml.gz served as it is
            body = gunzip(body, max_size=self.max_bytes)
        try:
            sitemap = NewsSitemap(body)
        except Exception as exc:  # lxml raises several kinds on garbage
            self.report.error(source["id"], response.url, f"plan du site illisible : {type(exc).__name__}: {exc}")
            self.report.incomplete.add(source["id"])
            return
        stats.feeds += 1
        cutoff = datetime.now(timezone.utc) - timedelta(days=source.get("max_age_days") or 30)
        for entry in sitemap:
            loc = response.urljoin(entry.get("loc", ""))
            if not loc.startswith(("http://", "https://")):
                continue
            moment = entry_date(entry)
            if moment is not None and moment < cutoff:
                continue
            if sitemap.type == "sitemapindex":
                if response.meta["depth_left"] > 1:
                    yield self.sitemap_request(source, loc, depth=MAX_INDEX_DEPTH - response.meta["depth_left"] + 1)
                continue
            url = canonical_url(loc)
            if not url_allowed(url, source):
                continue
            stats.entries += 1
            yield self.article_request(source, url, {
                "title": entry.get("news_title", ""), "summary": "",
                "published": moment.isoformat() if moment else None, "authors": [], "tags": [],
            })

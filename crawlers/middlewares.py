"""Cross-cutting crawl rules, enabled by settings (Scrapy's way)."""
from __future__ import annotations

import ipaddress
import socket
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest

from crawlers.items import PageItem
from crawlers.state import CrawlState
from veille.spool import Spool


class KnownPageFilter:
    """Spider middleware: article pages already collected are not fetched again,
    nor, for VEILLE_RETRY_FAILED_DAYS, pages that failed for good (404, refused,
    too large, not HTML)."""

    # The spiders of one crawl process (one per kind of source) share one set,
    # so a page linked from a feed and a sitemap of the same run is fetched once.
    _shared: dict[str, set[str]] = {}

    _failed: dict[str, set[str]] = {}

    def __init__(self, crawler):
        self.crawler = crawler
        path = str(crawler.settings.get("VEILLE_SPOOL"))
        if path not in self._shared:
            with Spool(path) as spool:
                self._shared[path] = spool.known_page_urls()
            since = datetime.now(timezone.utc) - timedelta(days=crawler.settings.getint("VEILLE_RETRY_FAILED_DAYS", 7))
            with CrawlState(path) as state:
                self._failed[path] = state.failed_pages(since.isoformat(timespec="seconds"))
        self.known = self._shared[path]
        self.failed = self._failed[path]

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _is_known(self, item) -> bool:
        """Also true for a page another feed of this run already asked for, and
        for a page-less feed entry (or watched-page change) already stored."""
        if isinstance(item, scrapy.Request) and "article_url" in item.meta:
            url, source = item.meta["article_url"], item.meta["source"]["id"]
        elif isinstance(item, PageItem) and not item.body:
            url, source = item.url, item.source
        else:
            return False
        if url in self.known:
            self.crawler.spider.report.sources[source].known += 1
            return True
        if url in self.failed:
            self.crawler.spider.report.sources[source].known_failed += 1
            return True
        self.known.add(url)
        return False

    def process_spider_output(self, response, result, spider=None):
        for item in result:
            if not self._is_known(item):
                yield item

    async def process_spider_output_async(self, response, result, spider=None):
        async for item in result:
            if not self._is_known(item):
                yield item


def _is_public(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return True  # the download itself will report the DNS failure
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            return False
    return True


class PrivateAddressGuard:
    """Downloader middleware: refuse non-http(s) URLs, and private, loopback,
    link-local or metadata addresses unless the host belongs to a source
    marked `allow_private` (only the local fixture web is). Robots.txt requests
    carry no source, hence the per-host allowlist."""

    def __init__(self, allowed_hosts: set[str]):
        self.allowed_hosts = allowed_hosts

    @classmethod
    def from_crawler(cls, crawler):
        return cls(set(crawler.settings.getlist("VEILLE_PRIVATE_HOSTS")))

    def process_request(self, request, spider=None):
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise IgnoreRequest(f"schéma refusé : {parts.scheme}")
        host = parts.hostname or ""
        if host in self.allowed_hosts:
            return None
        if not _is_public(host):
            raise IgnoreRequest(f"adresse privée refusée : {host}")
        return None

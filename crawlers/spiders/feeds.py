"""Feed sources: fetch the feed, parse it, follow each entry (thin spider).

Conditional GET: the validators (ETag, Last-Modified) stored for each feed at
the end of the previous crawl go with the request, so an unchanged feed costs
one `304 Not Modified`. Entries without a fetchable page keep what the feed
says about them (title, summary) and go to the spool as they are.
"""
from __future__ import annotations

import hashlib
from urllib.parse import quote

import scrapy

from crawlers.canonical import canonical_url
from crawlers.feedparse import parse_feed
from crawlers.items import FeedStateItem, PageItem
from crawlers.spiders.base import SourceSpider


def entry_record(entry: dict) -> dict:
    """What a feed entry tells us about an article, as plain JSON data."""
    return {key: entry.get(key) for key in ("title", "summary", "published", "authors", "tags")}


def feed_only_url(feed_url: str, entry: dict) -> str:
    """A stable address for an entry that has no page of its own."""
    key = entry.get("id") or entry.get("title") or entry.get("summary") or ""
    return canonical_url(feed_url) + "#entree-" + quote(hashlib.sha256(key.encode("utf-8")).hexdigest()[:16])


class FeedSpider(SourceSpider):
    name = "feeds"

    def __init__(self, sources: list[dict], max_entries: int = 100, validators: dict | None = None, **kwargs):
        super().__init__(sources, **kwargs)
        self.max_entries = max_entries
        self.validators = validators or {}

    async def start(self):
        for source in self.sources:
            yield self.feed_request(source)

    def feed_request(self, source: dict) -> scrapy.Request:
        headers = {}
        known = self.validators.get(source["url"]) or {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        return scrapy.Request(source["url"], callback=self.parse_feed, errback=self.failed, headers=headers,
                              meta={"source": source, "kind": "feed", "handle_httpstatus_list": [304]},
                              dont_filter=True)

    def parse_feed(self, response):
        source = response.meta["source"]
        stats = self.report.sources[source["id"]]
        if response.status == 304:
            stats.feeds += 1
            stats.not_modified += 1
            return
        feed = parse_feed(response.body, response.url,
                          response.headers.get("Content-Type", b"").decode("latin-1"))
        if feed.problem:
            self.report.error(source["id"], response.url, feed.problem)
            if not feed.entries:
                self.report.incomplete.add(source["id"])
                return
        stats.feeds += 1
        yield FeedStateItem(source=source["id"], url=source["url"],
                            etag=response.headers.get("ETag", b"").decode("latin-1"),
                            last_modified=response.headers.get("Last-Modified", b"").decode("latin-1"))
        for entry in feed.entries[: self.max_entries]:
            stats.entries += 1
            link = response.urljoin(entry["link"]) if entry.get("link") else ""
            if not link.startswith(("http://", "https://")):
                if entry.get("summary"):
                    yield self.feed_only(source, response.url, entry)
                else:
                    self.report.error(source["id"], response.url,
                                      f"entrée sans lien ni résumé : {entry.get('title', '')[:80]!r}")
                continue
            yield self.article_request(source, canonical_url(link), entry_record(entry))

    def feed_only(self, source: dict, feed_url: str, entry: dict) -> PageItem:
        url = feed_only_url(feed_url, entry)
        return PageItem(url=url, source=source["id"], final_url=url, status=0, content_type="",
                        encoding="", body=b"", entry=entry_record(entry))

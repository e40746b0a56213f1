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
from crawlers.errors import describe_failure, is_temporary
from crawlers.feedparse import parse_feed
from crawlers.items import FeedStateItem, PageItem
from crawlers.report import CrawlReport

HTML_TYPES = ("text/html", "application/xhtml+xml")


def entry_record(entry: dict) -> dict:
    """What a feed entry tells us about an article, as plain JSON data."""
    return {key: entry.get(key) for key in ("title", "summary", "published", "authors", "tags")}


def feed_only_url(feed_url: str, entry: dict) -> str:
    """A stable address for an entry that has no page of its own."""
    key = entry.get("id") or entry.get("title") or entry.get("summary") or ""
    return canonical_url(feed_url) + "#entree-" + quote(hashlib.sha256(key.encode("utf-8")).hexdigest()[:16])


class FeedSpider(scrapy.Spider):
    name = "feeds"

    def __init__(self, sources: list[dict], max_entries: int = 100, validators: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        self.sources = sources
        self.max_entries = max_entries
        self.validators = validators or {}
        self.report = CrawlReport()

    async def start(self):
        for source in self.sources:
            self.report.sources[source["id"]]  # every source appears in the report
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
            url = canonical_url(link)
            # KnownPageFilter drops links already seen; no fingerprint filter, so that
            # a redirect loop runs into the redirect bound and gets reported.
            yield scrapy.Request(url, callback=self.parse_article, errback=self.failed, dont_filter=True,
                                 meta={"source": source, "kind": "article", "entry": entry_record(entry),
                                       "article_url": url})

    def feed_only(self, source: dict, feed_url: str, entry: dict) -> PageItem:
        url = feed_only_url(feed_url, entry)
        return PageItem(url=url, source=source["id"], final_url=url, status=0, content_type="",
                        encoding="", body=b"", entry=entry_record(entry))

    def parse_article(self, response):
        source = response.meta["source"]
        content_type = response.headers.get("Content-Type", b"").decode("latin-1").split(";")[0].strip().lower()
        if content_type and content_type not in HTML_TYPES:
            self.report.error(source["id"], response.meta["article_url"],
                              f"type de contenu non pris en charge : {content_type}")
            return
        yield PageItem(
            url=response.meta["article_url"], source=source["id"], final_url=response.url,
            status=response.status, content_type=content_type,
            encoding=getattr(response, "encoding", "") or "", body=response.body,
            entry=response.meta["entry"],
        )

    def failed(self, failure):
        request = failure.request
        source = request.meta["source"]["id"]
        url = request.meta.get("article_url", request.url)
        what = "flux" if request.meta.get("kind") == "feed" else "page"
        self.report.error(source, url, f"{what} : {describe_failure(failure)}")
        if request.meta.get("kind") == "feed" or is_temporary(failure):
            self.report.incomplete.add(source)

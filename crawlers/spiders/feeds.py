"""Feed sources: fetch the feed, parse it with feedparser, follow each entry."""
from __future__ import annotations

import io
from datetime import datetime, timezone

import feedparser
import scrapy

from crawlers.canonical import canonical_url
from crawlers.errors import describe_failure
from crawlers.items import PageItem
from crawlers.report import CrawlReport

HTML_TYPES = ("text/html", "application/xhtml+xml")
# feedparser flags these, yet the feed was read correctly.
BENIGN_FEED_ISSUES = (feedparser.CharacterEncodingOverride,)


def _entry_date(entry) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat()


def entry_record(entry) -> dict:
    """What a feed entry tells us about an article, as plain JSON data."""
    authors = [a.get("name", "") for a in entry.get("authors", []) if a.get("name")]
    if not authors and entry.get("author"):
        authors = [entry["author"]]
    return {
        "title": entry.get("title", ""),
        "summary": entry.get("summary", ""),
        "published": _entry_date(entry),
        "authors": authors,
        "tags": [t.get("term", "") for t in entry.get("tags", []) if t.get("term")],
    }


class FeedSpider(scrapy.Spider):
    name = "feeds"

    def __init__(self, sources: list[dict], max_entries: int = 100, **kwargs):
        super().__init__(**kwargs)
        self.sources = sources
        self.max_entries = max_entries
        self.report = CrawlReport()

    async def start(self):
        for source in self.sources:
            self.report.sources[source["id"]]  # every source appears in the report
            yield scrapy.Request(source["url"], callback=self.parse_feed, errback=self.failed,
                                 meta={"source": source, "kind": "feed"}, dont_filter=True)

    def parse_feed(self, response):
        source = response.meta["source"]
        headers = {"content-location": response.url,
                   "content-type": response.headers.get("Content-Type", b"").decode("latin-1")}
        feed = feedparser.parse(io.BytesIO(response.body), response_headers=headers)
        if feed.bozo and not isinstance(feed.bozo_exception, BENIGN_FEED_ISSUES):
            reason = f"flux illisible : {type(feed.bozo_exception).__name__}: {feed.bozo_exception}"
            if feed.entries:
                reason += f" ({len(feed.entries)} entrées récupérées malgré tout)"
            self.report.error(source["id"], response.url, reason)
            if not feed.entries:
                return
        stats = self.report.sources[source["id"]]
        stats.feeds += 1
        for entry in feed.entries[: self.max_entries]:
            stats.entries += 1
            link = entry.get("link")
            if not link:
                self.report.error(source["id"], response.url, f"entrée sans lien : {entry.get('title', '')[:80]!r}")
                continue
            url = canonical_url(response.urljoin(link))
            yield scrapy.Request(url, callback=self.parse_article, errback=self.failed,
                                 meta={"source": source, "kind": "article", "entry": entry_record(entry),
                                       "article_url": url})

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

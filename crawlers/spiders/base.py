"""What every source spider shares: the per-source report, article requests,
storing an article page, and turning failures into reported reasons."""
from __future__ import annotations

import scrapy

from crawlers.errors import describe_failure, is_temporary
from crawlers.items import FailedPageItem, PageItem
from crawlers.report import CrawlReport

HTML_TYPES = ("text/html", "application/xhtml+xml")


class SourceSpider(scrapy.Spider):
    """Base of the source spiders; `sources` are the config sources as dicts."""

    def __init__(self, sources: list[dict], **kwargs):
        super().__init__(**kwargs)
        self.sources = sources
        self.report = CrawlReport()
        for source in sources:
            self.report.sources[source["id"]]  # every source appears in the report

    def article_request(self, source: dict, url: str, entry: dict) -> scrapy.Request:
        # KnownPageFilter drops links already collected; no fingerprint filter, so
        # that a redirect loop runs into the redirect bound and gets reported.
        return scrapy.Request(url, callback=self.parse_article, errback=self.failed, dont_filter=True,
                              meta={"source": source, "kind": "article", "entry": entry, "article_url": url})

    def parse_article(self, response):
        source = response.meta["source"]
        content_type = response.headers.get("Content-Type", b"").decode("latin-1").split(";")[0].strip().lower()
        if content_type and content_type not in HTML_TYPES:
            reason = f"type de contenu non pris en charge : {content_type}"
            self.report.error(source["id"], response.meta["article_url"], reason)
            yield FailedPageItem(response.meta["article_url"], source["id"], reason)
            return
        yield PageItem(
            url=response.meta["article_url"], source=source["id"], final_url=response.url,
            status=response.status, content_type=content_type,
            encoding=getattr(response, "encoding", "") or "", body=response.body,
            entry=response.meta.get("entry") or {},
        )

    def failed(self, failure):
        request = failure.request
        source = request.meta["source"]["id"]
        url = request.meta.get("article_url", request.url)
        what = "page" if request.meta.get("kind") == "article" else request.meta.get("what", "flux")
        reason = f"{what} : {describe_failure(failure)}"
        self.report.error(source, url, reason)
        if request.meta.get("kind") == "article" and not is_temporary(failure):
            yield FailedPageItem(url, source, reason)
        if request.meta.get("kind") != "article" or is_temporary(failure):
            self.report.incomplete.add(source)
        if request.meta.get("kind") != "article" and not self.report.sources[source].feeds:
            self.report.sources[source].failure = "temporary" if is_temporary(failure) else "hard"

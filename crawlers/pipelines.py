"""Item pipelines: every fetched page goes to the durable spool at once."""
from __future__ import annotations

from crawlers.items import PageItem
from veille.spool import Spool


class SpoolPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.spool: Spool | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        self.spool = Spool(self.crawler.settings.get("VEILLE_SPOOL"))

    def close_spider(self, spider=None):
        if self.spool:
            self.spool.close()

    def process_item(self, item: PageItem, spider=None):
        self.spool.put_page(url=item.url, source=item.source, final_url=item.final_url, status=item.status,
                            content_type=item.content_type, encoding=item.encoding, body=item.body,
                            entry=item.entry)
        self.crawler.spider.report.sources[item.source].new += 1
        return item

"""Item pipelines: every fetched page goes to the durable spool at once; feed
validators are stored when the crawl ends normally (see crawlers.state)."""
from __future__ import annotations

from scrapy import signals

from datetime import datetime, timezone

from crawlers.items import FailedPageItem, FeedStateItem, WatchStateItem
from crawlers.health import classify, next_record, volume_flag
from crawlers.polling import next_due, next_interval
from crawlers.state import CrawlState
from veille.spool import Spool


class SpoolPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.spool: Spool | None = None
        self.feed_states: dict[str, FeedStateItem] = {}
        self.watched: list[WatchStateItem] = []

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider=None):
        self.spool = Spool(self.crawler.settings.get("VEILLE_SPOOL"))

    def close_spider(self, spider=None):
        if self.spool:
            self.spool.close()

    def spider_closed(self, spider, reason):
        """Only a crawl that went to its end stores validators, snapshots and schedules."""
        if reason != "finished":
            return
        report = spider.report
        with CrawlState(self.crawler.settings.get("VEILLE_SPOOL")) as state:
            update_schedule(state, spider.sources, report)
            update_failures(state, spider.sources, report)
            update_volume(state, spider.sources, report)
            for watched in self.watched:
                state.put_snapshot(watched.url, watched.source, watched.blocks)
            for item in self.feed_states.values():
                if item.source not in report.incomplete:
                    state.put_validators(item.url, item.source, item.etag, item.last_modified)

    def process_item(self, item, spider=None):
        if isinstance(item, FeedStateItem):
            self.feed_states[item.url] = item
            return item
        if isinstance(item, WatchStateItem):  # stored when the crawl ends normally, like validators
            self.watched.append(item)
            return item
        if isinstance(item, FailedPageItem):
            with CrawlState(self.crawler.settings.get("VEILLE_SPOOL")) as state:
                state.put_failed_page(item.url, item.source, item.reason)
            return item
        self.spool.put_page(url=item.url, source=item.source, final_url=item.final_url, status=item.status,
                            content_type=item.content_type, encoding=item.encoding, body=item.body,
                            entry=item.entry)
        self.crawler.spider.report.sources[item.source].new += 1
        return item


def update_schedule(state: CrawlState, sources: list[dict], report) -> None:
    """Adaptive polling: each crawled source's next interval and due time."""
    now = datetime.now(timezone.utc)
    known = state.schedule()
    for source in sources:
        stats = report.sources[source["id"]]
        had_new = stats.new > 0
        failed = source["id"] in report.incomplete or stats.feeds == 0
        previous = known.get(source["id"], {}).get("interval_minutes")
        interval = next_interval(previous, had_new, source.get("min_interval_minutes", 0),
                                 source.get("max_interval_minutes", 1440))
        state.put_schedule(source["id"], interval, next_due(now, interval, failed).isoformat(), had_new)


def update_failures(state: CrawlState, sources: list[dict], report) -> None:
    """Weighted failure records (crawlers.health)."""
    now = datetime.now(timezone.utc)
    known = state.failures()
    entries = report.to_dict()
    for source in sources:
        health = classify(entries.get(source["id"], {}))
        state.put_failure(source["id"], next_record(known.get(source["id"]), source["url"], health, now))


def update_volume(state: CrawlState, sources: list[dict], report) -> None:
    """New-page volume per poll, and a warning when it drops to nothing or jumps."""
    for source in sources:
        stats = report.sources[source["id"]]
        if stats.feeds == 0:
            continue  # not read: a failure, reported as such
        stats.volume = volume_flag(state.volume_history(source["id"]), stats.new)
        state.add_volume(source["id"], stats.new)

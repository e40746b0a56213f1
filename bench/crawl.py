"""Crawl throughput on the local fixture web: our full crawl against Scrapy with
a no-op callback on the same pages and settings, in the same run; then
extraction against the extractor's own single-core rate.

    python bench/crawl.py --pages 600

The pages are the fixture articles repeated to N copies by bench/e2e.py's bench
server (one feed, N distinct article URLs). Both crawls run as child processes
(as `veille run` does), so both pay the same process start-up.

- full: crawlers.run (feed spider, SSRF guard, robots.txt, backoff retries,
  known-page filter, spool pipeline) into a fresh spool;
- no-op: a bare scrapy.Spider requesting the same N URLs, callback does nothing,
  same Scrapy settings minus our middlewares and pipelines.

Then the pipeline's own crawl + extract stages on a fresh spool (`veille run`
does this: pages are extracted by a process pool while the crawl goes on).

Goal from the issue: crawl + extract at no less than 0.7 × cores × the
extractor's single-core rate (trafilatura with our options, one process).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

NOOP = r'''
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess

job = json.loads(open(sys.argv[1]).read())

class NoOp(scrapy.Spider):
    name = "noop"
    async def start(self):
        for url in job["urls"]:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)
    def parse(self, response):
        pass

process = CrawlerProcess(job["settings"])
process.crawl(NoOp)
process.start()
'''


def noop_settings(full: dict) -> dict:
    drop = ("SPIDER_MIDDLEWARES", "DOWNLOADER_MIDDLEWARES", "ITEM_PIPELINES")
    return {k: v for k, v in full.items() if k not in drop and not k.startswith("VEILLE_")}


def pipeline_run(source, settings, data_dir: Path) -> tuple[float, int]:
    """`veille run`'s crawl and extract stages over the bench source: seconds, articles."""
    from veille.config import load_config
    from veille.pipeline import Pipeline

    config = load_config(ROOT / "config", overlay=ROOT / "config" / "demo")
    config = config.model_copy(update={"sources": [source], "settings": config.settings.model_copy(
        update={"data_dir": str(data_dir), "crawl": settings})})
    pipeline = Pipeline(config)
    started = time.perf_counter()
    try:
        report = pipeline.run(stages=("crawl", "extract"))
    finally:
        pipeline.close()
    assert report.ok, report.failure
    return time.perf_counter() - started, report.counts["extract"]["articles"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=600, help="number of article copies (default 600)")
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="time each article page takes to answer, as on a remote site (default 0)")
    args = parser.parse_args()

    from e2e import BenchServer, fixture_pages

    from crawlers.extract import extract_page, extract_pages
    from crawlers.run import crawl
    from crawlers.settings import scrapy_settings
    from veille.config import CrawlSettings, Source
    from veille.demo import DemoWeb
    from veille.newsweb.server import load_manifests
    from veille.spool import Spool

    settings = CrawlSettings(max_entries_per_feed=args.pages, concurrent_per_domain=16, download_delay=0,
                             concurrent_requests=16)
    with tempfile.TemporaryDirectory(prefix="veille-bench-crawl-") as tmp, DemoWeb() as web:
        tmp = Path(tmp)
        bench = BenchServer(fixture_pages(web, load_manifests()), args.pages, args.latency_ms / 1000)
        urls = [f"{bench.base}/copy/{k}.html" for k in range(args.pages)]

        # the no-op baseline first, then ours (the server is warm for both)
        job = tmp / "noop.json"
        full = scrapy_settings(settings, str(tmp / "unused.sqlite"), str(tmp / "noop.log"), ["127.0.0.1"])
        job.write_text(json.dumps({"urls": urls, "settings": noop_settings(full)}), encoding="utf-8")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", NOOP, str(job)], check=True, capture_output=True)
        noop_s = time.perf_counter() - started

        source = Source(id="bench", name="Bench", url=f"{bench.base}/feed.xml", allow_private=True)
        spool_path = tmp / "spool.sqlite"
        started = time.perf_counter()
        report = crawl([source], settings, spool_path, tmp / "crawl.log")["bench"]
        crawl_s = time.perf_counter() - started

        with Spool(spool_path) as spool:
            pages = list(spool.pages_to_extract())
        cores = os.cpu_count() or 1
        started = time.perf_counter()
        extracted = sum(1 for r in extract_pages(pages, {"bench": "Bench"}, cores) if r.article)
        extract_s = time.perf_counter() - started
        sample = pages[: min(len(pages), 100)]
        started = time.perf_counter()
        for page in sample:
            extract_page(page, "Bench")
        single_rate = len(sample) / (time.perf_counter() - started)

        pipeline_s, pipeline_articles = pipeline_run(source, settings, tmp / "pipeline")
        bench.stop()

    fetched = report["new"]
    print(f"cores: {cores}  pages: {fetched} fetched of {args.pages} (errors: {len(report['errors'])})  "
          f"page latency: {args.latency_ms:g} ms")
    print(f"{'run':<28} {'seconds':>8} {'pages/s':>8}")
    print(f"{'scrapy no-op callback':<28} {noop_s:8.2f} {args.pages / noop_s:8.1f}")
    print(f"{'veille crawl (full)':<28} {crawl_s:8.2f} {fetched / crawl_s:8.1f}")
    print(f"crawl ratio (full / no-op time): {crawl_s / noop_s:.2f}")
    print(f"{'extract (pool, ' + str(cores) + ' procs)':<28} {extract_s:8.2f} {extracted / extract_s:8.1f}")
    print(f"{'extractor, one process':<28} {'':>8} {single_rate:8.1f}  ({1000 / single_rate:.0f} ms a page)")
    sequential = fetched / (crawl_s + extract_s)
    combined = pipeline_articles / pipeline_s
    goal = 0.7 * cores * single_rate
    print(f"crawl then extract, one after the other: {sequential:.1f} pages/s")
    print(f"pipeline crawl + extract (extraction while crawling): {pipeline_s:.2f} s, {combined:.1f} pages/s; "
          f"goal 0.7 × {cores} × {single_rate:.1f} = {goal:.1f} → {'met' if combined >= goal else 'NOT met'}"
          f" (the crawl alone: {fetched / crawl_s:.1f} pages/s)")
    print("where the time goes: crawl {:.0%}, extraction {:.0%} (crawl over no-op: {:.2f} s, spent in the "
          "feed, our middlewares and the spool writes)".format(
              crawl_s / (crawl_s + extract_s), extract_s / (crawl_s + extract_s), crawl_s - noop_s))


if __name__ == "__main__":
    main()

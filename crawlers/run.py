"""Run a crawl in its own process.

Twisted's reactor cannot be restarted, so each crawl runs in a child Python
process (`python -m crawlers.run JOB.json`); the parent (pipeline, scheduler,
tests) can crawl as often as it likes. The child writes fetched pages to the
spool as they arrive, so a killed crawl keeps what it had fetched.
"""
from __future__ import annotations

import json
import subprocess
from dataclasses import asdict
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from veille.config import CrawlSettings, Source


class CrawlError(RuntimeError):
    pass


def write_job(sources: list[Source], settings: CrawlSettings, spool_path: Path, log_file: Path,
              folder: Path, respect_schedule: bool = False) -> tuple[Path, Path]:
    """The job file a crawl process reads, and where it will write its report.
    With `respect_schedule`, sources that adaptive polling says are not due are skipped."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    job, report = Path(folder) / "job.json", Path(folder) / "report.json"
    job.write_text(json.dumps({
        "sources": [s.model_dump() for s in sources],
        "settings": settings.model_dump(),
        "spool": str(spool_path),
        "log_file": str(log_file),
        "report": str(report),
        "respect_schedule": respect_schedule,
    }), encoding="utf-8")
    return job, report


def command(job: Path) -> list[str]:
    return [sys.executable, "-m", "crawlers.run", str(job)]


class CrawlProcess:
    """A crawl running in its child process; `finish()` waits for it and returns its report."""

    def __init__(self, sources: list[Source], settings: CrawlSettings, spool_path: Path, log_file: Path,
                 respect_schedule: bool = False):
        self.log_file = log_file
        self._tmp = tempfile.TemporaryDirectory(prefix="veille-crawl-")
        job, self.report_path = write_job(sources, settings, spool_path, log_file, Path(self._tmp.name),
                                          respect_schedule)
        self._stderr = open(Path(self._tmp.name) / "stderr.txt", "w+", encoding="utf-8", errors="replace")
        self.process = subprocess.Popen(command(job), stdout=subprocess.DEVNULL, stderr=self._stderr, text=True)

    def running(self) -> bool:
        return self.process.poll() is None

    def finish(self) -> dict:
        try:
            code = self.process.wait()
            self._stderr.seek(0)
            if code != 0 or not self.report_path.exists():
                detail = self._stderr.read().strip().splitlines()[-5:]
                raise CrawlError(f"le processus de collecte a échoué (code {code}) : "
                                 + " | ".join(detail) + f" — journal : {self.log_file}")
            return json.loads(self.report_path.read_text(encoding="utf-8"))
        finally:
            self._stderr.close()
            self._tmp.cleanup()


def crawl(sources: list[Source], settings: CrawlSettings, spool_path: Path, log_file: Path,
          respect_schedule: bool = False) -> dict:
    """Crawl the given sources into the spool; returns the per-source report
    (a source skipped as not due has `not_due: true`)."""
    return CrawlProcess(sources, settings, spool_path, log_file, respect_schedule).finish()


def main(job_path: str) -> None:
    from scrapy.crawler import CrawlerProcess

    from crawlers.health import disabled_reason
    from crawlers.polling import is_due
    from crawlers.report import SourceReport
    from crawlers.settings import scrapy_settings
    from crawlers.spiders.feeds import FeedSpider
    from crawlers.spiders.sections import SectionSpider
    from crawlers.spiders.sitemaps import SitemapSourceSpider
    from crawlers.spiders.watch import WatchSpider
    from crawlers.state import CrawlState

    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    settings = CrawlSettings(**job["settings"])
    private_hosts = sorted({urlsplit(u).hostname for s in job["sources"] if s["allow_private"]
                            for u in [s["url"], *(s.get("start_urls") or [])]})
    process = CrawlerProcess(scrapy_settings(settings, job["spool"], job["log_file"], private_hosts),
                             install_root_handler=True)
    with CrawlState(job["spool"]) as state:
        validators, snapshots, schedule = state.validators(), state.snapshots(), state.schedule()
        failures = state.failures()
    disabled = {s["id"]: (s["url"], reason) for s in job["sources"]
                if (reason := disabled_reason(failures.get(s["id"]), s["url"]))}
    not_due = [s for s in job["sources"] if job.get("respect_schedule") and s["id"] not in disabled
               and not is_due(schedule.get(s["id"], {}).get("next_due"))]
    job["sources"] = [s for s in job["sources"] if s not in not_due and s["id"] not in disabled]
    # One spider per kind of source, all in this process and reactor (each has
    # its own download slots and robots.txt cache).
    spiders = {
        "feed": (FeedSpider, {"max_entries": settings.max_entries_per_feed, "validators": validators}),
        "sitemap": (SitemapSourceSpider, {"max_bytes": settings.max_page_bytes * 10}),
        "section": (SectionSpider, {}),
        "watch": (WatchSpider, {"snapshots": snapshots}),
    }
    crawlers = []
    for kind, (spider_class, options) in spiders.items():
        sources = [s for s in job["sources"] if s.get("kind", "feed") == kind]
        if sources:
            crawler = process.create_crawler(spider_class)
            process.crawl(crawler, sources=sources, **options)
            crawlers.append(crawler)
    if crawlers:
        process.start()
    report = {s["id"]: asdict(SourceReport(not_due=True)) for s in not_due}
    for source_id, (url, reason) in disabled.items():
        report[source_id] = asdict(SourceReport(disabled=True, errors=[{"url": url, "reason": reason}]))
    for crawler in crawlers:
        report.update(crawler.spider.report.to_dict())
    Path(job["report"]).write_text(json.dumps(dict(sorted(report.items())), ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])

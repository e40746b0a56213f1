"""One run of the whole pipeline: crawl, extract, enrich, index, digests.

Stages hand over through the spool, so each stage works on whatever the
previous ones left there, including what an earlier, interrupted run left.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Callable, Optional

from veille.config import Config, ConfigError
from veille.spool import Spool

log = logging.getLogger("veille.pipeline")
BATCH = 200
STAGES = ("crawl", "extract", "enrich", "index", "digest")
COLLECT = STAGES[:-1]


@dataclass
class RunReport:
    run_id: str
    counts: dict[str, dict] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    sources: dict[str, dict] = field(default_factory=dict)
    digests: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # French, for the user: drafts to review, skipped sends
    index_total: int = 0
    failed_stage: Optional[str] = None
    failure: str = ""
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return self.failed_stage is None

    @property
    def outcome(self) -> str:
        if not self.ok:
            return f"échec à l'étape {self.failed_stage}"
        if self.interrupted:
            return "interrompu (arrêt demandé)"
        return "ok avec erreurs" if self.errors else "ok"


def spool_path(config: Config) -> Path:
    return config.data_dir / "spool.sqlite"


class Pipeline:
    """Runs the stages in order; `on_stage(name, counts)` reports progress.

    `groups` limits the crawl to those source groups (all enabled sources when
    None); `should_stop` is asked before each stage, so a stop request (SIGTERM)
    ends the run between two stages, with nothing half-done.
    """

    def __init__(self, config: Config, on_stage: Optional[Callable[[str, dict], None]] = None,
                 groups: Optional[list[str]] = None, profiles: Optional[list[str]] = None, command: str = "run",
                 should_stop: Callable[[], bool] = lambda: False):
        self.config = config
        self.on_stage = on_stage or (lambda stage, counts: None)
        self.groups = groups
        self.profiles = profiles
        self.command = command
        self.should_stop = should_stop
        config.data_dir.mkdir(parents=True, exist_ok=True)
        self.spool = Spool(spool_path(config))
        self.report = RunReport(run_id=datetime.now().strftime("%Y%m%dT%H%M%S.%f"))
        self._extract_while_crawling = False
        self._pool = self._stories = None
        self._extracted = dict.fromkeys(("pages", "articles", "exact_duplicates", "near_duplicates", "failed"), 0)

    def run(self, stages=STAGES, now: Optional[datetime] = None) -> RunReport:
        self._extract_while_crawling = "crawl" in stages and "extract" in stages
        self.spool.start_run(self.report.run_id, self.command)
        log.info("run=%s command=%s event=start stages=%s", self.report.run_id, self.command, ",".join(stages))
        for stage in stages:
            if self.should_stop():
                self.report.interrupted = True
                log.warning("run=%s stop requested: stopping before stage %s", self.report.run_id, stage)
                break
            started = time.perf_counter()
            try:
                counts = getattr(self, f"stage_{stage}")(now) if stage == "digest" else getattr(self, f"stage_{stage}")()
            except Exception as exc:  # a stage failing stops the run; the spool keeps everything
                log.exception("stage %s failed", stage)
                self.report.failed_stage, self.report.failure = stage, f"{type(exc).__name__}: {exc}"
                self._error(stage, str(exc))
                break
            self.report.seconds[stage] = time.perf_counter() - started
            self.report.counts[stage] = counts
            log.info("stage=%s %s seconds=%.2f", stage, " ".join(f"{k}={v}" for k, v in counts.items()),
                     self.report.seconds[stage])
            self.on_stage(stage, counts)
        outcome = self.report.outcome
        self.spool.finish_run(self.report.run_id, outcome, self.report.counts)
        log.info("run=%s command=%s event=end outcome=%r errors=%d seconds=%.2f", self.report.run_id,
                 self.command, outcome, len(self.report.errors), sum(self.report.seconds.values()))
        return self.report

    def close(self) -> None:
        self._close_extraction()
        self.spool.close()

    def _error(self, stage: str, reason: str, source: str = "", url: str = "") -> None:
        self.report.errors.append({"stage": stage, "source": source, "url": url, "reason": reason})
        self.spool.add_error(self.report.run_id, stage, reason, source, url)
        log.warning("stage=%s source=%s url=%s error=%s", stage, source, url, reason)

    # --- stages ------------------------------------------------------------

    def stage_crawl(self) -> dict:
        from crawlers.run import CrawlProcess

        sources = [s for s in self.config.sources
                   if s.enabled and (self.groups is None or s.group in self.groups)]
        if not sources:
            return {"sources": 0, "feeds": 0, "entries": 0, "new_pages": 0, "known_pages": 0, "errors": 0}
        crawling = CrawlProcess(sources, self.config.settings.crawl, spool_path(self.config),
                                self.config.data_dir / "logs" / "crawl.log", respect_schedule=True)
        try:
            # Extraction is CPU-bound and the crawl waits on the network: when this run also
            # extracts, the pages already fetched are extracted while the crawl goes on.
            while self._extract_while_crawling and crawling.running():
                if not self._extract_round():
                    time.sleep(0.2)
        finally:
            report = crawling.finish()
        found_meanwhile = self.report.sources  # duplicates and updates per source, from extraction
        self.report.sources = {source_id: dict(stats) for source_id, stats in report.items()}
        for source_id, extracted in found_meanwhile.items():
            self.report.sources.setdefault(source_id, {}).update(extracted)
        for source_id, stats in report.items():
            if stats.get("not_due"):  # adaptive polling: a quiet source waits for a later crawl
                continue
            for error in stats["errors"]:
                self._error("crawl", error["reason"], source_id, error["url"])
            if stats.get("volume"):  # a source whose volume dropped to nothing or jumped
                self._error("crawl", stats["volume"], source_id)
            reached = stats["feeds"] > 0
            self.spool.record_source_health(source_id, reached, "" if reached else _first_reason(stats["errors"]))
        return {
            "sources": len(sources),
            "feeds": sum(s["feeds"] for s in report.values()),
            "entries": sum(s["entries"] for s in report.values()),
            "new_pages": sum(s["new"] for s in report.values()),
            "known_pages": sum(s["known"] for s in report.values()),
            "errors": sum(len(s["errors"]) for s in report.values()),
            "not_due": sum(bool(s.get("not_due")) for s in report.values()),
        }

    def stage_extract(self) -> dict:
        try:
            while self._extract_round():
                pass
        finally:
            self._close_extraction()
        return dict(self._extracted)

    def _extract_round(self) -> int:
        """Extract every page fetched so far (one round); returns how many pages it took."""
        from crawlers.extract import ExtractionPool
        from crawlers.stories import StoryIndex

        pages = list(self.spool.pages_to_extract())
        if not pages:
            return 0
        if self._pool is None:
            self._pool = ExtractionPool(self.config.settings.crawl.extract_processes)
            self._stories = StoryIndex(spool_path(self.config))  # exact and near-duplicates joined into stories
        counts = self._extracted
        counts["pages"] += len(pages)
        names = {s.id: s.name for s in self.config.sources}
        results = self._pool.extract(pages, names)
        while batch := list(islice(results, BATCH)):
            articles, page_urls = [], {}
            stored = self.spool.content_hashes([r.article.id for r in batch if not r.error])
            for result in batch:
                if result.error:
                    counts["failed"] += 1
                    self.spool.mark_page(result.page_url, "failed")
                    self._error("extract", result.error, url=result.page_url)
                    continue
                article = result.article
                exact = self.spool.story_of(article.content_hash, article.id)
                article.story_id = self._stories.assign(article, exact)
                counts["exact_duplicates"] += exact != article.id
                counts["near_duplicates"] += article.story_id != article.id and exact == article.id
                per_source = self.report.sources.setdefault(article.source, {})
                if article.id in stored and stored[article.id] != article.content_hash:
                    per_source["updated"] = per_source.get("updated", 0) + 1
                if article.story_id != article.id:
                    per_source["duplicates"] = per_source.get("duplicates", 0) + 1
                articles.append(article)
                page_urls[article.id] = result.page_url
            self.spool.put_articles(articles, "extracted", page_urls)
            for result in batch:
                if not result.error:
                    self.spool.mark_page(result.page_url, "extracted")
            counts["articles"] += len(articles)
        return len(pages)

    def _close_extraction(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._stories.close()
            self._pool = self._stories = None

    def stage_enrich(self) -> dict:
        from enrich import Enricher

        if not self.spool.count_articles("extracted"):
            return {"articles": 0}
        from enrich.candidates import CandidateStore

        enricher = Enricher(self.config)
        done = new_actors = 0
        with CandidateStore(spool_path(self.config)) as candidates:  # unknown organisations, kept durably
            for batch in self.spool.batches_in("extracted", BATCH):
                enriched = list(enricher.enrich(batch))
                self.spool.put_articles(enriched, "enriched")
                new_actors += candidates.record(enriched)
                done += len(enriched)
        return {"articles": done, "new_candidate_actors": new_actors}

    def stage_index(self) -> dict:
        from index import open_index

        indexed = failed = 0
        with open_index(self.config) as index:
            for batch in self.spool.batches_in("enriched", BATCH):
                result = index.upsert(batch)
                failed_ids = {article_id for article_id, _ in result.failed}
                for article_id, reason in result.failed:
                    self._error("index", reason, url=article_id)
                self.spool.mark_articles([a.id for a in batch if a.id not in failed_ids], "indexed")
                indexed += result.indexed
                failed += len(failed_ids)
            self.report.index_total = index.count()
        return {"articles": indexed, "failed": failed, "index_total": self.report.index_total}

    def stage_digest(self, now: Optional[datetime] = None) -> dict:
        from index import open_index
        from reports.delivery import publish
        from reports.digest import build_digest

        out_dir = self.config.data_dir / "digests"
        written = failed = unsubscribed = 0
        profiles = [p for p in self.config.profiles if self.profiles is None or p.id in self.profiles]
        with open_index(self.config) as index:
            for profile in profiles:
                try:
                    digest = build_digest(self.config, index, profile.id, period=profile_period(profile), now=now)
                except ConfigError as exc:  # one bad profile does not stop the others
                    failed += 1
                    self._error("digest", f"profil {profile.id} : {exc}", source=profile.id)
                    continue
                outcome = publish(self.config, index, digest, out_dir, send=_sends(self.config))
                for problem in outcome.problems:  # misses are retried on the next run
                    self._error("digest", problem, source=profile.id)
                if outcome.html_path:
                    self.report.digests.append(Path(outcome.html_path))
                self.report.notes += outcome.notes
                written += 1
                unsubscribed += len(outcome.unsubscribed)
        return {"profiles": len(profiles), "digests": written, "failed": failed, "unsubscribed": unsubscribed}


def _first_reason(errors: list[dict]) -> str:
    return f"{errors[0]['reason']} ({errors[0]['url']})" if errors else "aucun flux lu"


def _sends(config: Config) -> bool:
    return bool(config.settings.mail.host) and config.settings.mail.scheduled


def profile_period(profile) -> str:
    return "day" if profile.frequency == "daily" else "week"

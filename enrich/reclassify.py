"""Re-classification: stored articles enriched again, without re-crawling, and re-indexed.

Run when the taxonomy, the actor registry or the label model changed. The
spool keeps every extracted record; each one (published since `since`, when
given) goes through a fresh Enricher, is stored back as enriched, upserted
into the index through the index interface (index/base.py) and marked
indexed. Its `enriched_with` names the taxonomy and model that labelled it.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable, Optional

from index.base import IndexBackend
from veille.spool import Spool

from .candidates import CandidateStore
from .enricher import Enricher

BATCH = 200


def _after(article, since: Optional[datetime]) -> bool:
    if since is None:
        return True
    when = article.published or article.fetched_at
    if when is None:
        return False
    aware = lambda d: d if d.tzinfo else d.replace(tzinfo=timezone.utc)  # noqa: E731
    return aware(when) >= aware(since)


def reclassify(config, index: IndexBackend, since: Optional[datetime] = None,
               on_problem: Callable[[str], None] = lambda m: None, enricher: Enricher | None = None) -> dict:
    enricher = enricher or Enricher(config)
    counts = {"articles": 0, "changed": 0, "indexed": 0, "failed": 0,
              "version": next(iter(enricher.versions.values()))}
    path = config.data_dir / "spool.sqlite"
    with Spool(path) as spool, CandidateStore(path) as candidates:
        ids = spool.ids_in("enriched") + spool.ids_in("indexed")
        for start in range(0, len(ids), BATCH):
            batch = [a for a in spool.get_articles(ids[start:start + BATCH]) if _after(a, since)]
            if not batch:
                continue
            before = {a.id: (a.theme_ids, a.market_ids, [m.id for m in a.actors]) for a in batch}
            enriched = list(enricher.enrich(batch))
            counts["changed"] += sum(before[a.id] != (a.theme_ids, a.market_ids, [m.id for m in a.actors])
                                     for a in enriched)
            spool.put_articles(enriched, "enriched")
            candidates.record(enriched)
            result = index.upsert(enriched)
            failed = {article_id for article_id, _ in result.failed}
            for article_id, reason in result.failed:
                on_problem(f"article {article_id} : indexation impossible ({reason})")
            spool.mark_articles([a.id for a in enriched if a.id not in failed], "indexed")
            counts["articles"] += len(enriched)
            counts["indexed"] += result.indexed
            counts["failed"] += len(failed)
    return counts

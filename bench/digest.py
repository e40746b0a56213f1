"""Digest build and render time for a week of N articles, split by phase.

The fixture web's articles are crawled and enriched once (loopback), then
copied to N articles published during the week ending now (new ids and URLs,
three copies per story), plus `--history` articles per week over the 8 weeks
before (for trends and new actors), into a fresh SQLite index. A weekly
digest is then built and rendered for a demo profile:

- query: the perimeter's articles of the week through the index interface;
- trends: baseline weeks, rising terms, new actors, weekly volume (facets),
  market × theme matrix (facets) and the PNG chart;
- render: HTML (Jinja2 + css-inline) and plain text, and the email (MIME).

    python bench/digest.py --articles 10000 --history 1000
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def seed_articles(work: Path):
    from veille.config import load_config
    from veille.demo import DemoWeb
    from veille.pipeline import Pipeline
    from veille.spool import Spool

    with DemoWeb() as web:
        config = web.bind(load_config(ROOT / "config", overlay=ROOT / "config" / "demo"))
        config = config.model_copy(update={"settings": config.settings.model_copy(update={"data_dir": str(work)})})
        pipeline = Pipeline(config)
        try:
            pipeline.run(stages=("crawl", "extract", "enrich"))
        finally:
            pipeline.close()
    with Spool(work / "spool.sqlite") as spool:
        return [a for batch in spool.batches_in("enriched", 500) for a in batch], config


def fill_index(config, seeds, week: int, history: int, now: datetime) -> float:
    from index import open_index
    from veille.record import article_id

    rng = random.Random(6)
    started = time.perf_counter()
    plan = [(k, now - timedelta(seconds=rng.uniform(60, 7 * 86400 - 60))) for k in range(week)]
    plan += [(week + k, now - timedelta(days=7 * (1 + k % 8)) - timedelta(seconds=rng.uniform(60, 7 * 86400 - 60)))
             for k in range(history * 8)]
    with open_index(config) as index:
        batch = []
        for k, published in plan:
            seed = seeds[k % len(seeds)]
            url = f"{seed.url}?copie={k}"
            story = article_id(f"{seed.url}?copie={k - k % 3}")
            batch.append(seed.model_copy(update={"url": url, "canonical_url": url, "id": article_id(url),
                                                 "story_id": story, "published": published}))
            if len(batch) == 1000:
                index.upsert(batch)
                batch = []
        if batch:
            index.upsert(batch)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000, help="articles published during the week")
    parser.add_argument("--history", type=int, default=1_000, help="articles per week over the 8 weeks before")
    parser.add_argument("--profile", default="zoom-spatial-defense")
    parser.add_argument("--runs", type=int, default=3, help="digests built; the fastest run is shown")
    args = parser.parse_args()

    from index import open_index
    from reports.delivery import email_parts
    from reports.digest import build_digest, render_digest
    from reports.mailer import compose

    with tempfile.TemporaryDirectory(prefix="veille-bench-digest-") as tmp:
        work = Path(tmp)
        print("seeding: crawl and enrich the fixture web once…", flush=True)
        seeds, config = seed_articles(work / "seed")
        seeds = [s for s in seeds if s.published]
        config = config.model_copy(update={"settings": config.settings.model_copy(
            update={"data_dir": str(work / "data")})})
        now = datetime.now(timezone.utc)
        seconds = fill_index(config, seeds, args.articles, args.history, now)
        print(f"index: {args.articles} articles this week + {args.history * 8} before "
              f"({len(seeds)} seeds) in {seconds:.1f} s")
        best = None
        with open_index(config) as index:
            for _ in range(args.runs):
                timings: dict[str, float] = {}
                digest = build_digest(config, index, args.profile, period="week", now=now, timings=timings)
                started = time.perf_counter()
                render_digest(digest)
                subject, html, text, images = email_parts(config, digest)
                compose(config.settings.mail, "bench@example.org", subject, html, text, images, "bench").as_bytes()
                timings["render"] = time.perf_counter() - started
                timings["total"] = sum(timings.values())
                if best is None or timings["total"] < best["total"]:
                    best = timings
        print(f"digest {args.profile}: {digest.article_count} articles in the perimeter, "
              f"{len(digest.highlights.items)} highlights, {len(digest.rising_terms)} rising terms")
        print("| phase | seconds | share |\n|---|---:|---:|")
        for phase in ("query", "trends", "render"):
            print(f"| {phase} | {best[phase]:.2f} | {100 * best[phase] / best['total']:.0f} % |")
        print(f"| **total** | {best['total']:.2f} | |")


if __name__ == "__main__":
    main()

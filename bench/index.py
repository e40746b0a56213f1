"""Index throughput and search latency, for both backends, on the same documents.

The fixture web's articles (crawled and enriched once, as in bench/search.py)
are replicated to N records (new URLs and ids, dates spread over a year).
For each backend:

- veille's indexer (`upsert` in batches of 1,000, as the index stage does,
  refresh included) against the raw library doing the bare job on the same
  records: `helpers.bulk` of the article JSON into an index with default
  dynamic mapping (Elasticsearch), plain FTS5 inserts of title and text
  (SQLite). The ratio is veille's time over the raw time;
- search latency p50/p95 over a fixed set of expert queries (facets on).

    VEILLE_ES_URL=http://127.0.0.1:9200 python bench/index.py --docs 100000
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.base import SearchRequest  # noqa: E402

QUERIES = [
    SearchRequest(query="laser"),
    SearchRequest(query="hydrogène OR éolien", markets=["energie"]),
    SearchRequest(query='"fibre optique"'),
    SearchRequest(query="nanosatellite", themes=["aeronautique-spatial"]),
    SearchRequest(query="capteurs AND NOT lang:en"),
    SearchRequest(themes=["optique-photonique"], sort="date"),
    SearchRequest(query="actor:cnes"),
    SearchRequest(query="robotique", offset=10),
    SearchRequest(query="(batterie OR stockage) date:2026-01..2026-12"),
    SearchRequest(query="cybersécurité -theme:numerique", markets=["defense"]),
]
BATCH = 1000


def seeds():
    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "bench" / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with tempfile.TemporaryDirectory() as work:
        records, _ = module.seed_records(Path(work))
    return records


def replicate(records, n: int):
    from veille.record import article_id

    out = []
    for k in range(n):
        seed = records[k % len(records)]
        url = f"{seed.url}?copie={k}"
        out.append(seed.model_copy(update={"url": url, "canonical_url": url, "id": article_id(url),
                                           "story_id": article_id(url),
                                           "published": seed.published - timedelta(days=(k * 7) % 365)}))
    return out


def index_with(index, articles) -> float:
    started = time.perf_counter()
    for i in range(0, len(articles), BATCH):
        report = index.upsert(articles[i:i + BATCH])
        assert not report.failed, report.failed[:3]
    if hasattr(index, "client"):
        index.client.indices.refresh(index=index.alias)
    return time.perf_counter() - started


def raw_sqlite(articles, path: Path) -> float:
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE raw USING fts5(title, text)")
    started = time.perf_counter()
    for i in range(0, len(articles), BATCH):
        with db:
            db.executemany("INSERT INTO raw (title, text) VALUES (?, ?)",
                           [(a.title, a.body) for a in articles[i:i + BATCH]])
    seconds = time.perf_counter() - started
    db.close()
    return seconds


def raw_es(client, articles, name: str) -> float:
    from elasticsearch import helpers

    docs = [{"_index": name, "_id": a.id, "_source": a.model_dump(mode="json")} for a in articles]
    client.indices.create(index=name, settings={"number_of_shards": 1, "number_of_replicas": 0,
                                                "index.mapping.total_fields.limit": 5000})
    started = time.perf_counter()
    helpers.bulk(client, docs, chunk_size=500)
    client.indices.refresh(index=name)
    seconds = time.perf_counter() - started
    client.indices.delete(index=name)
    return seconds


def latencies(index, rounds: int) -> dict:
    for request in QUERIES:  # warm-up
        index.search(request)
    samples = []
    for _ in range(rounds):
        for request in QUERIES:
            started = time.perf_counter()
            index.search(request)
            samples.append(time.perf_counter() - started)
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return {"p50": pick(0.50), "p95": pick(0.95), "mean": statistics.fmean(ordered) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="documents to generate (default 10000)")
    parser.add_argument("--rounds", type=int, default=20, help="passes over the query set for latencies")
    parser.add_argument("--backends", default="sqlite,elasticsearch")
    args = parser.parse_args()
    backends = args.backends.split(",")

    started = time.perf_counter()
    articles = replicate(seeds(), args.docs)
    print(f"{len(articles)} documents generated in {time.perf_counter() - started:.1f} s", flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for backend in backends:
            if backend == "sqlite":
                from index.sqlite import SqliteIndex

                index = SqliteIndex(Path(work) / "bench.sqlite")
                ours, raw = index_with(index, articles), raw_sqlite(articles, Path(work) / "raw.sqlite")
            else:
                from index.elasticsearch import ElasticsearchIndex

                index = ElasticsearchIndex("VEILLE_ES_URL", alias=f"veille-bench-{os.getpid()}", refresh=False)
                ours, raw = index_with(index, articles), raw_es(index.client, articles, f"veille-bench-raw-{os.getpid()}")
            lat = latencies(index, args.rounds)
            assert index.count() == len(articles)
            if backend != "sqlite":
                index.versions.drop_all()
            index.close()
            rows.append((backend, ours, raw, lat))
            print(f"{backend} done", flush=True)

    n = len(articles)
    print(f"\n{n} documents, {len(QUERIES)} queries x {args.rounds} rounds\n")
    print("| backend | veille docs/s | raw docs/s | ratio (veille time / raw time) | search p50 ms | search p95 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for backend, ours, raw, lat in rows:
        print(f"| {backend} | {n / ours:,.0f} | {n / raw:,.0f} | {ours / raw:.2f} | {lat['p50']:.1f} | {lat['p95']:.1f} |")


if __name__ == "__main__":
    main()

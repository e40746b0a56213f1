"""Search API latency under load: p50/p95/p99 with concurrent clients, against the raw backend.

The fixture web's enriched articles are replicated to N records (new ids and
URLs, dates spread over a year) in a fresh index. `veille serve`'s app then
runs in its own process (uvicorn, reverse-proxy auth so the load needs no
login), and this process sends a fixed set of expert searches from C
concurrent clients. The baseline is the same searches called directly on the
index backend, in this process, from as many threads as clients: the ratio is what the web
layer (HTTP, auth, CSRF, validation, period counts, JSON) costs on top.

    python bench/search.py --articles 100000 --clients 20 --requests 2000
    VEILLE_ES_URL=http://127.0.0.1:9200 python bench/search.py --backend elasticsearch

With --backend elasticsearch the records go to a fresh alias on the node named
by VEILLE_ES_URL (scripts/elasticsearch.sh start), dropped at the end.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERIES = [
    {"q": "laser"},
    {"q": "hydrogène OR éolien", "market": "energie"},
    {"q": '"fibre optique"'},
    {"q": "nanosatellite", "theme": "aeronautique-spatial"},
    {"q": "capteurs AND NOT lang:en"},
    {"q": "", "theme": "optique-photonique", "sort": "date"},
    {"q": "actor:cnes"},
    {"q": "robotique", "page": "2"},
    {"q": "batterie* OR stockage", "since": "2026-06-01"},
    {"q": "cybersécurité", "market": "defense"},
]


def seed_records(work: Path):
    """The demo's articles, crawled from the fixture web and enriched once."""
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


def build_index(config, seeds, count: int) -> float:
    from index import open_index
    from veille.record import article_id

    started = time.perf_counter()
    with open_index(config) as index:
        batch = []
        for k in range(count):
            seed = seeds[k % len(seeds)]
            url = f"{seed.url}?copie={k}"
            copy = seed.model_copy(update={"url": url, "canonical_url": url, "id": article_id(url),
                                           "story_id": article_id(url),
                                           "published": seed.published - timedelta(days=(k * 7) % 365)})
            batch.append(copy)
            if len(batch) == 1000:
                index.upsert(batch)
                batch = []
        if batch:
            index.upsert(batch)
    return time.perf_counter() - started


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return {"p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99), "mean": statistics.fmean(ordered) * 1000}


def raw_load(config, clients: int, total: int) -> tuple[list[float], float]:
    """The same searches straight on the backend from `clients` threads: latencies and wall time."""
    from concurrent.futures import ThreadPoolExecutor
    from urllib.parse import urlencode

    from starlette.datastructures import QueryParams

    from index import open_index
    from veille.web.search import SearchParams

    requests = [SearchParams.from_query(QueryParams(urlencode(QUERIES[k % len(QUERIES)])))
                .request(config.settings.timezone) for k in range(total)]
    with open_index(config) as index:
        def one(request):
            started = time.perf_counter()
            index.search(request)
            return time.perf_counter() - started

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=clients) as pool:
            samples = list(pool.map(one, requests))
    return samples, time.perf_counter() - started


async def load(base: str, clients: int, total: int) -> tuple[list[float], float, int]:
    samples, errors = [], 0
    queue = asyncio.Queue()
    for k in range(total):
        queue.put_nowait(QUERIES[k % len(QUERIES)])

    async def client():
        nonlocal errors
        async with httpx.AsyncClient(base_url=base, headers={"X-Remote-User": "bench"}, timeout=60) as http:
            while not queue.empty():
                params = queue.get_nowait()
                started = time.perf_counter()
                response = await http.get("/api/search", params=params)
                samples.append(time.perf_counter() - started)
                errors += response.status_code != 200

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return samples, time.perf_counter() - started, errors


def serve(config_dir: Path, data_dir: Path, port: int) -> subprocess.Popen:
    """The app in its own process; its log goes to a file (a pipe nobody reads would fill and block it)."""
    env = {**os.environ, "VEILLE_DATA": str(data_dir)}
    log = open(data_dir.parent / "serve.log", "w+")
    process = subprocess.Popen([sys.executable, "-m", "veille", "serve", "--port", str(port), "--config",
                                str(config_dir)], env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/openapi.json", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    log.seek(0)
    raise SystemExit("the web app did not start: " + log.read()[-2000:])


def write_config(config, target: Path) -> None:
    """A config folder for the served app: the demo's, in proxy-auth mode trusting loopback."""
    import shutil

    target.mkdir()
    for name in ("themes", "markets", "actors"):
        shutil.copy(ROOT / "config" / f"{name}.yaml", target)
    for name in ("sources", "profiles"):
        shutil.copy(ROOT / "config" / "demo" / f"{name}.yaml", target)
    settings = yaml.safe_load((ROOT / "config" / "demo" / "settings.yaml").read_text(encoding="utf-8"))
    settings.setdefault("web", {}).update({"auth": "proxy", "trusted_proxies": ["127.0.0.1"]})
    settings["index"] = config.settings.index.model_dump()
    (target / "settings.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--port", type=int, default=8479)
    parser.add_argument("--backend", choices=("sqlite", "elasticsearch"), default="sqlite")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="veille-bench-search-") as tmp:
        work = Path(tmp)
        seeds, config = seed_records(work / "seed")
        data = work / "data"
        update = {"data_dir": str(data)}
        if args.backend == "elasticsearch":
            import uuid

            from veille.config import IndexSettings

            update["index"] = IndexSettings(backend="elasticsearch", alias=f"veille-bench-{uuid.uuid4().hex[:8]}")
        config = config.model_copy(update={"settings": config.settings.model_copy(update=update)})
        try:
            run(args, work, config, seeds, data)
        finally:
            if args.backend == "elasticsearch":
                from index import open_index

                with open_index(config) as index:
                    index.versions.drop_all()


def run(args, work: Path, config, seeds, data: Path) -> None:
    build_seconds = build_index(config, seeds, args.articles)
    write_config(config, work / "config")
    raw_samples, raw_seconds = raw_load(config, args.clients, args.requests)
    raw = percentiles(raw_samples)
    server = serve(work / "config", data, args.port)
    try:
        samples, seconds, errors = asyncio.run(load(f"http://127.0.0.1:{args.port}", args.clients, args.requests))
    finally:
        server.terminate()
        server.wait(timeout=30)
    api = percentiles(samples)
    print(f"cores: {os.cpu_count()}  backend: {config.settings.index.backend}  articles: {args.articles} "
          f"(indexed in {build_seconds:.1f} s)  clients: {args.clients}  requests: {len(samples)}  errors: {errors}")
    print(f"{'':24}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'req/s':>9}")
    print(f"{'search API (HTTP)':24}" + "".join(f"{api[k]:9.1f}" for k in ("p50", "p95", "p99", "mean"))
          + f"{len(samples) / seconds:9.1f}")
    print(f"{'raw backend.search()':24}" + "".join(f"{raw[k]:9.1f}" for k in ("p50", "p95", "p99", "mean"))
          + f"{len(raw_samples) / raw_seconds:9.1f}")
    print(f"ratio API/raw: p50 {api['p50'] / raw['p50']:.2f}, throughput {raw_seconds / seconds:.2f} "
          f"(an API search is 2 backend requests: the search, then its 7-day, 30-day and 12-month counts in one)")


if __name__ == "__main__":
    main()

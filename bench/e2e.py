"""End-to-end throughput on the fixture news web, overall and per stage.

The fixture articles are repeated to N copies by a small bench server on
loopback: it serves one feed listing N article URLs, and each copy is the
fixture page with its canonical link rewritten to the copy's URL (so every
copy is a distinct article for every stage). The pipeline then runs exactly as
`veille run` does, with the demo's taxonomy and profiles.

    python bench/e2e.py --articles 600

Ratios compare each stage with the raw library doing the same work in the
same run (see raw_baselines): extract vs trafilatura in one process, enrich
vs spaCy's French model alone, index vs a bare FTS5 table.
"""
from __future__ import annotations

import argparse
import os
import re
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def fixture_pages(web, manifests) -> list[tuple[str, bytes]]:
    pages = []
    for site, manifest in sorted(manifests.items()):
        for article in manifest["articles"]:
            if article.get("kind") == "hostile":
                continue
            url = web.base_url(site) + article["path"]
            with urllib.request.urlopen(url) as response:
                pages.append((url, response.read()))
    return pages


class BenchServer:
    """Serves /feed.xml with N entries and /copy/<k>.html, copy k of page k mod M."""

    def __init__(self, pages: list[tuple[str, bytes]], count: int, latency: float = 0.0):
        """`latency`: seconds each article page takes to answer, as a remote server would."""
        self.pages, self.count, self.latency = pages, count, latency
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                match = re.fullmatch(r"/copy/(\d+)\.html", self.path)
                if self.path == "/feed.xml":
                    body, kind = outer.feed(), "application/rss+xml"
                elif match and int(match.group(1)) < outer.count:
                    body, kind = outer.copy(int(match.group(1))), "text/html; charset=utf-8"
                    time.sleep(outer.latency)
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def copy(self, k: int) -> bytes:
        url, body = self.pages[k % len(self.pages)]
        return body.replace(url.encode(), f"{self.base}/copy/{k}.html".encode())

    def feed(self) -> bytes:
        items = "".join(f"<item><title>Copie {k}</title><link>{self.base}/copy/{k}.html</link>"
                        f"<guid>{self.base}/copy/{k}.html</guid></item>" for k in range(self.count))
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>bench</title>'
                f"<link>{self.base}/</link>{items}</channel></rss>").encode()

    def stop(self):
        self.server.shutdown()


def raw_baselines(data_dir: Path) -> dict[str, float]:
    """Seconds the raw libraries take for the same work, on the same inputs:
    trafilatura over the spooled pages (one process), spaCy's French model
    over the article texts, and a bare SQLite FTS5 table over title and text."""
    import sqlite3

    import spacy
    import trafilatura

    from veille.spool import Spool

    with Spool(data_dir / "spool.sqlite") as spool:
        bodies = [row[0] for row in spool.db.execute("SELECT body FROM pages WHERE state = 'extracted'")]
        articles = spool.get_articles(spool.ids_in("indexed"))
    seconds = {}
    started = time.perf_counter()
    for body in bodies:
        trafilatura.bare_extraction(body.decode("utf-8", "replace"), with_metadata=True, include_comments=False,
                                    include_tables=False, favor_precision=True, deduplicate=False)
    seconds["extract"] = time.perf_counter() - started
    nlp = spacy.load("fr_core_news_sm", exclude=["parser"])
    started = time.perf_counter()
    for _ in nlp.pipe((a.title + "\n" + a.text for a in articles), batch_size=64):
        pass
    seconds["enrich"] = time.perf_counter() - started
    db = sqlite3.connect(data_dir / "raw-fts.sqlite")
    started = time.perf_counter()
    db.execute("CREATE VIRTUAL TABLE raw USING fts5(title, text)")
    with db:
        db.executemany("INSERT INTO raw VALUES (?, ?)", ((a.title, a.text) for a in articles))
    seconds["index"] = time.perf_counter() - started
    db.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600, help="number of article copies (default 600)")
    args = parser.parse_args()

    from veille.config import Source, load_config
    from veille.demo import DemoWeb
    from veille.newsweb.server import load_manifests
    from veille.pipeline import Pipeline

    with tempfile.TemporaryDirectory(prefix="veille-bench-") as data, DemoWeb() as web:
        os.environ["VEILLE_DATA"] = data
        bench = BenchServer(fixture_pages(web, load_manifests()), args.articles)
        config = load_config(ROOT / "config", overlay=ROOT / "config" / "demo")
        source = Source(id="bench", name="Bench", url=f"{bench.base}/feed.xml", allow_private=True)
        crawl = config.settings.crawl.model_copy(update={"max_entries_per_feed": args.articles,
                                                         "concurrent_per_domain": 16, "download_delay": 0})
        settings = config.settings.model_copy(update={"crawl": crawl})
        config = config.model_copy(update={"sources": [source], "settings": settings})
        pipeline = Pipeline(config)
        started = time.perf_counter()
        report = pipeline.run()
        total = time.perf_counter() - started
        pipeline.close()
        bench.stop()
        raw = raw_baselines(Path(data))

    articles = report.counts.get("index", {}).get("articles", 0)
    print(f"cores: {os.cpu_count()}  articles: {articles} (requested {args.articles})")
    print(f"{'stage':<10} {'seconds':>8} {'articles/s':>11} {'raw lib s':>10} {'ratio':>6}")
    for stage, seconds in report.seconds.items():
        rate = f"{articles / seconds:11.1f}" if stage != "digest" and seconds else f"{'-':>11}"
        baseline = f"{raw[stage]:10.2f} {seconds / raw[stage]:6.2f}" if raw.get(stage) else ""
        print(f"{stage:<10} {seconds:8.2f} {rate} {baseline}")
    print(f"{'crawl+extract':<10} {report.seconds['crawl'] + report.seconds['extract']:8.2f} "
          f"{articles / (report.seconds['crawl'] + report.seconds['extract']):11.1f}")
    print(f"{'overall':<10} {total:8.2f} {articles / total:11.1f}")
    if not report.ok:
        raise SystemExit(f"run failed at {report.failed_stage}: {report.failure}")


if __name__ == "__main__":
    main()

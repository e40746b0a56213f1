"""Article extraction: main text, title, date, authors and canonical URL.

trafilatura does the work. It is CPU-bound (tens of milliseconds a page), so it
runs in a process pool outside Scrapy's reactor, over pages already in the
spool: fetching is never stalled by extraction.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, Iterator, Optional
from urllib.parse import urlsplit

from crawlers.canonical import canonical_url
from veille.record import Article

MIN_TEXT_CHARS = 200


@dataclass
class Extracted:
    page_url: str
    article: Optional[Article] = None
    error: str = ""


SINGLE_BYTE_LATIN = {"iso-8859-1", "latin-1", "latin1", "iso8859-1", "cp1252", "windows-1252", "ascii", "us-ascii"}


def _decode(body: bytes, encoding: str) -> str:
    """Text of a page. A single-byte Latin declaration is often wrong: bytes
    that are valid UTF-8 with non-ASCII characters are UTF-8 (a Latin-1 text
    almost never is), so they are read as UTF-8 whatever was declared."""
    if (encoding or "").lower().replace("_", "-") in SINGLE_BYTE_LATIN and not body.isascii():
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for candidate in (encoding, "utf-8", "cp1252"):
        if not candidate:
            continue
        try:
            return body.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", errors="replace")


def _parse_date(value: Optional[str]) -> Optional[datetime]:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _trafilatura(trafilatura, html: str, url: str, precision: bool) -> dict:
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=not precision,
        favor_precision=precision, favor_recall=not precision, deduplicate=False,
    )
    return document.as_dict() if document is not None and hasattr(document, "as_dict") else (document or {})


def extract_page(page: dict, source_name: str = "") -> Extracted:
    """Extract one spooled page into an Article (or say why not)."""
    import trafilatura

    entry = page.get("entry") or {}
    html = _decode(page["body"] or b"", page.get("encoding", ""))
    try:
        data = _trafilatura(trafilatura, html, page["final_url"], precision=True)
        text = (data.get("text") or "").strip()
        if len(text) < MIN_TEXT_CHARS and html:
            # Precision mode finds nothing in some layouts (old table pages): try recall mode.
            data = _trafilatura(trafilatura, html, page["final_url"], precision=False) or data
            text = (data.get("text") or "").strip()
    except Exception as exc:  # trafilatura raises many kinds on hostile HTML
        return Extracted(page["url"], error=f"extraction impossible : {type(exc).__name__}: {exc}")
    feed_summary = _strip_html(entry.get("summary", ""))
    if len(text) < MIN_TEXT_CHARS and not feed_summary:
        return Extracted(page["url"], error="aucun texte d'article trouvé dans la page")
    canonical = data.get("url") or page["final_url"]
    if not _same_host(canonical, page["final_url"]):
        # rel=canonical may only move an article within its own site: another
        # site's URL would take that article's id (a syndicated copy pointing at
        # its original is a near-duplicate, kept with its own source).
        canonical = page["final_url"]
    canonical = canonical_url(canonical) if page["body"] else page["url"]  # a feed entry without page
    published = _parse_date(entry.get("published")) or _parse_date(data.get("date"))
    authors = entry.get("authors") or [a.strip() for a in (data.get("author") or "").split(";") if a.strip()]
    article = Article(
        url=page["url"],
        canonical_url=canonical,
        source=page["source"],
        source_name=source_name,
        title=(data.get("title") or entry.get("title") or "").strip(),
        text=text if len(text) >= MIN_TEXT_CHARS else "",
        feed_summary=feed_summary,
        published=published,
        fetched_at=datetime.now(timezone.utc),
        authors=authors,
    )
    return Extracted(page["url"], article=article)


def _same_host(url: str, other: str) -> bool:
    parts, reference = urlsplit(url), urlsplit(other)
    return parts.scheme in ("http", "https") and parts.hostname == reference.hostname


def _strip_html(fragment: str) -> str:
    if not fragment or "<" not in fragment:
        return (fragment or "").strip()
    import lxml.html

    try:
        return " ".join(lxml.html.fromstring(fragment).text_content().split())
    except Exception:
        return ""


def _extract_star(args) -> Extracted:
    return extract_page(*args)


class ExtractionPool:
    """Worker processes kept for a whole run (one per core by default), so that pages can be
    extracted in several rounds, while the crawl still brings more, without restarting them."""

    def __init__(self, processes: int = 0):
        self.workers = processes or os.cpu_count() or 1
        self._pool = ProcessPoolExecutor(max_workers=self.workers) if self.workers > 1 else None

    def extract(self, pages: Iterable[dict], source_names: dict[str, str]) -> Iterator[Extracted]:
        """Extract pages in parallel, in input order."""
        jobs = ((page, source_names.get(page["source"], page["source"])) for page in pages)
        if self._pool is None:
            return (extract_page(*job) for job in jobs)
        return self._pool.map(_extract_star, jobs, chunksize=4)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def extract_pages(pages: Iterable[dict], source_names: dict[str, str], processes: int = 0) -> Iterator[Extracted]:
    """Extract pages in parallel (one process per core by default), in input order."""
    with ExtractionPool(processes) as pool:
        yield from pool.extract(pages, source_names)
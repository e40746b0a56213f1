"""Fixtures for the digest tests: a small config, enriched articles, an in-memory index.

InMemoryIndex is a test double of our own IndexBackend interface (not of a
server): it applies the structured filters the digest relies on, counts
facets, and ignores the expert query text.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Optional

import pytest

from index.base import Hit, IndexBackend, SearchRequest, SearchResult, UpsertReport
from veille.config import load_config
from veille.record import Article

DATA = Path(__file__).parent / "data"


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


class InMemoryIndex(IndexBackend):
    """Filters: themes, markets, sources, actors (any-of within a field, AND across fields),
    lang, since (inclusive) and until (exclusive) on `published`. Records every request."""

    def __init__(self, articles: Iterable[Article] = ()):
        self.articles: dict[str, Article] = {}
        self.requests: list[SearchRequest] = []
        self.upsert(articles)

    def upsert(self, articles: Iterable[Article]) -> UpsertReport:
        report = UpsertReport()
        for article in articles:
            self.articles[article.id] = article
            report.indexed += 1
        return report

    def _matches(self, article: Article, request: SearchRequest) -> bool:
        if request.themes and not set(request.themes) & set(article.theme_ids):
            return False
        if request.markets and not set(request.markets) & set(article.market_ids):
            return False
        if request.sources and article.source not in request.sources:
            return False
        if request.actors and not set(request.actors) & {a.id for a in article.actors}:
            return False
        if request.lang and article.lang != request.lang:
            return False
        if request.since or request.until:
            if article.published is None:
                return False
            published = _utc(article.published)
            if request.since and published < request.since:
                return False
            if request.until and published >= request.until:
                return False
        return True

    def iter_articles(self, request: SearchRequest) -> Iterator[Article]:
        self.requests.append(request)
        found = [a for a in self.articles.values() if self._matches(a, request)]
        found.sort(key=lambda a: _utc(a.published) if a.published else datetime.min.replace(tzinfo=timezone.utc),
                   reverse=True)
        return iter(found)

    def search(self, request: SearchRequest) -> SearchResult:
        found = list(self.iter_articles(request))
        page = found[request.offset:request.offset + request.limit]
        facets: dict[str, dict[str, int]] = {}
        if request.facets:
            for name, values in (("themes", lambda a: a.theme_ids), ("markets", lambda a: a.market_ids),
                                 ("source", lambda a: [a.source]), ("lang", lambda a: [a.lang])):
                counts: dict[str, int] = {}
                for article in found:
                    for value in set(values(article)):
                        counts[value] = counts.get(value, 0) + 1
                facets[name] = counts
        return SearchResult(total=len(found), hits=[Hit(a, 1.0, "") for a in page], facets=facets)

    def get(self, article_id: str) -> Optional[Article]:
        return self.articles.get(article_id)

    def count(self) -> int:
        return len(self.articles)


def load_articles() -> list[Article]:
    lines = (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [Article.from_json(line) for line in lines if line.strip()]


@pytest.fixture(scope="session")
def config():
    return load_config(DATA / "config")


@pytest.fixture(scope="session")
def articles() -> list[Article]:
    return load_articles()


@pytest.fixture
def index(articles) -> InMemoryIndex:
    return InMemoryIndex(articles)


@pytest.fixture
def by_title(articles):
    """Find a test article by the start of its title."""
    def find(prefix: str) -> Article:
        return next(a for a in articles if a.title.startswith(prefix))
    return find


@pytest.fixture
def mail_config(config, smtp_server, tmp_path, monkeypatch):
    """The test config sending to the loopback server, data (send log) in tmp."""
    from veille.config import MailSettings

    monkeypatch.setenv("VEILLE_DATA", str(tmp_path / "data"))
    mailing = config.model_copy(deep=True)
    mailing.settings.mail = MailSettings(host="127.0.0.1", port=smtp_server.port, security="none",
                                         sender="veille@pole.example.org", timeout=10,
                                         unsubscribe="https://veille.example.org/desabonnement?email={email}")
    return mailing

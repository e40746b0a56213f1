"""The index interface every backend implements (embedded SQLite, Elasticsearch).

Other stages only see this module: they hand over Article records and ask
SearchRequests; they never build a backend query themselves.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Iterator, Literal, Optional

from veille.record import Article

FACET_FIELDS = ("themes", "markets", "source", "lang", "actors")


@dataclass
class SearchRequest:
    query: str = ""                       # expert syntax, see index/query.py
    themes: list[str] = field(default_factory=list)
    markets: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    lang: Optional[str] = None
    story_id: Optional[str] = None        # the articles of one story (near-duplicates)
    since: Optional[datetime] = None      # on `published` (inclusive)
    until: Optional[datetime] = None      # exclusive
    sort: Literal["relevance", "date"] = "relevance"
    limit: int = 10
    offset: int = 0
    facets: bool = True


@dataclass
class Hit:
    article: Article
    score: float
    snippet: str                          # HTML-escaped, matched words in <mark>


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]     # field -> value -> count


@dataclass
class UpsertReport:
    indexed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (article id, reason)


class BackendUnavailable(RuntimeError):
    """The configured index cannot be used (message in French, for the user)."""


class QuerySyntaxError(ValueError):
    """A malformed expert query; the message says where and what, in French."""


class IndexBackend(ABC):
    @abstractmethod
    def upsert(self, articles: Iterable[Article]) -> UpsertReport:
        """Insert or replace articles by id; a re-run never duplicates."""

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResult:
        """Ranked search with facets; raises QuerySyntaxError on a bad query."""

    @abstractmethod
    def get(self, article_id: str) -> Optional[Article]:
        ...

    @abstractmethod
    def iter_articles(self, request: SearchRequest) -> Iterator[Article]:
        """Every article matching the request (no limit), newest first."""

    @abstractmethod
    def count(self) -> int:
        ...

    def counts_since(self, request: SearchRequest, starts: list[datetime]) -> list[int]:
        """How many articles match `request` from each of `starts` on (the request's own
        since/until are replaced; no end). One count per start here; the backends answer
        in one request (a date_range aggregation, one pass over the matching set)."""
        from dataclasses import replace

        return [self.search(replace(request, since=start, until=None, limit=0, offset=0, facets=False)).total
                for start in starts]

    def weekly_counts(self, request: SearchRequest, starts: list[datetime], field: str = "themes"
                      ) -> list[dict[str, int]]:
        """Facet counts of `field` for each week [start, start + 7 days) of `starts` (the
        request's own since/until are replaced). One faceted search per week here; a backend
        with date histograms answers in one request (Elasticsearch)."""
        from dataclasses import replace
        from datetime import timedelta

        counts = []
        for start in starts:
            week = replace(request, since=start, until=start + timedelta(weeks=1), limit=0, offset=0, facets=True)
            counts.append(self.search(week).facets.get(field, {}))
        return counts

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

"""The article record: the one type that flows from crawlers to reports.

Each stage fills in its own fields and never re-parses what an earlier stage
produced:

- crawlers: url, canonical_url, id, source, title, text, published, authors,
  feed_summary, content_hash, story_id, fetched_at
- enrich: lang, entities, actors, themes, markets, transversal, summary,
  announcement, enriched_with
- index: nothing (it stores the record as it is)
- reports: nothing (they read it)
"""
from __future__ import annotations

import hashlib
from datetime import date as CalendarDate, datetime
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field


def article_id(canonical_url: str) -> str:
    """Stable id of an article: a hash of its canonical URL."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:20]


def content_hash(text: str) -> str:
    """Hash of the normalised main text, for exact-duplicate detection."""
    normalised = " ".join(text.lower().split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:20]


class Entity(BaseModel):
    text: str
    label: str
    start: int = 0
    end: int = 0


class ActorMention(BaseModel):
    """An organisation or person found in the text, linked to the registry or not."""

    id: Optional[str] = None  # registry id; None for an unknown (candidate) actor
    name: str
    type: str = "unknown"
    mentions: list[str] = Field(default_factory=list)
    count: int = 1


class Evidence(BaseModel):
    term: str
    weight: float
    sentence: str = ""


class Label(BaseModel):
    """A theme or market label with its score and why it was given."""

    id: str
    score: float
    evidence: list[Evidence] = Field(default_factory=list)


class Announcement(BaseModel):
    """A call (for projects, tenders) or an event the article announces, with its date when stated."""

    kind: str                      # "call" or "event"
    date: Optional[CalendarDate] = None  # the call's deadline or the event's date
    deadline: bool = False         # True when `date` is a deadline
    sentence: str = ""


class Article(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = ""
    url: str
    canonical_url: str = ""
    source: str = ""
    source_name: str = ""
    title: str = ""
    text: str = ""
    feed_summary: str = ""
    published: Optional[datetime] = None
    fetched_at: Optional[datetime] = None
    authors: list[str] = Field(default_factory=list)
    content_hash: str = ""
    story_id: str = ""

    lang: str = ""
    entities: list[Entity] = Field(default_factory=list)
    actors: list[ActorMention] = Field(default_factory=list)
    themes: list[Label] = Field(default_factory=list)
    markets: list[Label] = Field(default_factory=list)
    transversal: bool = False
    summary: str = ""
    announcement: Optional[Announcement] = None
    enriched_with: str = ""

    def model_post_init(self, __context) -> None:
        if not self.canonical_url:
            self.canonical_url = self.url
        if not self.id:
            self.id = article_id(self.canonical_url)
        if not self.content_hash and self.body:
            self.content_hash = content_hash(self.body)
        if not self.story_id:
            self.story_id = self.content_hash or self.id

    @property
    def body(self) -> str:
        """The best text we have: extracted main text, else the feed summary."""
        return self.text or self.feed_summary

    @property
    def theme_ids(self) -> list[str]:
        return [label.id for label in self.themes]

    @property
    def market_ids(self) -> list[str]:
        return [label.id for label in self.markets]

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, line: str) -> "Article":
        return cls.model_validate_json(line)

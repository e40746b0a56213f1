"""The digest as plain data: what build_digest produces and templates read.

Every string here is already cleaned for display (no control characters)
and every URL is either a safe http(s) link or ''. Escaping for HTML is the
template's job.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

from reports.period import Period
from reports.trends import Volume


@dataclass
class Coverage:
    """Another source that covered the same story."""

    source_name: str
    url: str


@dataclass
class Item:
    """One article as shown in the digest."""

    article_id: str
    story_id: str
    title: str
    url: str                       # '' when the article URL is not http(s)
    source_name: str
    published: Optional[datetime]  # in the config's timezone
    summary: str                   # a few sentences
    line: str                      # one-line summary
    themes: list[str] = field(default_factory=list)   # labels, not ids
    markets: list[str] = field(default_factory=list)
    score: float = 0.0
    kind: str = ""                 # for calls and events: "Appel à projets" / "Événement"
    also: list[Coverage] = field(default_factory=list)
    paywalled: bool = False        # the source is behind a paywall
    comment: str = ""              # the watch officer's note (reviewed digests)
    when: str = ""                 # calls and events: "Date : 28 janvier 2027" / "Clôture : …"


@dataclass
class Section:
    """A list of items under a heading; `more` items were left out."""

    id: str
    title: str
    items: list[Item] = field(default_factory=list)
    more: int = 0
    search_url: str = ""           # the same selection in the experts' web app

    @property
    def total(self) -> int:
        return len(self.items) + self.more


@dataclass
class ActorCount:
    id: Optional[str]   # registry id; None for a candidate actor
    name: str
    type_label: str
    count: int          # number of articles that cite it
    search_url: str = ""
    registered: bool = True


@dataclass
class RisingTerm:
    term: str
    count: int
    before: float
    search_url: str = ""


@dataclass
class MatrixCell:
    count: int
    search_url: str


@dataclass
class MatrixRow:
    label: str
    search_url: str
    cells: list[MatrixCell]


@dataclass
class Matrix:
    theme_labels: list[str]
    rows: list[MatrixRow]
    since: datetime
    until: datetime


@dataclass
class Perimeter:
    themes: list[str]   # labels
    markets: list[str]
    sources: list[str]  # source names; empty: all sources
    query: str


@dataclass
class Digest:
    profile_id: str
    profile_name: str
    perimeter: Perimeter
    period: Period
    generated_at: datetime
    timezone: str
    article_count: int
    source_count: int
    highlights: Section
    theme_sections: list[Section]
    market_sections: list[Section]
    actors: list[ActorCount]
    candidate_actors: list[ActorCount]
    calls_and_events: Section
    transversal: Section
    method: list[str]   # how it was made, for the footer
    new_actors: list[ActorCount] = field(default_factory=list)   # cited now, not in the previous weeks
    actors_url: str = ""
    rising_terms: list[RisingTerm] = field(default_factory=list)
    volume: Optional[Volume] = None
    volume_labels: dict[str, str] = field(default_factory=dict)
    trends_url: str = ""
    matrix: Optional[Matrix] = None
    charts: dict[str, bytes] = field(default_factory=dict)        # name -> PNG
    perimeter_url: str = ""
    review: str = ""    # "" (no review), "brouillon" or "approuvée"
    language: str = "fr"   # the profile's: what the templates write in

    def sections(self) -> list[Section]:
        """Every item list, in reading order (what a review draft lists)."""
        return ([self.highlights] + self.market_sections + self.theme_sections
                + [self.calls_and_events, self.transversal])

    @property
    def subject(self) -> str:
        return f"{self.profile_name} — {self.period.label}"

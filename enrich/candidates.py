"""Candidate actors: organisations the registry does not know yet, kept durably.

The enrich stage records every unknown organisation it finds (ActorMention
with id None) in the `candidate_actors` table of the spool file: its name,
the type guessed from it (company, lab, university, public-body), when it was
first and last seen (the article's publication date, else its fetch date,
else now), how many articles named it and the first of them. Names are keyed
without case, accents, spaces or punctuation, so « Photonix Labs » and
« PHOTONIX LABS » are one candidate. `veille actors --new --since DATE` lists
those first seen since DATE; once added to actors.yaml, a candidate is linked
to the registry on the next enrichment and is no longer listed.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Optional

from veille.record import Article

from .text import compact

SCHEMA = """
CREATE TABLE IF NOT EXISTS candidate_actors (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    articles INTEGER NOT NULL DEFAULT 0,
    first_article TEXT NOT NULL DEFAULT '',
    first_url TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS candidate_mentions (
    key TEXT NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (key, article_id)
);
CREATE INDEX IF NOT EXISTS candidate_first_seen ON candidate_actors(first_seen);
"""


@dataclass
class Candidate:
    name: str
    type: str
    first_seen: str
    last_seen: str
    articles: int
    first_url: str


def seen_at(article: Article) -> str:
    when = article.published or article.fetched_at or datetime.now(timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).isoformat(timespec="seconds")


class CandidateStore:
    def __init__(self, path: str | Path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def record(self, articles: Iterable[Article]) -> int:
        """Record the unknown organisations of enriched articles; returns how many were new."""
        new = 0
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for article in articles:
                when = seen_at(article)
                for mention in article.actors:
                    key = compact(mention.name)
                    if mention.id or not key:
                        continue
                    inserted = self.db.execute(
                        "INSERT OR IGNORE INTO candidate_mentions (key, article_id) VALUES (?, ?)",
                        (key, article.id)).rowcount
                    row = self.db.execute("SELECT first_seen FROM candidate_actors WHERE key = ?", (key,)).fetchone()
                    if row is None:
                        new += 1
                        self.db.execute(
                            "INSERT INTO candidate_actors (key, name, type, first_seen, last_seen, articles, "
                            "first_article, first_url) VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
                            (key, mention.name, mention.type, when, when, article.id, article.url))
                        continue
                    self.db.execute(
                        "UPDATE candidate_actors SET articles = articles + ?, "
                        "last_seen = max(last_seen, ?), "
                        "name = CASE WHEN ? < first_seen THEN ? ELSE name END, "
                        "first_url = CASE WHEN ? < first_seen THEN ? ELSE first_url END, "
                        "first_article = CASE WHEN ? < first_seen THEN ? ELSE first_article END, "
                        "first_seen = min(first_seen, ?) WHERE key = ?",
                        (inserted, when, when, mention.name, when, article.url, when, article.id, when, key))
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
        return new

    def new_since(self, since: Optional[datetime] = None, known_names: Iterable[str] = ()) -> list[Candidate]:
        """Candidates first seen at or after `since`, most cited first; registry names left out."""
        known = {compact(n) for n in known_names}
        bound = (since.astimezone(timezone.utc) if since and since.tzinfo else
                 since.replace(tzinfo=timezone.utc) if since else None)
        rows = self.db.execute(
            "SELECT key, name, type, first_seen, last_seen, articles, first_url FROM candidate_actors "
            "WHERE first_seen >= ? ORDER BY articles DESC, first_seen, name",
            (bound.isoformat(timespec="seconds") if bound else "",))
        return [Candidate(*row[1:]) for row in rows if row[0] not in known]

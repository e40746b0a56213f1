"""Stories: the same news carried by several sources, grouped under one story id.

Exact copies share a content hash; syndicated or lightly edited copies are
found with MinHash signatures of word 3-shingles and an LSH index (datasketch).
Signatures are kept in the spool file (table `story_signatures`), so a copy
crawled next week joins the story of an article collected today. A story's id
is the id of the first article seen in it; each article keeps its own record,
source and URL, so the story keeps every source that carried it (the digest
lists them under "Également couvert par").
"""
from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from veille.record import Article

NUM_PERM = 128
SHINGLE_WORDS = 3
THRESHOLD = 0.5      # estimated Jaccard similarity of shingles for two texts to be one story
MIN_SHINGLES = 20    # shorter texts (a title, a one-line summary) are grouped on exact content only
WORD = re.compile(r"\w+", re.UNICODE)

SCHEMA = """
CREATE TABLE IF NOT EXISTS story_signatures (
    article_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    signature BLOB NOT NULL,
    scheme TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS story_signatures_story ON story_signatures(story_id);
"""


def shingles(text: str) -> set[bytes]:
    words = WORD.findall(text.lower())
    return {" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> Optional[LeanMinHash]:
    """MinHash of the text's shingles, None when the text is too short to compare."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    minhash = MinHash(num_perm=NUM_PERM)
    minhash.update_batch(list(grams))
    return LeanMinHash(minhash)


def _from_blob(blob: bytes, scheme: str) -> LeanMinHash:
    return LeanMinHash(seed=1, hashvalues=np.frombuffer(blob, dtype=np.uint64), scheme=scheme)


class StoryIndex:
    """Assigns story ids; one instance per extraction run (loads the stored signatures)."""

    def __init__(self, path: str | Path, threshold: float = THRESHOLD):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.executescript(SCHEMA)
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.signatures: dict[str, LeanMinHash] = {}
        self.stories: dict[str, str] = {}
        for article_id, story_id, blob, scheme in self.db.execute(
                "SELECT article_id, story_id, signature, scheme FROM story_signatures"):
            self._add(article_id, story_id, _from_blob(blob, scheme))

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _add(self, article_id: str, story_id: str, minhash: LeanMinHash) -> None:
        if article_id in self.signatures:
            self.lsh.remove(article_id)
        self.lsh.insert(article_id, minhash)
        self.signatures[article_id] = minhash
        self.stories[article_id] = story_id

    def nearest(self, minhash: LeanMinHash, exclude: str) -> Optional[str]:
        """The stored article most similar to `minhash` above the threshold, if any."""
        best, best_score = None, self.threshold
        for candidate in sorted(self.lsh.query(minhash)):
            if candidate == exclude:
                continue
            score = minhash.jaccard(self.signatures[candidate])
            if score >= best_score:
                best, best_score = candidate, score
        return best

    def assign(self, article: Article, exact_story: str = "") -> str:
        """The story of `article`: an exact copy's (`exact_story`, from the content
        hash), else a near-duplicate's, else its own id. Its signature is stored."""
        minhash = signature(article.body)
        story = exact_story if exact_story and exact_story != article.id else ""
        if not story and minhash is not None:
            match = self.nearest(minhash, exclude=article.id)
            if match is not None:
                story = self.stories[match]
        story = story or article.id
        if minhash is not None:
            self._add(article.id, story, minhash)
            self.db.execute(
                "INSERT INTO story_signatures (article_id, story_id, source, signature, scheme, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id,"
                " source = excluded.source, signature = excluded.signature, scheme = excluded.scheme,"
                " updated_at = excluded.updated_at",
                (article.id, story, article.source, minhash.hashvalues.astype(np.uint64).tobytes(), minhash.scheme,
                 datetime.now(timezone.utc).isoformat(timespec="seconds")))
        return story

    def members(self, story_id: str) -> list[tuple[str, str]]:
        """(article id, source) of every article of a story, in the order they were seen."""
        rows = self.db.execute("SELECT article_id, source FROM story_signatures WHERE story_id = ?"
                               " ORDER BY updated_at, rowid", (story_id,))
        return [(article_id, source) for article_id, source in rows]

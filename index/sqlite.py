"""The embedded index backend: one SQLite file with an FTS5 table.

Tables (schema version in PRAGMA user_version):

- `articles`: `num` (integer key, stable across VACUUM, joins the other
  tables), `id` (the article id, unique: the key upserts go by), `published`
  (UTC text key, see sqlite_compile.time_key), `source`, `lang`, `story_id`
  and `record`, the full Article JSON returned by searches;
- `article_themes`, `article_markets`, `article_actors` (registry ids only):
  facet values, one row per article and value;
- `articles_fts`: FTS5 over a normalised copy of title and text
  (index/textnorm.py). `title_fr`/`text_fr` hold French terms (folded,
  de-pluralised, French Snowball) for every article; `title_en`/`text_en` hold
  English Snowball terms for articles whose language is "en" or unknown, and
  are empty otherwise. A query word is looked up as its French term in the
  French columns OR its English term in the English columns, so a query needs
  no language: "satellites" finds "satellite" in French and English articles,
  "technologies" finds "technology" in English ones. English articles can
  score slightly higher when both stems match; the English columns weigh half
  to limit that. Titles weigh four times the text in bm25.

One writer at a time (BEGIN IMMEDIATE with a busy timeout); readers go on
while it writes (WAL). One connection per SqliteIndex, shared between threads
under a lock.
"""
from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator, Optional
from zoneinfo import ZoneInfo

from index.base import (BackendUnavailable, FACET_FIELDS, Hit, IndexBackend, SearchRequest, SearchResult,
                        UpsertReport)
from index.query import parse
from index.snippets import make_snippet
from index.sqlite_compile import CompiledQuery, SqliteCompiler, time_key
from index.textnorm import terms
from veille.record import Article

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 30.0
BM25_WEIGHTS = (4.0, 1.0, 2.0, 0.5)  # title_fr, text_fr, title_en, text_en
FETCH_CHUNK = 200

_SCHEMA = """
CREATE TABLE articles (
    num INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    published TEXT,
    source TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT '',
    story_id TEXT NOT NULL DEFAULT '',
    record TEXT NOT NULL
);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_source ON articles (source);
CREATE INDEX articles_lang ON articles (lang);
CREATE INDEX articles_story ON articles (story_id);
CREATE TABLE article_themes (
    article INTEGER NOT NULL, theme TEXT NOT NULL, score REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (theme, article)) WITHOUT ROWID;
CREATE INDEX article_themes_article ON article_themes (article);
CREATE TABLE article_markets (
    article INTEGER NOT NULL, market TEXT NOT NULL, score REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (market, article)) WITHOUT ROWID;
CREATE INDEX article_markets_article ON article_markets (article);
CREATE TABLE article_actors (
    article INTEGER NOT NULL, actor TEXT NOT NULL,
    PRIMARY KEY (actor, article)) WITHOUT ROWID;
CREATE INDEX article_actors_article ON article_actors (article);
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title_fr, text_fr, title_en, text_en,
    tokenize = 'unicode61 remove_diacritics 2'
);
"""

# facet name (index.base.FACET_FIELDS) -> SQL giving (value, count) rows over the matching set,
# materialised once per search in temp.matched
_FACET_SQL = {
    "themes": "SELECT f.theme, count(*) FROM temp.matched m JOIN article_themes f ON f.article = m.num GROUP BY f.theme",
    "markets": ("SELECT f.market, count(*) FROM temp.matched m JOIN article_markets f ON f.article = m.num "
                "GROUP BY f.market"),
    "actors": "SELECT f.actor, count(*) FROM temp.matched m JOIN article_actors f ON f.article = m.num GROUP BY f.actor",
    "source": "SELECT m.source, count(*) FROM temp.matched m WHERE m.source != '' GROUP BY m.source",
    "lang": "SELECT m.lang, count(*) FROM temp.matched m WHERE m.lang != '' GROUP BY m.lang",
}
_MATCHED = ("CREATE TEMP TABLE IF NOT EXISTS matched (num INTEGER PRIMARY KEY, bm25 REAL, published TEXT, "
            "source TEXT, lang TEXT)")


class IndexFileError(BackendUnavailable):
    """The index file cannot be used (message in French)."""


def english_columns(article: Article) -> bool:
    """Whether an article also gets English terms (English or unknown language)."""
    return article.lang in ("en", "")


class SqliteIndex(IndexBackend):
    def __init__(self, path: str | Path, timezone: str = "Europe/Paris"):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.compiler = SqliteCompiler(ZoneInfo(timezone))
        self._lock = threading.RLock()
        self._readers = threading.local()
        self._reader_connections: list[sqlite3.Connection] = []
        self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            self._ensure_schema()
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            self._db.close()
            raise

    # --- schema and transactions ----------------------------------------

    def _ensure_schema(self) -> None:
        """Create the tables in a new file; check the format of an existing one.

        An existing index is only read here, so opening it never waits for a
        writer; creation re-checks under the write lock (two first openers).
        """
        if self._check_version():
            return
        with self._write():
            if self._check_version():
                return
            tables = self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise IndexFileError(f"{self.path} : ce fichier SQLite n'est pas un index veille")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _check_version(self) -> bool:
        """True if the file holds a current index, False if it has no format yet."""
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return True
        if version == 0:
            return False
        raise IndexFileError(f"{self.path} : index au format {version}, cette version de veille "
                             f"lit le format {SCHEMA_VERSION} ; reconstruisez l'index")

    @contextmanager
    def _write(self):
        """One write transaction; the lock keeps this connection's users apart."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # --- writing -----------------------------------------------------------

    def upsert(self, articles: Iterable[Article]) -> UpsertReport:
        report = UpsertReport()
        with self._write():
            for article in articles:
                try:
                    self._db.execute("SAVEPOINT article")
                    self._upsert_one(article)
                    self._db.execute("RELEASE article")
                    report.indexed += 1
                except Exception as exc:  # one bad record must not stop the batch
                    self._db.execute("ROLLBACK TO article")
                    self._db.execute("RELEASE article")
                    report.failed.append((getattr(article, "id", ""), f"{type(exc).__name__}: {exc}"))
        return report

    def _upsert_one(self, article: Article) -> None:
        db = self._db
        published = time_key(article.published) if article.published else None
        values = (published, article.source, article.lang, article.story_id, article.model_dump_json())
        row = db.execute("SELECT num FROM articles WHERE id = ?", (article.id,)).fetchone()
        if row is None:
            num = db.execute(
                "INSERT INTO articles (id, published, source, lang, story_id, record) VALUES (?, ?, ?, ?, ?, ?)",
                (article.id, *values)).lastrowid
        else:
            num = row[0]
            db.execute("UPDATE articles SET published = ?, source = ?, lang = ?, story_id = ?, record = ? "
                       "WHERE num = ?", (*values, num))
            db.execute("DELETE FROM articles_fts WHERE rowid = ?", (num,))
            for table in ("article_themes", "article_markets", "article_actors"):
                db.execute(f"DELETE FROM {table} WHERE article = ?", (num,))
        both = english_columns(article)
        db.execute(
            "INSERT INTO articles_fts (rowid, title_fr, text_fr, title_en, text_en) VALUES (?, ?, ?, ?, ?)",
            (num, " ".join(terms(article.title, "fr")), " ".join(terms(article.body, "fr")),
             " ".join(terms(article.title, "en")) if both else "",
             " ".join(terms(article.body, "en")) if both else ""))
        db.executemany("INSERT OR IGNORE INTO article_themes (article, theme, score) VALUES (?, ?, ?)",
                       [(num, label.id, label.score) for label in article.themes])
        db.executemany("INSERT OR IGNORE INTO article_markets (article, market, score) VALUES (?, ?, ?)",
                       [(num, label.id, label.score) for label in article.markets])
        db.executemany("INSERT OR IGNORE INTO article_actors (article, actor) VALUES (?, ?)",
                       [(num, actor.id) for actor in article.actors if actor.id])

    # --- reading -------------------------------------------------------------

    def _compile(self, request: SearchRequest) -> tuple[CompiledQuery, str, list, str, list]:
        """The query and filters as (compiled, FROM clause, its params, WHERE, its params)."""
        compiled = self.compiler.compile(parse(request.query or ""))
        where, params = [compiled.where], list(compiled.params)
        for values, table, column in ((request.themes, "article_themes", "theme"),
                                      (request.markets, "article_markets", "market"),
                                      (request.actors, "article_actors", "actor")):
            if values:
                marks = ", ".join("?" * len(values))
                where.append(f"a.num IN (SELECT article FROM {table} WHERE {column} IN ({marks}))")
                params.extend(values)
        if request.sources:
            where.append(f"a.source IN ({', '.join('?' * len(request.sources))})")
            params.extend(request.sources)
        if request.lang:
            where.append("a.lang = ?")
            params.append(request.lang)
        if request.story_id:
            where.append("a.story_id = ?")
            params.append(request.story_id)
        if request.since is not None:
            where.append("a.published >= ?")
            params.append(time_key(request.since))
        if request.until is not None:
            where.append("a.published < ?")
            params.append(time_key(request.until))
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        if compiled.rank_match is None:
            from_, from_params = "articles a", []
        else:
            join = "JOIN" if compiled.text_only else "LEFT JOIN"
            from_ = (f"articles a {join} (SELECT rowid AS num, bm25(articles_fts, {weights}) AS bm25 "
                     f"FROM articles_fts WHERE articles_fts MATCH ?) r ON r.num = a.num")
            from_params = [compiled.rank_match]
        return compiled, from_, from_params, " AND ".join(f"({w})" for w in where), params

    def search(self, request: SearchRequest) -> SearchResult:
        """The matching set is computed once (full-text match, bm25 and filters) into a temp
        table of this thread's read connection; count, page and facets read it."""
        compiled, from_, from_params, where, params = self._compile(request)
        ranked = compiled.rank_match is not None
        if request.sort == "relevance" and ranked:
            order = "(m.bm25 IS NULL), m.bm25, m.published DESC, m.num DESC"
        else:
            order = "m.published DESC, m.num DESC"
        bm25 = "r.bm25" if ranked else "NULL"
        limit, offset = max(0, request.limit), max(0, request.offset)
        with self._matched(f"SELECT a.num, {bm25}, a.published, a.source, a.lang FROM {from_} WHERE {where}",
                           from_params + params) as db:
            total = db.execute("SELECT count(*) FROM temp.matched").fetchone()[0]
            rows = db.execute(
                f"SELECT a.record, coalesce(-m.bm25, 0.0) FROM temp.matched m JOIN articles a ON a.num = m.num "
                f"ORDER BY {order} LIMIT ? OFFSET ?", [limit, offset]).fetchall() if limit else []
            facets = self._facets(db) if request.facets else {}
        hits = []
        for record, value in rows:
            article = Article.model_validate_json(record)
            snippet = make_snippet(article.body, compiled.highlight_fr,
                                   compiled.highlight_en if english_columns(article) else frozenset())
            hits.append(Hit(article=article, score=float(value), snippet=snippet))
        return SearchResult(total=total, hits=hits, facets=facets)

    def counts_since(self, request: SearchRequest, starts: list[datetime]) -> list[int]:
        """One pass: the matching set without dates, then a count per start."""
        if not starts:
            return []
        _, from_, from_params, where, params = self._compile(replace(request, since=None, until=None))
        with self._matched(f"SELECT a.num, NULL, a.published, a.source, a.lang FROM {from_} WHERE {where}",
                           from_params + params) as db:
            return [db.execute("SELECT count(*) FROM temp.matched WHERE published >= ?",
                               (time_key(start),)).fetchone()[0] for start in starts]

    @contextmanager
    def _matched(self, select: str, params: list):
        """This thread's read connection, in one read transaction, with temp.matched holding
        the rows of `select` (num, bm25, published, source, lang)."""
        db = self._reader()
        db.execute("BEGIN")
        try:
            db.execute("DELETE FROM temp.matched")
            db.execute(f"INSERT INTO temp.matched (num, bm25, published, source, lang) {select}", params)
            yield db
        finally:
            db.execute("COMMIT")

    def _reader(self) -> sqlite3.Connection:
        """This thread's read connection: searches from several threads run side by side
        (WAL readers do not block each other, and sqlite3 releases the GIL while it works)."""
        db = getattr(self._readers, "db", None)
        if db is None:
            if self._db is None:
                raise BackendUnavailable(f"{self.path} : index fermé")
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                 check_same_thread=False)
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            db.execute("PRAGMA temp_store = MEMORY")
            db.execute(_MATCHED)
            self._readers.db = db
            with self._lock:
                self._reader_connections.append(db)
        return db

    @staticmethod
    def _facets(db: sqlite3.Connection) -> dict[str, dict[str, int]]:
        facets = {}
        for name in FACET_FIELDS:
            rows = db.execute(_FACET_SQL[name]).fetchall()
            rows.sort(key=lambda row: (-row[1], row[0]))
            facets[name] = {value: count for value, count in rows}
        return facets

    def get(self, article_id: str) -> Optional[Article]:
        with self._lock:
            row = self._db.execute("SELECT record FROM articles WHERE id = ?", (article_id,)).fetchone()
        return Article.model_validate_json(row[0]) if row else None

    def iter_articles(self, request: SearchRequest) -> Iterator[Article]:
        """Every matching article, newest first; limit, offset and sort are ignored.

        The matching keys are read first (integers only), then the records in
        chunks, so no cursor stays open while the caller works.
        """
        _, from_, from_params, where, params = self._compile(request)
        with self._lock:
            nums = [row[0] for row in self._db.execute(
                f"SELECT a.num FROM {from_} WHERE {where} ORDER BY a.published DESC, a.num DESC",
                from_params + params)]
        for i in range(0, len(nums), FETCH_CHUNK):
            chunk = nums[i:i + FETCH_CHUNK]
            with self._lock:
                rows = self._db.execute(
                    f"SELECT num, record FROM articles WHERE num IN ({', '.join('?' * len(chunk))})",
                    chunk).fetchall()
            records = dict(rows)
            for num in chunk:
                if num in records:  # deleted meanwhile
                    yield Article.model_validate_json(records[num])

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            for reader in self._reader_connections:
                reader.close()
            self._reader_connections.clear()
            self._readers = threading.local()
            if self._db is not None:
                self._db.close()
                self._db = None  # type: ignore[assignment]

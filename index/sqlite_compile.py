"""Compile a query tree (index/query.py) into SQL for the SQLite backend.

Text nodes become FTS5 MATCH expressions in which every term is a quoted FTS5
string built from normalised index terms (letters and digits only), so user
text can never add FTS5 operators. Filters, dates and NOTs that FTS5 cannot
express alone become SQL conditions; every value is a bound parameter.

Maximal subtrees made only of text become one MATCH (FTS5 does AND, OR and
binary NOT itself); the rest is combined in SQL with
`a.num IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)`.
Table alias `a` is the `articles` table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import Optional
from zoneinfo import ZoneInfo

from index.query import And, DateRange, Filter, Node, Not, Or, Text, positive_texts
from index.textnorm import terms

FTS_ALL = ("{title_fr text_fr}", "{title_en text_en}")
FTS_TITLE = ("{title_fr}", "{title_en}")

FACET_TABLES = {"theme": ("article_themes", "theme"), "market": ("article_markets", "market"),
                "actor": ("article_actors", "actor")}


def time_key(moment: datetime) -> str:
    """How `published` is stored: UTC, fixed width, so text order is time order.

    A naive datetime is taken as UTC.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")


def day_key(day: date, tz: ZoneInfo) -> str:
    """Start of a local calendar day, as a stored time key."""
    return time_key(datetime.combine(day, time(0, 0), tzinfo=tz))


def fts_string(tokens: list[str]) -> str:
    """An FTS5 string (a phrase when several tokens); quotes doubled anyway."""
    return '"' + " ".join(tokens).replace('"', '""') + '"'


def text_match(node: Text) -> Optional[str]:
    """The FTS5 expression of a word or phrase; None if it has no index term."""
    fr, en = terms(node.text, "fr"), terms(node.text, "en")
    if not fr:
        return None
    cols_fr, cols_en = FTS_TITLE if node.field == "title" else FTS_ALL
    return f"({cols_fr} : {fts_string(fr)} OR {cols_en} : {fts_string(en)})"


@dataclass
class _Part:
    """A compiled subtree: an FTS5 expression (maybe negated) or SQL."""

    fts: Optional[str] = None
    negated: bool = False
    sql: str = ""
    params: list = field(default_factory=list)

    def as_sql(self) -> tuple[str, list]:
        if self.fts is None:
            return self.sql, self.params
        op = "NOT IN" if self.negated else "IN"
        return f"a.num {op} (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", [self.fts]


_TRUE = _Part(sql="1")


@dataclass
class CompiledQuery:
    where: str                    # SQL condition over alias a ("1" when none)
    params: list
    rank_match: Optional[str]     # FTS5 expression of the positive terms, for bm25
    text_only: bool               # the whole query is rank_match (join, no IN)
    highlight_fr: set[str]
    highlight_en: set[str]


class SqliteCompiler:
    def __init__(self, tz: ZoneInfo):
        self.tz = tz

    def compile(self, node: Optional[Node]) -> CompiledQuery:
        highlight_fr: set[str] = set()
        highlight_en: set[str] = set()
        matches = []
        for text in positive_texts(node):
            highlight_fr.update(terms(text.text, "fr"))
            highlight_en.update(terms(text.text, "en"))
            expr = text_match(text)
            if expr is not None:
                matches.append(expr)
        if node is None:
            return CompiledQuery("1", [], None, False, highlight_fr, highlight_en)
        part = self._node(node)
        if part.fts is not None and not part.negated:
            return CompiledQuery("1", [], part.fts, True, highlight_fr, highlight_en)
        where, params = part.as_sql()
        rank = " OR ".join(matches) if matches else None
        return CompiledQuery(where, params, rank, False, highlight_fr, highlight_en)

    def _node(self, node: Node) -> _Part:
        if isinstance(node, Text):
            expr = text_match(node)
            return _TRUE if expr is None else _Part(fts=expr)
        if isinstance(node, Filter):
            return self._filter(node)
        if isinstance(node, DateRange):
            return self._dates(node)
        if isinstance(node, Not):
            inner = self._node(node.child)
            if inner.fts is not None:
                return _Part(fts=inner.fts, negated=not inner.negated)
            sql, params = inner.as_sql()
            return _Part(sql=f"NOT ({sql})", params=params)
        if isinstance(node, And):
            return self._and([self._node(c) for c in node.children])
        if isinstance(node, Or):
            return self._or([self._node(c) for c in node.children])
        raise TypeError(f"unknown query node {node!r}")

    def _and(self, parts: list[_Part]) -> _Part:
        positive = [p.fts for p in parts if p.fts is not None and not p.negated]
        negative = [p.fts for p in parts if p.fts is not None and p.negated]
        others = [p for p in parts if p.fts is None]
        sql_parts: list[_Part] = []
        if positive:
            expr = positive[0] if len(positive) == 1 else "(" + " AND ".join(positive) + ")"
            for neg in negative:
                expr = f"({expr} NOT {neg})"
            sql_parts.append(_Part(fts=expr))
        else:
            sql_parts.extend(_Part(fts=neg, negated=True) for neg in negative)
        sql_parts.extend(p for p in others if p is not _TRUE)
        if not sql_parts:
            return _TRUE
        if len(sql_parts) == 1:
            return sql_parts[0]
        return self._combine(sql_parts, "AND")

    def _or(self, parts: list[_Part]) -> _Part:
        if any(p is _TRUE for p in parts):
            return _TRUE
        if all(p.fts is not None and not p.negated for p in parts):
            return _Part(fts="(" + " OR ".join(p.fts for p in parts) + ")")
        return self._combine(parts, "OR")

    @staticmethod
    def _combine(parts: list[_Part], op: str) -> _Part:
        sqls, params = [], []
        for part in parts:
            sql, p = part.as_sql()
            sqls.append(f"({sql})")
            params.extend(p)
        return _Part(sql=f" {op} ".join(sqls), params=params)

    @staticmethod
    def _filter(node: Filter) -> _Part:
        if node.field in FACET_TABLES:
            table, column = FACET_TABLES[node.field]
            return _Part(sql=f"a.num IN (SELECT article FROM {table} WHERE {column} = ?)", params=[node.value])
        column = {"source": "a.source", "lang": "a.lang"}[node.field]
        return _Part(sql=f"{column} = ?", params=[node.value])

    def _dates(self, node: DateRange) -> _Part:
        conditions, params = [], []
        if node.start is not None:
            conditions.append("a.published >= ?")
            params.append(day_key(node.start, self.tz))
        if node.end is not None:
            conditions.append("a.published < ?")
            params.append(day_key(node.end, self.tz))
        return _Part(sql=" AND ".join(conditions) or "1", params=params)

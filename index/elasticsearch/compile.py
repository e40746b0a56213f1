"""Compile a query tree (index/query.py) into an Elasticsearch bool query.

Only structured queries on an allowlist of fields are built: `match_phrase`
on veille's term fields (terms made of letters and digits by
index/textnorm.py, so user text never carries query syntax), `term` on the
facet keywords, `range` on `published`. Never `query_string`.

Scoring follows the embedded index: titles weigh 4, text 1, English terms
half as much; filters and dates score nothing (constant_score, boost 0).
"""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Optional
from zoneinfo import ZoneInfo

from index.query import And, DateRange, Filter, Node, Not, Or, Text, positive_texts
from index.textnorm import terms

# query field name (index/query.py FILTER_FIELDS) -> keyword field
FILTER_FIELDS = {"theme": "themes", "market": "markets", "actor": "actors", "source": "source", "lang": "lang"}
ALL_FIELDS = (("title_terms_fr", 4.0, "fr"), ("text_terms_fr", 1.0, "fr"),
              ("title_terms_en", 2.0, "en"), ("text_terms_en", 0.5, "en"))
TITLE_FIELDS = (("title_terms_fr", 4.0, "fr"), ("title_terms_en", 2.0, "en"))
MATCH_ALL = {"match_all": {}}
NO_SCORE_ALL = {"match_all": {"boost": 0.0}}


def _unscored(query: dict) -> dict:
    return {"constant_score": {"filter": query, "boost": 0.0}}


def day_start(day: date, tz: ZoneInfo) -> str:
    return datetime.combine(day, time(0, 0), tzinfo=tz).isoformat()


def text_query(node: Text) -> Optional[dict]:
    """The query of a word or phrase; None if it has no index term."""
    by_lang = {"fr": terms(node.text, "fr"), "en": terms(node.text, "en")}
    if not by_lang["fr"]:
        return None
    fields = TITLE_FIELDS if node.field == "title" else ALL_FIELDS
    should = [{"match_phrase": {name: {"query": " ".join(by_lang[lang]), "boost": boost}}}
              for name, boost, lang in fields if by_lang[lang]]
    return {"bool": {"should": should, "minimum_should_match": 1}}


class EsCompiler:
    def __init__(self, tz: ZoneInfo):
        self.tz = tz

    def compile(self, node: Optional[Node]) -> dict:
        """The query of a tree; an empty query matches everything with score 0."""
        if node is None:
            return NO_SCORE_ALL
        return self._node(node) or NO_SCORE_ALL

    def highlight_words(self, node: Optional[Node]) -> list[Text]:
        return positive_texts(node)

    def _node(self, node: Node) -> Optional[dict]:
        """A query, or None for "no constraint" (a word with no index term)."""
        if isinstance(node, Text):
            return text_query(node)
        if isinstance(node, Filter):
            return _unscored({"term": {FILTER_FIELDS[node.field]: node.value}})
        if isinstance(node, DateRange):
            bounds = {}
            if node.start is not None:
                bounds["gte"] = day_start(node.start, self.tz)
            if node.end is not None:
                bounds["lt"] = day_start(node.end, self.tz)
            return _unscored({"range": {"published": bounds}}) if bounds else None
        if isinstance(node, Not):
            inner = self._node(node.child)
            if inner is None:  # NOT of "anything" matches nothing
                return {"bool": {"must_not": [MATCH_ALL]}}
            return {"bool": {"must_not": [inner]}}
        if isinstance(node, And):
            parts = [p for p in (self._node(c) for c in node.children) if p is not None]
            if not parts:
                return None
            return parts[0] if len(parts) == 1 else {"bool": {"must": parts}}
        if isinstance(node, Or):
            parts = [self._node(c) for c in node.children]
            if any(p is None for p in parts):
                return None
            return {"bool": {"should": parts, "minimum_should_match": 1}}
        raise TypeError(f"unknown query node {node!r}")

"""Hostile queries match literally or raise QuerySyntaxError, never an SQLite error."""
from zoneinfo import ZoneInfo

import pytest

from index.base import QuerySyntaxError, SearchRequest
from index.query import parse
from index.sqlite_compile import SqliteCompiler

HOSTILE = [
    '"foo" OR title:x) --',
    "NEAR(",
    "NEAR(laser satellite)",
    "laser NEAR/2 satellite",
    "*",
    "^",
    "laser*",
    "^laser",
    "'; DROP TABLE articles; --",
    "laser'; DELETE FROM articles; --",
    "{title_fr text_fr} : laser",
    "title_fr:laser",
    "rowid:1",
    "laser + satellite",
    '"a" + "b"',
    'x" OR "1"="1',
    'laser"',
    "laser AND (satellite OR",
    "laser \x00 satellite",
    "\u202e laser",
    "%",
    "laser ?",
    "? :1 @a $b",
    "lang:fr' OR '1'='1",
    "theme:x' OR 1=1 --",
    "source:\"a' OR 'b\"",
    "date:2026-11-01' OR 1=1",
    "a" * 1500,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_query_is_harmless(index, query):
    try:
        result = index.search(SearchRequest(query=query))
    except QuerySyntaxError:
        pass
    else:
        assert result.total >= len(result.hits)
    assert index.count() == 12


def test_sql_in_words_matches_literally(index):
    assert index.search(SearchRequest(query="'; DROP TABLE articles; --")).total == 0
    with pytest.raises(QuerySyntaxError, match="langue invalide"):
        index.search(SearchRequest(query="lang:fr' OR '1'='1"))
    assert index.search(SearchRequest(query="theme:x' OR 1=1 --")).total == 0


def test_fts_operators_in_words_match_literally(index):
    assert index.search(SearchRequest(query="laser*")).total == 2      # the word "laser"
    assert index.search(SearchRequest(query="NEAR satellite")).total == 0  # "near" is a word
    assert index.search(SearchRequest(query="laser + satellite")).total == 2


@pytest.mark.parametrize("query", ['"foo" OR title:x) --', "NEAR(", "*", "^", "laser AND (satellite OR"])
def test_malformed_ones_raise(index, query):
    with pytest.raises(QuerySyntaxError):
        index.search(SearchRequest(query=query))


def test_user_text_only_reaches_sql_as_parameters():
    compiled = SqliteCompiler(ZoneInfo("UTC")).compile(parse("x' OR 1=1 theme:a' OR -lang:fr date>=2026-01-01"))
    assert "'" not in compiled.where and "1=1" not in compiled.where
    assert "a'" in compiled.params
    assert '"x"' in compiled.params[0] and "OR 1" not in compiled.params[0]

"""The query tree compiled for Elasticsearch: structured clauses on allowed fields only (no node needed)."""
import json
from zoneinfo import ZoneInfo

import pytest

from index.base import QuerySyntaxError
from index.elasticsearch.client import make_client, public_url
from index.elasticsearch.compile import ALL_FIELDS, FILTER_FIELDS, EsCompiler
from index.query import parse

compiler = EsCompiler(ZoneInfo("Europe/Paris"))
ALLOWED = {name for name, _, _ in ALL_FIELDS} | set(FILTER_FIELDS.values()) | {"published"}
CLAUSES = {"bool", "must", "should", "must_not", "minimum_should_match", "match_phrase", "query", "boost",
           "term", "range", "gte", "lt", "constant_score", "filter", "match_all"}


def keys(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            keys(value, found)
    elif isinstance(node, list):
        for value in node:
            keys(value, found)
    return found


@pytest.mark.parametrize("query", [
    'laser', '"fibre optique" -militaire', 'title:satellite OR theme:sante',
    'hydrogène^5 OR {"script": 1} OR _exists_:x OR a*', 'lang:en date:2026-11-01..2026-11-30',
    'market:defense (radar OR "guerre électronique") NOT actor:thales',
])
def test_only_allowlisted_clauses_and_fields(query):
    compiled = compiler.compile(parse(query))
    used = keys(compiled, set())
    assert used <= CLAUSES | ALLOWED, used - CLAUSES - ALLOWED
    assert "query_string" not in json.dumps(compiled)


def test_words_become_index_terms_not_syntax():
    compiled = json.dumps(compiler.compile(parse('hydrogène^5 "a OR b"')), ensure_ascii=False)
    assert "^" not in compiled and "hydrogen" in compiled


def test_filters_and_dates_do_not_score():
    compiled = compiler.compile(parse("theme:sante date:2026-11"))
    for clause in compiled["bool"]["must"]:
        assert clause["constant_score"]["boost"] == 0.0
    assert compiled["bool"]["must"][1]["constant_score"]["filter"]["range"]["published"] == {
        "gte": "2026-11-01T00:00:00+01:00", "lt": "2026-12-01T00:00:00+01:00"}


def test_bad_syntax_is_the_parser_error():
    with pytest.raises(QuerySyntaxError, match="guillemet"):
        compiler.compile(parse('"fibre'))


def test_credentials_never_in_the_public_url():
    assert public_url("https://user:secret@es.example.org:9243/base?x=1") == "https://es.example.org:9243/base"
    client, url = make_client("X", {"X": "https://u:p@es.example.org", "VEILLE_ES_API_KEY": "abc"})
    assert url == "https://es.example.org"
    client.close()

"""The real Elasticsearch node for the tests (scripts/elasticsearch.sh starts it).

Tests needing it call `require_node()`: without a reachable node they fail
under CI (CI=true) and are skipped with the reason elsewhere.
"""
import os
import urllib.request
import uuid

import pytest

URL_ENV = "VEILLE_ES_URL"


def require_node() -> str:
    url = os.environ.get(URL_ENV, "")
    problem = ""
    if not url:
        problem = f"{URL_ENV} is not set (scripts/elasticsearch.sh start, then export {URL_ENV}=http://127.0.0.1:9200)"
    else:
        try:
            with urllib.request.urlopen(url.rstrip("/") + "/_cluster/health", timeout=5) as response:
                response.read()
        except OSError as exc:
            problem = f"no Elasticsearch node answers at {url}: {exc}"
    if problem:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"Elasticsearch tests cannot run in CI: {problem}")
        pytest.skip(problem)
    return url


def fresh_alias(prefix: str = "veille-test") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def open_es(alias=None, **options):
    from index.elasticsearch import ElasticsearchIndex

    require_node()
    return ElasticsearchIndex(URL_ENV, alias=alias or fresh_alias(), **options)

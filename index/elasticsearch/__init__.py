"""The Elasticsearch backend: same interface as the embedded index (index/base.py).

- client.py: the client from environment variables, errors turned into BackendUnavailable;
- analysis.py: the best French analysis the cluster offers;
- mappings.py: the index template (explicit mappings) and the article → document mapping;
- compile.py: the expert query tree (index/query.py) → a structured bool query;
- versions.py: versioned indices behind an alias, rebuild with an atomic swap;
- backend.py: ElasticsearchIndex (upsert by streaming bulk, search, facets, highlights).
"""
from index.elasticsearch.backend import ElasticsearchIndex

__all__ = ["ElasticsearchIndex"]

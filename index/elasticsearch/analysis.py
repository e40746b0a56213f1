"""The French analysis chain, chosen from what the cluster offers.

A full distribution has the analysis-common module: elision, lowercase,
asciifolding, French stop words and the light French stemmer. The
integ-test-zip has none of those filters but `lowercase`, `stop` and
`hunspell`; with a fr_FR dictionary in the node's config/hunspell (Debian's
hunspell-fr, copied by scripts/elasticsearch.sh) hunspell stems French words.
Failing that, standard tokens, lower-cased, without French stop words.

This analysis serves highlighting and the `title`/`text` fields; matching and
ranking use veille's own terms (index/textnorm.py) in the `*_terms_*` fields,
so every cluster matches exactly like the embedded index.
"""
from __future__ import annotations

from elasticsearch import ApiError, Elasticsearch

FULL = "french-full"
HUNSPELL = "french-hunspell"
BASIC = "standard"

CHAINS = {
    FULL: {
        "filter": {
            "veille_elision": {"type": "elision", "articles_case": True,
                               "articles": ["l", "m", "t", "qu", "n", "s", "j", "d", "c",
                                            "jusqu", "quoiqu", "lorsqu", "puisqu"]},
            "veille_stop_fr": {"type": "stop", "stopwords": "_french_"},
            "veille_stem_fr": {"type": "stemmer", "language": "light_french"},
        },
        "analyzer": {"veille_fr": {"tokenizer": "standard", "filter": [
            "veille_elision", "lowercase", "veille_stop_fr", "asciifolding", "veille_stem_fr"]}},
    },
    HUNSPELL: {
        "filter": {
            "veille_stop_fr": {"type": "stop", "stopwords": "_french_"},
            "veille_hunspell_fr": {"type": "hunspell", "locale": "fr_FR", "dedup": True},
        },
        "analyzer": {"veille_fr": {"tokenizer": "standard", "filter": [
            "lowercase", "veille_stop_fr", "veille_hunspell_fr"]}},
    },
    BASIC: {
        "analyzer": {"veille_fr": {"tokenizer": "standard", "filter": ["lowercase"]}},
    },
}
# veille's own terms are already folded and stemmed: only split them.
TERMS_ANALYZER = {"veille_terms": {"tokenizer": "standard", "filter": []}}


def _works(client: Elasticsearch, chain: str) -> bool:
    spec = CHAINS[chain]
    filters = [spec.get("filter", {}).get(name, name) for name in spec["analyzer"]["veille_fr"]["filter"]]
    try:
        client.indices.analyze(tokenizer="standard", filter=filters, text="L'électronique")
    except ApiError as exc:
        if exc.status_code == 400:
            return False
        raise
    return True


def best_chain(client: Elasticsearch) -> str:
    """The richest chain this cluster can run: FULL, HUNSPELL or BASIC."""
    for chain in (FULL, HUNSPELL):
        if _works(client, chain):
            return chain
    return BASIC


def analysis_settings(chain: str) -> dict:
    spec = CHAINS[chain]
    analyzers = {**spec["analyzer"], **TERMS_ANALYZER}
    return {"analysis": {"filter": spec.get("filter", {}), "analyzer": analyzers}} if spec.get("filter") \
        else {"analysis": {"analyzer": analyzers}}

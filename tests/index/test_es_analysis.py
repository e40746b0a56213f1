"""French analysis on the node the tests run on, and highlights."""
import os
from pathlib import Path

import pytest

from es_helpers import open_es
from index.base import SearchRequest
from index.elasticsearch.analysis import BASIC, FULL, HUNSPELL, best_chain
from index_helpers import load_articles, slug


@pytest.fixture(scope="module")
def es():
    index = open_es()
    index.upsert(load_articles())
    yield index
    index.versions.drop_all()
    index.close()


def _tokens(es, text):
    response = es.client.indices.analyze(index=es.alias, analyzer="veille_fr", text=text)
    return [t["token"] for t in response["tokens"]]


def test_the_richest_chain_the_node_offers(es):
    chain = es.status()["analysis"]
    assert chain == best_chain(es.client)
    if chain == FULL:  # a full distribution: elision, folding, light stemmer
        assert _tokens(es, "L'électronique des lasers") == ["electron", "laser"]
    elif chain == HUNSPELL:  # the integ-test-zip with Debian's fr_FR dictionary
        assert _tokens(es, "Les lasers industrielles") == ["laser", "industriel"]
    else:
        assert chain == BASIC
        assert _tokens(es, "Les Lasers") == ["les", "lasers"]


@pytest.mark.skipif(not Path("/usr/share/hunspell/fr_FR.dic").exists(), reason="hunspell-fr not installed")
def test_integ_test_zip_with_hunspell_uses_it(es):
    modules = {m["name"] for node in es.client.nodes.info(metric="plugins")["nodes"].values()
               for m in node["modules"]}
    if "analysis-common" not in modules:
        assert es.status()["analysis"] == HUNSPELL


def test_highlights_mark_inflected_words_and_escape_html(es):
    result = es.search(SearchRequest(query="satellite"))
    snippets = {slug(hit.article): hit.snippet for hit in result.hits}
    assert "<mark>satellites</mark>" in snippets["fr-lasers"] or "<mark>satellite</mark>" in snippets["fr-lasers"]
    hostile = load_articles()[0].model_copy(update={"url": "https://example.org/hostile", "id": "hostile",
                                                    "text": 'Un laser <script>alert("x")</script> & co'})
    es.upsert([hostile])
    hit = next(h for h in es.search(SearchRequest(query="laser")).hits if h.article.id == "hostile")
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert "<mark>laser</mark>" in hit.snippet

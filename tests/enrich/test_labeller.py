"""The label model: training a tiny one, using it alone or combined with the thesaurus."""
import json

import pytest

from enrich import Enricher
from enrich.devset import DEFAULT_DEVSET, load_labels, split
from enrich.labeller import META_FILE, MODEL_EVIDENCE, read_meta
from enrich.training import train


@pytest.fixture(scope="module")
def tiny_model(shipped_config, tmp_path_factory):
    items = split(load_labels(DEFAULT_DEVSET, config=shipped_config))[0][:40]
    out = tmp_path_factory.mktemp("model")
    meta = train(shipped_config, items, judgements=None, out=out, epochs=3)
    return out, meta


def test_training_saves_a_spacy_pipeline_and_its_meta(tiny_model, shipped_config):
    out, meta = tiny_model
    assert (out / "config.cfg").is_file() and (out / META_FILE).is_file()
    assert read_meta(out) == meta
    assert meta["examples"] == 40 and meta["sources"] == {"labelled_articles": 40, "judged_articles": 0}
    assert len(meta["labels"]) == len(shipped_config.themes) + len(shipped_config.markets)


def test_model_alone_labels_with_its_probability_as_evidence(tiny_model, shipped_config):
    out, meta = tiny_model
    enricher = Enricher(shipped_config, label_model=out, label_mode="model", label_min_examples=0)
    labeller = enricher.pipelines["fr"].get_pipe("veille_labeller")
    labeller.model_threshold = 0.0  # a 3-epoch model is unsure of everything: keep all to see them
    article = next(enricher.enrich([load_labels(DEFAULT_DEVSET)[0].article()]))
    assert article.themes and all(l.evidence[0].term == MODEL_EVIDENCE for l in article.themes)
    assert f"model={meta['version']}" in article.enriched_with


def test_combined_keeps_rule_labels_unless_the_model_vetoes(tiny_model, shipped_config):
    out, _ = tiny_model
    rules = Enricher(shipped_config, label_model=None)
    combined = Enricher(shipped_config, label_model=out, label_min_examples=0)
    labeller = combined.pipelines["fr"].get_pipe("veille_labeller")
    item = load_labels(DEFAULT_DEVSET)[0]
    labeller.veto, labeller.add = 0.0, 1.01  # no veto, no addition: the rules' labels
    assert next(combined.enrich([item.article()])).theme_ids == next(rules.enrich([item.article()])).theme_ids
    labeller.veto = 1.01  # everything vetoed
    assert next(combined.enrich([item.article()])).themes == []


def test_a_model_trained_on_too_few_articles_is_not_used(tiny_model, shipped_config):
    out, _ = tiny_model
    enricher = Enricher(shipped_config, label_model=out)  # default: 300 articles at least
    assert enricher.pipelines["fr"].get_pipe("veille_labeller").model is None
    assert "model=" not in enricher.versions["fr"]


def test_no_labels_at_all_is_a_clear_error(shipped_config, tmp_path):
    with pytest.raises(ValueError, match="aucun exemple"):
        train(shipped_config, [], judgements=tmp_path / "absent.jsonl", out=tmp_path / "m")

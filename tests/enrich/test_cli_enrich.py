"""`veille eval`, `train`, `actors --new`, `reclassify` on a small data folder."""
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from enrich.candidates import CandidateStore
from index import open_index
from index.base import SearchRequest
from veille.cli import app
from veille.config import load_config
from veille.record import Article
from veille.spool import Spool

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def veille(data_dir, *args):
    return runner.invoke(app, [*args, "--config", str(DATA / "config")],
                         env={"VEILLE_DATA": str(data_dir), "COLUMNS": "200"})


def test_eval_prints_figures_and_names_bad_lines(tmp_path):
    result = veille(tmp_path, "eval", "--labels", str(DATA / "labels-mixed.jsonl"))
    assert result.exit_code == 0, result.output
    assert "thèmes" in result.output and "F1 micro" in result.output and "Par étiquette" in result.output
    assert "ligne 2 : JSON illisible" in result.output
    assert "veille train" in result.output  # no model yet


def test_eval_json_and_missing_file(tmp_path):
    result = veille(tmp_path, "eval", "--labels", str(DATA / "labels-mixed.jsonl"), "--json")
    assert result.exit_code == 0
    figures = json.loads(result.stdout[result.stdout.index("{"):])
    assert figures["rules_all"]["articles"] == 2
    missing = veille(tmp_path, "eval", "--labels", str(tmp_path / "absent.jsonl"))
    assert missing.exit_code == 2 and "introuvable" in missing.output


def test_train_without_any_example_says_why(tmp_path):
    result = veille(tmp_path, "train", "--no-labels")
    assert result.exit_code == 1 and "aucun exemple" in result.output


@pytest.fixture
def stored(tmp_path, enricher):
    """A data folder with two enriched and indexed articles."""
    config = load_config(DATA / "config")
    config = config.model_copy(update={"settings": config.settings.model_copy(update={"data_dir": tmp_path})})
    articles = [Article(url="http://e.org/1", title="Photonix Labs et le CNES",
                        text="La start-up Photonix Labs livre au CNES un laser femtoseconde pour satellite.",
                        published="2026-11-20T10:00:00+00:00"),
                Article(url="http://e.org/2", title="Un vaccin", text="Un essai clinique de vaccin à l'hôpital.",
                        published="2026-01-05T10:00:00+00:00")]
    enriched = list(enricher.enrich(articles))
    for article in enriched:  # as labelled by an older taxonomy
        article.enriched_with = "veille-enrich-1;taxo=old"
        article.themes = []
    with Spool(tmp_path / "spool.sqlite") as spool:
        spool.put_articles(enriched, "indexed")
    with open_index(config) as index:
        index.upsert(enriched)
    return config


def test_reclassify_updates_the_spool_and_the_index(stored, tmp_path):
    result = veille(tmp_path, "reclassify", "--since", "2026-11-01")
    assert result.exit_code == 0, result.output
    assert "Articles ré-enrichis : 1" in result.output
    with open_index(stored) as index:
        hits = index.search(SearchRequest(themes=["optique-photonique"], limit=5)).hits
        assert [h.article.url for h in hits] == ["http://e.org/1"]
        assert "veille-enrich-2" in hits[0].article.enriched_with
    with Spool(tmp_path / "spool.sqlite") as spool:
        old = [a for a in spool.get_articles(spool.ids_in("indexed")) if a.url == "http://e.org/2"][0]
        assert old.enriched_with == "veille-enrich-1;taxo=old"  # before --since: untouched
    with CandidateStore(tmp_path / "spool.sqlite") as store:
        assert "Photonix Labs" in {c.name for c in store.new_since()}


def test_actors_new_since_lists_candidates_with_type_and_date(stored, tmp_path):
    assert veille(tmp_path, "reclassify").exit_code == 0
    result = veille(tmp_path, "actors", "--new", "--since", "2026-11-01", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    photonix = next(c for c in found if c["name"] == "Photonix Labs")
    assert photonix["type"] == "company" and photonix["first_seen"].startswith("2026-11-20")
    assert veille(tmp_path, "actors", "--new", "--since", "hier").exit_code == 2


def test_train_saves_the_model_in_the_data_folder(tmp_path):
    result = veille(tmp_path, "train", "--labels", str(DATA / "labels-mixed.jsonl"), "--epochs", "2")
    assert result.exit_code == 0, result.output
    assert "Modèle appris sur" in result.output
    assert (tmp_path / "models" / "labels" / "veille-model.json").is_file()

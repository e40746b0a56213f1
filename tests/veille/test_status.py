"""`veille status`: runs, source health, backlog, index and next jobs, for people and monitoring."""
import json

import yaml

from typer.testing import CliRunner

from veille.cli import app
from veille.pipeline import COLLECT, Pipeline
from veille.spool import Spool

runner = CliRunner()


def status_json(folder) -> dict:
    result = runner.invoke(app, ["status", "--json", "--config", str(folder.config)],
                           env={"VEILLE_DATA": str(folder.data)})
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_status_of_a_fresh_data_folder_says_never_run(folder):
    state = status_json(folder)
    assert state["runs"] == [] and state["locks"] == {"scheduler": None, "run": None}
    assert {s["id"] for s in state["sources"]} == {s.id for s in folder.load().sources}
    assert all(s["last_success"] is None for s in state["sources"])
    assert state["jobs"]["from"] == "config"
    assert {j["id"] for j in state["jobs"]["jobs"]} >= {"collecte:presse", "synthese:zoom-spatial-defense"}


def test_a_failing_source_counts_consecutive_failures_with_its_last_error(folder):
    (folder.config / "sources.yaml").write_text(yaml.safe_dump({"sources": [{
        "id": "agence-muette", "name": "Agence muette", "url": "http://127.0.0.1:1/actualites.xml",
        "group": "agenda", "allow_private": True}]}))
    config = folder.load()
    for _ in range(2):
        pipeline = Pipeline(config, command="test")
        try:
            pipeline.run(COLLECT)
        finally:
            pipeline.close()
    [source] = status_json(folder)["sources"]
    assert source["consecutive_failures"] == 2 and source["last_success"] is None
    assert "127.0.0.1:1" in source["last_error"]
    text = runner.invoke(app, ["status", "--config", str(folder.config)],
                         env={"VEILLE_DATA": str(folder.data), "COLUMNS": "200"}).output
    assert "Dernières exécutions" in text and "jamais" in text


def test_backlog_and_index_size_are_reported(folder):
    folder.data.mkdir()
    with Spool(folder.data / "spool.sqlite") as spool:
        spool.start_run("r1", "refresh")
        spool.finish_run("r1", "ok", {"crawl": {"new_pages": 3}})
        spool.put_page(url="https://e.org/a", source="photonique-hebdo", final_url="https://e.org/a", status=200,
                       content_type="text/html", encoding="utf-8", body=b"<html></html>", entry={})
    state = status_json(folder)
    assert state["backlog"]["pages_to_extract"] == 1
    assert state["runs"][0]["command"] == "refresh" and state["runs"][0]["counts"] == {"crawl": {"new_pages": 3}}
    assert state["index"]["backend"] == "sqlite" and state["index"]["articles"] == 0


def test_a_source_whose_volume_dropped_to_nothing_is_flagged(folder):
    from crawlers.state import CrawlState
    from veille.pipeline import spool_path

    config = folder.load()
    quiet, steady = config.sources[0].id, config.sources[1].id
    with CrawlState(spool_path(config)) as state:
        for new in [6, 5, 7, 4, 6, 0, 0, 0, 0, 0]:
            state.add_volume(quiet, new)
            state.add_volume(steady, 3)
    with Spool(spool_path(config)):
        pass
    sources = {s["id"]: s for s in status_json(folder)["sources"]}
    assert sources[steady]["alerts"] == []
    [alert] = sources[quiet]["alerts"]
    assert "volume tombé à zéro" in alert
    text = runner.invoke(app, ["status", "--config", str(folder.config)],
                         env={"VEILLE_DATA": str(folder.data), "COLUMNS": "200"}).output
    assert f"⚠ {quiet}" in text and "volume tombé à zéro" in text

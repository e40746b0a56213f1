"""The `veille` commands a user types, on an index built from the fixture web."""
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from veille.cli import app
from veille.config import load_config
from veille.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(newsweb, tmp_path_factory):
    """A demo data folder: crawl, extract, enrich and index the fixture web once."""
    data_dir = tmp_path_factory.mktemp("cli")
    config = newsweb.bind(load_config(ROOT / "config", overlay=ROOT / "config" / "demo"))
    config = config.model_copy(update={"settings": config.settings.model_copy(update={"data_dir": data_dir})})
    pipeline = Pipeline(config)
    try:
        assert pipeline.run(stages=("crawl", "extract", "enrich", "index")).ok
    finally:
        pipeline.close()
    return data_dir


def veille(data_dir, *args, stdin=None):
    return runner.invoke(app, [*args, "--config", str(ROOT / "config"), "--demo"],
                         env={"VEILLE_DATA": str(data_dir), "COLUMNS": "200"}, input=stdin)


def test_search_prints_ranked_hits_with_source_date_and_themes(data_dir):
    result = veille(data_dir, "search", "hydrogène", "--limit", "3")
    assert result.exit_code == 0, result.output
    assert "résultat(s)" in result.output and "1. " in result.output
    assert "Thème" not in result.output.splitlines()[0]
    assert "/20" in result.output  # a French date dd/mm/yyyy


def test_search_json_gives_one_record_per_line_with_a_highlighted_snippet(data_dir):
    result = veille(data_dir, "search", "nanosatellite", "--theme", "aeronautique-spatial", "--json")
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.output.splitlines()]
    assert hits and all("<mark>" in h["snippet"] and "aeronautique-spatial" in
                        [t["id"] for t in h["article"]["themes"]] for h in hits)
    assert all(set(h["article"]) >= {"id", "url", "title", "source", "published", "actors"} for h in hits)


def test_search_since_keeps_recent_articles_only(data_dir):
    every = [json.loads(x) for x in veille(data_dir, "search", "", "--json", "--limit", "500").output.splitlines()]
    dates = sorted(h["article"]["published"][:10] for h in every)
    since = dates[len(dates) // 2]
    recent = veille(data_dir, "search", "", "--since", since, "--json", "--limit", "500").output.splitlines()
    assert 0 < len(recent) < len(every)
    assert all(json.loads(x)["article"]["published"][:10] >= since for x in recent)


@pytest.mark.parametrize("args, message", [
    (["search", 'laser AND ("optique'], "Requête invalide"),
    (["search", "laser", "--theme", "astrologie"], "thème inconnu : astrologie"),
    (["search", "laser", "--since", "hier"], "Date invalide"),
    (["digest", "--profile", "inconnu"], "inconnu"),
])
def test_wrong_input_gets_a_french_message_and_exit_code_2(data_dir, args, message):
    result = veille(data_dir, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_digest_writes_html_and_text_files(data_dir, tmp_path):
    result = veille(data_dir, "digest", "--profile", "energie-environnement", "--period", "week",
                    "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    html = next(tmp_path.glob("energie-environnement-*.html")).read_text(encoding="utf-8")
    text = next(tmp_path.glob("energie-environnement-*.txt")).read_text(encoding="utf-8")
    assert "Zoom-Marché Énergie et Environnement" in html and "Zoom-Marché Énergie et Environnement" in text
    assert "hydrogène" in text.lower()


def test_enrich_reads_json_lines_and_writes_enriched_records(tmp_path):
    result = runner.invoke(app, ["enrich", str(DATA / "to_enrich.jsonl"), "--config", str(ROOT / "config")])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["lang"] for r in records] == ["fr", "en"]
    first = records[0]
    assert "aeronautique-spatial" in [t["id"] for t in first["themes"]]
    assert all(t["score"] > 0 and t["evidence"] for t in first["themes"])
    assert {"cnes", "aerospace-valley"} <= {a["id"] for a in first["actors"]}
    assert "energie" in [m["id"] for m in records[1]["markets"]]


def test_enrich_reads_stdin_and_names_bad_lines(tmp_path):
    lines = (DATA / "to_enrich.jsonl").read_text(encoding="utf-8") + "pas du json\n"
    result = runner.invoke(app, ["enrich", "--config", str(ROOT / "config")], input=lines)
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2
    assert "<stdin>:3" in result.stderr


def test_the_run_report_has_a_line_per_source_with_errors_grouped_by_reason(monkeypatch):
    from rich.console import Console

    import veille.cli as cli

    recorder = Console(record=True, width=200)
    monkeypatch.setattr(cli, "console", recorder)
    cli.print_sources({
        "presse-a": {"feeds": 1, "not_modified": 0, "new": 4, "known": 10, "updated": 1, "duplicates": 2,
                     "errors": [{"url": "u1", "reason": "HTTP 404"}, {"url": "u2", "reason": "HTTP 404"},
                                {"url": "u3", "reason": "HTTP 429 (le serveur demande d'attendre : 120)"}]},
        "agence-b": {"feeds": 0, "not_modified": 1, "errors": []},
        "lente": {"not_due": True},
    })
    text = recorder.export_text()
    assert "HTTP 404 ×2, HTTP 429" in text
    presse = next(line for line in text.splitlines() if "presse-a" in line)
    assert [cell.strip() for cell in presse.split("│")[1:8]] == ["presse-a", "1", "0", "4", "10", "1", "2"]
    assert "pas encore due" in next(line for line in text.splitlines() if "lente" in line)

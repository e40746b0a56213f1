"""An invalid config stops the command with one message naming file, line, key and problem."""
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from veille.cli import app
from veille.config import ConfigError, load_config

MINIMAL = Path(__file__).parent / "data" / "minimal"

MISTAKES = [
    # (file, new content, words the message must contain)
    ("sources.yaml", "sources:\n  - id: x\n    name: X\n    url: ftp://example.org/feed\n",
     ["sources.yaml", "ligne 4", "sources[0].url", "URL invalide"]),
    ("sources.yaml", "sources:\n  - id: x\n    name: X\n    url: https://e.org/f\n    langue: fr\n",
     ["sources.yaml", "ligne 5", "sources[0].langue", "clé inconnue"]),
    ("sources.yaml", "sources:\n  - id: x\n    url: https://e.org/f\n",
     ["sources.yaml", "sources[0].name", "clé obligatoire absente"]),
    ("settings.yaml", "timezone: Europe/Pariss\n",
     ["settings.yaml", "ligne 1", "timezone", "fuseau horaire inconnu"]),
    ("settings.yaml", "crawl:\n  download_timeout: -3\n",
     ["settings.yaml", "ligne 2", "crawl.download_timeout", "doit être supérieur à 0 (lu : -3)"]),
    ("themes.yaml", "themes:\n  - id: optique-photonique\n    label: Optique\n    terms: {fr: {laser: 2}\n",
     ["themes.yaml", "YAML illisible"]),
    ("profiles.yaml", "profiles:\n  - id: p\n    name: P\n    recipients: [pas-une-adresse]\n",
     ["profiles.yaml", "ligne 4", "profiles[0].recipients", "adresse e-mail invalide"]),
    ("profiles.yaml", "profiles:\n  - id: p\n    name: P\n    themes: [photonique]\n",
     ["profiles.yaml", "profiles[0].themes", "thème inconnu 'photonique'"]),
    ("actors.yaml", "actors:\n  - id: CNES\n    name: CNES\n    type: public-body\n",
     ["actors.yaml", "actors[0].id", "format invalide", "minuscules, chiffres et tirets"]),
    ("actors.yaml", "actors:\n  - id: cnes\n    name: CNES\n    type: agence\n",
     ["actors.yaml", "ligne 4", "actors[0].type"]),
    ("markets.yaml", "markets:\n  - id: spatial\n    label: Spatial\n    terms: {}\n",
     ["markets.yaml", "au moins un terme"]),
    ("sources.yaml", "sources:\n  - id: a\n    name: A\n    url: https://e.org/a\n"
                     "  - id: a\n    name: B\n    url: https://e.org/b\n",
     ["sources.yaml", "en double", "'a'"]),
    ("settings.yaml", "schedule:\n  sources:\n    presse: '0 25 * * *'\n",
     ["settings.yaml", "ligne 3", "schedule.sources", "expression cron invalide"]),
    ("settings.yaml", "schedule:\n  sources:\n    presse: '0 8 * * *'\n",
     ["settings.yaml", "schedule.sources", "aucun horaire", "'default'"]),
    ("profiles.yaml", "profiles:\n  - id: p\n    name: P\n    time: 8h\n",
     ["profiles.yaml", "ligne 4", "profiles[0].time"]),
    ("sources.yaml", "sources:\n  - id: x\n    name: X\n    kind: blog\n    url: https://e.org/\n",
     ["sources.yaml", "ligne 4", "sources[0].kind", "'feed', 'sitemap', 'section' ou 'watch'"]),
    ("sources.yaml", "sources:\n  - id: x\n    name: X\n    url: https://e.org/f\n    max_depth: 3\n",
     ["sources.yaml", "ligne 5", "sources[0].max_depth", "réservée aux sources kind: section", "kind: feed"]),
    ("sources.yaml", "sources:\n  - id: x\n    name: X\n    kind: section\n    url: https://e.org/\n"
                     "    allow: ['/actu/(']\n",
     ["sources.yaml", "ligne 6", "sources[0].allow", "motif (expression régulière) invalide"]),
    ("sources.yaml", "sources:\n  - id: x\n    name: X\n    kind: watch\n    url: https://e.org/\n"
                     "    selector: 'div[['\n",
     ["sources.yaml", "ligne 6", "sources[0].selector", "sélecteur CSS invalide"]),
    ("sources.yaml", "sources:\n  - id: x\n    name: X\n    kind: section\n    url: https://e.org/\n"
                     "    start_urls: [file:///etc/passwd]\n",
     ["sources.yaml", "ligne 6", "sources[0].start_urls", "URL invalide"]),
    ("sources.yaml", "sources:\n  - id: x\n    name: X\n    kind: sitemap\n    url: https://e.org/s.xml\n"
                     "    max_age_days: 0\n",
     ["sources.yaml", "ligne 6", "sources[0].max_age_days"]),
    ("sources.yaml", "sources:\n  - id: x\n    name: X\n    url: https://e.org/f\n"
                     "    min_interval_minutes: 600\n    max_interval_minutes: 60\n",
     ["sources.yaml", "ligne 2", "sources[0]", "min_interval_minutes (600) dépasse max_interval_minutes (60)"]),
]


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "config"
    shutil.copytree(MINIMAL, target)
    return target


def test_minimal_config_is_valid(folder):
    config = load_config(folder)
    assert [s.id for s in config.sources] == ["lettre-optique"]
    assert config.settings.timezone == "Europe/Paris"


@pytest.mark.parametrize("file,content,expected", MISTAKES, ids=[f"{m[0]}-{i}" for i, m in enumerate(MISTAKES)])
def test_mistake_is_named(folder, file, content, expected):
    (folder / file).write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    message = str(caught.value)
    for words in expected:
        assert words in message, message


def test_missing_mandatory_file(folder):
    (folder / "themes.yaml").unlink()
    with pytest.raises(ConfigError, match="themes.yaml: fichier obligatoire absent"):
        load_config(folder)


def test_cli_exits_2_before_writing_anything(folder, tmp_path, monkeypatch):
    (folder / "settings.yaml").write_text(f"data_dir: {tmp_path / 'data'}\ntimezone: Mars/Olympus\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["run", "--config", str(folder)])
    assert result.exit_code == 2
    assert "settings.yaml" in result.output and "fuseau horaire inconnu" in result.output
    assert not (tmp_path / "data").exists()


def test_demo_overlay_replaces_files(folder):
    demo = folder / "demo"
    demo.mkdir()
    (demo / "settings.yaml").write_text("data_dir: data/demo\n")
    config = load_config(folder, overlay=demo)
    assert config.settings.data_dir == "data/demo"
    assert config.themes[0].id == "optique-photonique"

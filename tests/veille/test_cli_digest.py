"""`veille digest` (--preview, --send, approve, log) and `veille subscribers check`,
on a real SQLite index and a real SMTP server on loopback."""
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from index import open_index
from veille.cli import app
from veille.config import load_config
from veille.record import Article

from smtpserver import SMTPServer  # tests/smtpserver.py, the loopback SMTP server

REPORTS = Path(__file__).resolve().parents[1] / "reports"

FIXTURE_NOW = datetime(2026, 11, 23, 0, 0, tzinfo=ZoneInfo("Europe/Paris"))
runner = CliRunner()


@pytest.fixture
def smtp():
    with SMTPServer() as server:
        yield server


@pytest.fixture
def setup(tmp_path, smtp):
    """The digest tests' config with mail to the loopback server, and an index of their
    articles moved in time so that their week is the week ending now."""
    folder = tmp_path / "config"
    shutil.copytree(REPORTS / "data" / "config", folder)
    with (folder / "settings.yaml").open("a", encoding="utf-8") as settings:
        settings.write(f"mail:\n  host: 127.0.0.1\n  port: {smtp.port}\n  security: none\n"
                       f"  sender: veille@pole.example.org\n")
    data = tmp_path / "data"
    config = load_config(folder).model_copy(deep=True)
    config.settings.data_dir = str(data)
    shift = datetime.now(ZoneInfo("Europe/Paris")) - FIXTURE_NOW
    articles = []
    for line in (REPORTS / "data" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        article = Article.from_json(line)
        if article.published:
            article.published = article.published + shift
        articles.append(article)
    with open_index(config) as index:
        index.upsert(articles)
    return folder, data


def veille(setup, *args):
    folder, data = setup
    return runner.invoke(app, [*args, "--config", str(folder)], env={"VEILLE_DATA": str(data), "COLUMNS": "200"})


def test_preview_writes_files_and_sends_nothing(setup, smtp):
    result = veille(setup, "digest", "--profile", "zoom-spatial-defense", "--preview")
    assert result.exit_code == 0, result.output
    assert "rien n'est envoyé" in result.output
    folder = setup[1] / "digests"
    assert len(list(folder.glob("zoom-spatial-defense-*.html"))) == 1 and (folder / "index.html").exists()
    assert list(folder.glob("zoom-spatial-defense-*-volume-themes.png"))
    assert smtp.recorder.received == []


def test_send_delivers_once(setup, smtp):
    first = veille(setup, "digest", "--profile", "zoom-spatial-defense", "--send")
    assert first.exit_code == 0, first.output
    assert "1 envoyé(s)" in first.output
    second = veille(setup, "digest", "--profile", "zoom-spatial-defense", "--send")
    assert second.exit_code == 0 and "0 envoyé(s), 1 déjà servi(s)" in second.output
    assert smtp.recorder.copies("veille-spatial@example.org") == 1
    log = veille(setup, "digest", "log")
    assert "veille-spatial@example.org" in log.output and "sent" in log.output


def test_a_refused_recipient_exits_1_and_is_named(setup, smtp):
    smtp.recorder.refuse = {"veille-spatial@example.org"}
    result = veille(setup, "digest", "--profile", "zoom-spatial-defense", "--send")
    assert result.exit_code == 1
    assert "veille-spatial@example.org non servi" in result.output and "nouvel essai" in result.output


def test_review_profile_is_sent_only_after_approve(setup, smtp):
    drafted = veille(setup, "digest", "--profile", "revue-spatial", "--send")
    assert drafted.exit_code == 0, drafted.output
    assert "brouillon à relire" in drafted.output and "aucune synthèse approuvée" in drafted.output
    assert smtp.recorder.received == []
    approved = veille(setup, "digest", "approve", "revue-spatial", "--by", "veilleur")
    assert approved.exit_code == 0, approved.output
    sent = veille(setup, "digest", "--profile", "revue-spatial", "--send")
    assert sent.exit_code == 0 and "2 envoyé(s)" in sent.output


def test_subscribers_check(setup):
    result = veille(setup, "subscribers", "check")
    assert result.exit_code == 0, result.output
    assert "revue-spatial" in result.output and "aucun destinataire" in result.output   # lidar-spatial
    folder = setup[0]
    profiles = (folder / "profiles.yaml").read_text(encoding="utf-8")
    (folder / "profiles.yaml").write_text(profiles.replace("query: 'lidar OR \"télédétection laser\"'",
                                                           "query: 'lidar AND (laser'"), encoding="utf-8")
    broken = veille(setup, "subscribers", "check")
    assert broken.exit_code == 1 and "requête invalide" in broken.output


def test_subscribers_check_names_labels_an_english_digest_would_leave_in_french(setup):
    folder = setup[0]
    profiles = (folder / "profiles.yaml").read_text(encoding="utf-8")
    english = profiles.replace("    sources: [enerpresse, energie-hebdo]\n",
                               "    sources: [enerpresse, energie-hebdo]\n    language: en\n", 1)
    assert english != profiles
    (folder / "profiles.yaml").write_text(english, encoding="utf-8")
    result = veille(setup, "subscribers", "check")
    said = " ".join(result.output.split())
    assert result.exit_code == 0 and "resteront en français" in said
    assert said.count("resteront en français") == 1     # not for space-defence-en: its labels have label_en
    from reports.subscribers import check_profiles
    from veille.config import load_config

    findings = {f.profile: f for f in check_profiles(load_config(folder))}
    assert findings["energie-environnement"].warnings[-1].endswith("energie, environnement, energie")
    assert not any("label_en" in w for w in findings["space-defence-en"].warnings)


def test_send_without_smtp_settings_is_refused_in_french(setup):
    folder = setup[0]
    (folder / "settings.yaml").write_text("data_dir: data\ntimezone: Europe/Paris\n", encoding="utf-8")
    result = veille(setup, "digest", "--profile", "zoom-spatial-defense", "--send")
    assert result.exit_code == 2 and "Aucun serveur SMTP configuré" in result.output

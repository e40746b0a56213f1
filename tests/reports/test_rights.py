"""The digest never quotes more than a source allows (sources.yaml `rights`)."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from reports.digest import build_digest, render_digest
from reports.rights import allowed_summary
from veille.config import Source

NOW = datetime(2026, 11, 23, 0, 0, tzinfo=ZoneInfo("Europe/Paris"))
LONG = "Une phrase de dix mots pour remplir le résumé ici. " * 20


@pytest.fixture
def week(config, index):
    return build_digest(config, index, "zoom-spatial-defense", now=NOW)


def every_item(digest):
    return [item for section in digest.sections() for item in section.items]


def source(**rights) -> Source:
    return Source(id="s", name="S", url="https://s.example.org/feed", **rights)


def test_rules():
    assert allowed_summary(LONG, source(rights="full"), 400).rstrip("…") == LONG[:400].rsplit(" ", 1)[0].rstrip(" .")
    assert len(allowed_summary(LONG, source(rights="excerpt", excerpt_chars=80), 400).rstrip("…")) <= 80
    assert allowed_summary(LONG, source(rights="title"), 400) == ""
    assert len(allowed_summary(LONG, None, 400).rstrip("…")) <= 300   # unknown source: the default excerpt


def test_title_only_sources_show_no_summary_and_paywalls_are_flagged(week, config):
    defense = [i for i in every_item(week) if i.source_name == "Défense Mag"]
    assert defense
    assert all(i.summary == "" and i.line == "" and i.paywalled for i in defense)
    html, text = render_digest(week)
    assert "Accès payant" in html and "Accès payant" in text


def test_excerpts_stay_under_their_cap(week, articles):
    capped = [i for i in every_item(week) if i.source_name == "La Lettre de l'optique"]
    assert capped
    for item in capped:
        assert len(item.summary.rstrip("…")) <= 120 and len(item.line.rstrip("…")) <= 120
    caps = {"La Lettre de l'optique": 120, "Le Journal de l'espace": 400, "Défense Mag": 0}
    for item in every_item(week):
        assert len(item.summary.rstrip("…")) <= caps.get(item.source_name, 300), item.source_name

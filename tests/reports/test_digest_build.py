"""build_digest: period, perimeter, one entry per story, counts, sections."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from reports.digest import build_digest
from veille.config import ConfigError

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 0, 0, tzinfo=PARIS)  # Monday midnight: the week is 16-22 November


@pytest.fixture
def week(config, index):
    return build_digest(config, index, "zoom-spatial-defense", period="week", now=NOW)


def titles(section):
    return [item.title for item in section.items]


def test_week_is_the_seven_days_ending_at_now(week):
    assert week.period.start == datetime(2026, 11, 16, 0, 0, tzinfo=PARIS)
    assert week.period.end == NOW
    assert week.period.label == "du 16 au 22 novembre 2026"


def test_articles_outside_the_period_are_left_out(week):
    every_title = {item.title for section in week.theme_sections + week.market_sections
                   for item in section.items}
    assert "ArianeGroup accélère la cadence d'Ariane 6" not in every_title      # 15 Nov, 23:30 Paris
    assert "Un satellite d'observation optique commandé par l'Europe" not in every_title  # after now
    assert "Lettre d'information sans date" not in every_title
    assert "Les lasers du spatial au service de l'agriculture de précision" in every_title  # 16 Nov, 8:00


def test_index_is_asked_for_the_period_and_each_perimeter_field(config, index):
    build_digest(config, index, "zoom-spatial-defense", now=NOW)
    asked = index.requests
    assert {tuple(r.themes) for r in asked} >= {("optique-photonique", "aeronautique-spatial")}
    assert {tuple(r.markets) for r in asked} >= {("spatial", "defense")}
    period_requests = [r for r in asked if r.limit != 0][:2]   # then baseline and trend queries
    for request in period_requests:
        assert request.since == datetime(2026, 11, 15, 23, 0, tzinfo=timezone.utc)
        assert request.until == datetime(2026, 11, 22, 23, 0, tzinfo=timezone.utc)


def test_perimeter_is_themes_or_markets(week):
    # Salon-de-Provence has no theme, only the Défense market: it is in the perimeter.
    defense = next(s for s in week.market_sections if s.title == "Marché : Défense")
    assert "Salon-de-Provence : la base aérienne accueille un nouvel escadron" in titles(defense)
    every_title = {t for s in week.theme_sections + week.market_sections for t in titles(s)}
    assert "EDF met en service un parc éolien en mer au large de Fécamp" not in every_title


def test_counts(week):
    # 12 articles in the perimeter and period (CO3D told twice), from 4 sources.
    assert week.article_count == 12
    assert week.source_count == 4


def test_perimeter_is_shown_with_labels_not_ids(week):
    assert week.perimeter.themes == ["Optique et photonique", "Aéronautique et spatial"]
    assert week.perimeter.markets == ["Spatial", "Défense"]
    assert [s.title for s in week.theme_sections] == ["Thème : Optique et photonique",
                                                      "Thème : Aéronautique et spatial"]
    assert [s.title for s in week.market_sections] == ["Marché : Spatial", "Marché : Défense"]


def test_highlights_have_one_entry_per_story(week):
    items = week.highlights.items
    assert len(items) == 5
    assert len({item.story_id for item in items}) == 5
    co3d = [item for item in items if item.story_id == "story-co3d"]
    assert len(co3d) == 1
    assert [other.source_name for other in co3d[0].also] == ["La Lettre de l'optique"]


def test_highlights_rank_by_score_and_recency(week):
    assert titles(week.highlights) == [
        "Thales Alenia Space livre l'instrument optique des satellites CO3D",
        "Détection laser de drones : Exail remporte un contrat de la DGA",
        "Lumibird et l'ONERA s'allient sur le lidar embarqué",
        "Le CNES lance un appel à projets sur les constellations d'observation optique",
        "Le CNES étudie l'énergie solaire spatiale",
    ]
    first = week.highlights.items[0]
    assert first.source_name == "Le Journal de l'espace"
    assert first.themes == ["Optique et photonique", "Aéronautique et spatial"]
    assert first.markets == ["Spatial"]
    assert first.published.date().isoformat() == "2026-11-20"


def test_sections_are_capped_with_a_remainder(week):
    optics = week.theme_sections[0]
    assert len(optics.items) == 8
    assert optics.more == 1
    assert optics.total == 9  # 10 optics articles, CO3D counted once


def test_actors_are_counted_by_citing_articles(week):
    assert [(a.name, a.count) for a in week.actors[:2]] == [("CNES", 3), ("Thales Alenia Space", 2)]
    assert all(a.id for a in week.actors)
    assert [(a.name, a.id, a.count) for a in week.candidate_actors] == [("DGA", None, 2),
                                                                          ("Photonix Labs", None, 1)]


def test_calls_and_events_use_the_keyword_rule(week):
    assert [(item.kind, item.title) for item in week.calls_and_events.items] == [
        ("Événement", "Salon Optique Pro 2026 : le spatial à l'honneur"),
        ("Appel à projets", "Le CNES lance un appel à projets sur les constellations d'observation optique"),
    ]


def test_transversal_opportunities(week):
    assert titles(week.transversal) == ["Les lasers du spatial au service de l'agriculture de précision"]


def test_profile_sources_restrict_the_perimeter(config, index):
    digest = build_digest(config, index, "energie-environnement", now=NOW)
    every_title = {t for s in digest.theme_sections + digest.market_sections for t in titles(s)}
    assert every_title == {
        "EDF met en service un parc éolien en mer au large de Fécamp",
        "Hydrogène : Engie et Air Liquide réunissent les PME lors d'une journée technique",
    }  # "Le CNES étudie l'énergie solaire spatiale" is from a source outside the profile
    assert digest.perimeter.sources == ["Énerpresse", "Énergie Hebdo"]
    assert digest.source_count == 2
    environment = next(s for s in digest.theme_sections if s.title == "Thème : Environnement")
    assert environment.items == [] and environment.more == 0
    assert [i.kind for i in digest.calls_and_events.items] == ["Événement"]


def test_day_is_the_last_24_hours(config, index):
    day = build_digest(config, index, "zoom-spatial-defense", period="day", now=NOW)
    assert day.period.end - day.period.start == timedelta(hours=24)
    assert day.article_count == 2
    assert set(titles(day.highlights)) == {
        "<script>alert(1)</script>",
        "Détection laser de drones : Exail remporte un contrat de la DGA",
    }
    assert day.period.within == "ces dernières 24 heures"


def test_profile_query_is_passed_to_the_index(config, index):
    build_digest(config, index, "lidar-spatial", period="day", now=NOW)
    assert index.requests and all(r.query == 'lidar OR "télédétection laser"' for r in index.requests)


def test_now_defaults_to_the_current_time_in_the_config_timezone(config, index):
    digest = build_digest(config, index, "zoom-spatial-defense")
    assert digest.period.end.tzinfo is not None
    assert digest.period.end.utcoffset() == datetime.now(PARIS).utcoffset()
    assert abs(datetime.now(timezone.utc) - digest.period.end) < timedelta(minutes=5)


def test_unknown_profile_is_a_config_error(config, index):
    with pytest.raises(ConfigError, match="profil inconnu"):
        build_digest(config, index, "inconnu", now=NOW)


def test_unknown_period_is_refused(config, index):
    with pytest.raises(ValueError, match="période inconnue"):
        build_digest(config, index, "zoom-spatial-defense", period="month", now=NOW)

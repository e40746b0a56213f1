"""The development set we wrote, and reading labelled files."""
from pathlib import Path

from enrich.devset import DEFAULT_DEVSET, load_labels, split

DATA = Path(__file__).parent / "data"


def test_the_development_set_covers_every_theme_market_and_both_languages(shipped_config):
    problems = []
    items = load_labels(DEFAULT_DEVSET, problems.append, shipped_config)
    assert problems == []
    assert len(items) >= 150
    assert {i.lang for i in items} == {"fr", "en"}
    assert sum(i.lang == "en" for i in items) >= 40
    assert set().union(*(i.themes for i in items)) == shipped_config.theme_ids
    assert set().union(*(i.markets for i in items)) == shipped_config.market_ids
    assert sum(bool(i.actors) for i in items) >= 100


def test_split_is_stable_and_disjoint(shipped_config):
    items = load_labels(DEFAULT_DEVSET, config=shipped_config)
    train, held_out = split(items)
    assert split(items) == (train, held_out)
    assert not {i.id for i in train} & {i.id for i in held_out}
    assert 0.25 <= len(held_out) / len(items) <= 0.45


def test_bad_lines_are_reported_in_french_and_the_rest_is_read(enrich_config):
    problems = []
    items = load_labels(DATA / "labels-mixed.jsonl", problems.append, enrich_config)
    assert [i.id for i in items] == ["a1", "a3"]
    assert items[0].themes == {"optique-photonique", "aeronautique-spatial"} and items[0].actors == {"cnes"}
    assert items[1].themes == {"electronique"} and items[1].markets == set()
    text = "\n".join(problems)
    for expected in ("ligne 2 : JSON illisible", "ligne 3 : ni « title » ni « text »",
                     "ligne 4 : themes : identifiant inconnu 'theme-inconnu'", "ligne 4 : « markets » doit être une liste",
                     "ligne 5 : id en double 'a1'", "ligne 6 : objet JSON avec un « id » attendu"):
        assert expected in text, text

import pytest

from enrich.text import KeyMaker, clean_text, compact, fold


def test_fold():
    assert fold("UNIVERSITÉ Paris‑Saclay") == "universite paris-saclay"
    assert fold("L’Œuvre") == "l'oeuvre"


@pytest.mark.parametrize("a, b", [("lasers", "laser"), ("intégrées", "intégré"), ("femtosecondes", "femtoseconde"),
                                  ("puces", "puce"), ("spatiaux", "spatial")])
def test_french_key_absorbs_inflection(a, b):
    key = KeyMaker("fr")
    assert key(a) == key(b)


@pytest.mark.parametrize("a, b", [("photon", "photonique"), ("électron", "électronique")])
def test_french_key_keeps_distinct_words_apart(a, b):
    key = KeyMaker("fr")
    assert key(a) != key(b)


def test_english_key_strips_plurals_only():
    key = KeyMaker("en")
    assert key("satellites") == key("satellite")
    assert key("batteries") == key("battery")
    assert key("photonics") != key("photon")
    assert key("bus") == "bus"


def test_clean_text_keeps_paragraphs():
    assert clean_text("  Un  titre \r\n\r\n\r\n\tLe   corps.\nSuite  ") == "Un titre\n\nLe corps.\nSuite"


def test_compact():
    assert compact("Université Paris Saclay") == compact("UNIVERSITE PARIS-SACLAY")

import pytest

from enrich.actor_types import guess_actor_type
from enrich.actors import is_exact_alias


def ids(article):
    return [a.id for a in article.actors if a.id]


def test_long_name_and_hyphenated_alias_link_to_registry(enriched):
    article = enriched("spatial-laser")
    assert set(ids(article)) == {"cnes", "cea"}
    cnes = next(a for a in article.actors if a.id == "cnes")
    assert cnes.name == "CNES" and cnes.type == "public-body"
    assert "Centre national d'études spatiales" in cnes.mentions and "CNES" in cnes.mentions
    assert cnes.count == 2
    cea = next(a for a in article.actors if a.id == "cea")
    assert cea.mentions == ["CEA-Leti"] and cea.count == 2


def test_case_and_accent_variants_link(enriched):
    article = enriched("university-variants")
    saclay = next(a for a in article.actors if a.id == "universite-paris-saclay")
    assert saclay.count == 2
    assert set(saclay.mentions) == {"Universite Paris-Saclay", "UNIVERSITÉ PARIS-SACLAY"}
    assert saclay.type == "university"


def test_short_acronyms_and_common_words_in_lower_case_do_not_link(enriched):
    article = enriched("short-acronyms-lower")
    assert ids(article) == []


def test_short_acronyms_in_capitals_link(enriched):
    article = enriched("short-acronyms-upper")
    assert {"stmicroelectronics", "thales-alenia-space", "orange"} <= set(ids(article))


@pytest.mark.parametrize("alias, exact", [("ST", True), ("CEA", True), ("l'X", True), ("CNES", False),
                                          ("CEA-Leti", False), ("Inria", False)])
def test_exact_case_rule_is_for_aliases_of_three_letters_at_most(alias, exact):
    assert is_exact_alias(alias) is exact


def test_unknown_organisations_are_candidates_with_a_type_guess(enriched):
    article = enriched("candidate-organisations")
    candidates = {a.name: a.type for a in article.actors if a.id is None}
    assert candidates.get("LAAS-CNRS") == "lab"
    assert candidates.get("Photonix Labs") == "company"
    assert all(a.id is None for a in article.actors)  # « Photonix » is not the registry's « Photonis »


@pytest.mark.parametrize("name, kind", [
    ("Laboratoire Hubert Curien", "lab"), ("Institut Fresnel", "lab"), ("LAAS-CNRS", "lab"),
    ("Université de Bordeaux", "university"), ("École Centrale de Lyon", "university"),
    ("Agence spatiale européenne", "public-body"), ("Ministère des Armées", "public-body"),
    ("Région Occitanie", "public-body"), ("Commission européenne", "public-body"),
    ("Photonix Labs", "company"), ("Lumière SAS", "company"), ("Photonmark Conseil", "company"),
    ("Conseil régional de Bretagne", "public-body"),
])
def test_type_guess(name, kind):
    assert guess_actor_type(name) == kind


def test_entities_have_offsets_in_the_analysed_text(enricher, article, enriched):
    from enrich import Enricher

    source = article("spatial-laser")
    text, _title_chars = Enricher.analysed_text(source)
    result = enriched("spatial-laser")
    assert result.entities
    for entity in result.entities:
        assert text[entity.start:entity.end] == entity.text
        assert entity.label in {"ORG", "PER", "LOC", "MISC"}


def test_common_acronyms_are_never_candidates():
    from enrich.actor_types import names_no_organisation

    assert names_no_organisation("PME") and names_no_organisation("OLED")
    assert not names_no_organisation("CERN")

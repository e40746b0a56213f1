from enrich.language import detect_language
from veille.record import Article


def test_detects_french_and_english():
    assert detect_language("Le Centre national d'études spatiales a signé un accord avec ses partenaires.") == "fr"
    assert detect_language("The European launcher will place two satellites on orbit next year.") == "en"


def test_other_language_is_kept_as_detected():
    text = ("Das Unternehmen hat heute einen neuen Vertrag über die Lieferung von Satelliten "
            "unterzeichnet und wird in den nächsten Jahren zahlreiche Ingenieure einstellen, "
            "wie der Vorstand in einer Mitteilung an die Presse bekannt gab.")
    assert detect_language(text) == "de"


def test_short_text_falls_back_to_french_or_english():
    assert detect_language("Laser femtoseconde") in ("fr", "en")


def test_text_without_letters_gets_the_default():
    assert detect_language("", default="fr") == "fr"
    assert detect_language("2026 — 42 %", default="en") == "en"


def test_enricher_keeps_a_given_language_and_detects_otherwise(enricher):
    given = Article(url="http://e.org/1", title="Un titre français", text="Un texte en français.", lang="en")
    unknown = Article(url="http://e.org/2", title="A satellite contract",
                      text="The company will build two satellites for the agency next year.")
    out = list(enricher.enrich([given, unknown]))
    assert [a.lang for a in out] == ["en", "en"]
    french = Article(url="http://e.org/3", text="La société va construire deux satellites pour l'agence l'an prochain.")
    assert next(enricher.enrich([french])).lang == "fr"

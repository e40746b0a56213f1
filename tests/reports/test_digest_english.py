"""English digests (profile `language: en`): every heading, date and phrase in English."""
import re
import string
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from reports import english, wording
from reports.digest import build_digest, render_digest
from reports.period import make_period
from reports.wording import Wording

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 0, 0, tzinfo=PARIS)

HEADINGS = ["Highlights", "Market: Space", "Market: Defence", "Theme: Optics and photonics",
            "Theme: Aeronautics and space", "Actors", "Most cited actors", "Trends", "Rising terms",
            "Markets × themes", "Calls for projects and events", "Cross-cluster opportunities"]
# what the French digest writes around its articles; none of it may show in the English one
FRENCH = ["Faits marquants", "Marché :", "Thème :", "Acteurs les plus cités", "Nouveaux venus", "Tendances",
          "Termes en hausse", "Appels à projets et événements", "Opportunités transversales", "Période",
          "Comment cette synthèse", "Synthèse produite", "Se désabonner", "Aussi chez", "Accès payant",
          "Aucun", "novembre", "semaine", "entreprise", "laboratoire", "organisme public", "hors registre",
          "Toute la sélection", "moyenne avant", "heure de Paris", "Événement", "Appel à projets]"]


@pytest.fixture
def english_digest(config, index):
    wording.MISSING.clear()
    return build_digest(config, index, "space-defence-en", now=NOW)


def headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>|\s+", " ", h).strip() for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html, re.S)]


def chrome(text: str, digest) -> str:
    """The text without what the sources wrote (titles, summaries, source names, links)."""
    for item in [i for section in digest.sections() for i in section.items]:
        for value in (item.title, item.summary, item.line, item.source_name, item.url):
            text = text.replace(value, " ") if value else text
    return re.sub(r"https?://\S+", " ", text)


def test_headings_and_cover_are_english(english_digest):
    html, text = render_digest(english_digest, unsubscribe="https://veille.example.org/u/1")
    assert headings(html)[:len(HEADINGS) - 4] == ["Highlights", "Market: Space", "Market: Defence",
                                                  "Theme: Optics and photonics", "Theme: Aeronautics and space",
                                                  "Actors", "Most cited actors", "New actors spotted (not in the registry)"]
    for heading in HEADINGS:
        assert heading in headings(html), heading
        assert f"\n{heading}\n" in text, heading
    assert '<html lang="en">' in html
    label = english_digest.period.label
    assert re.sub(r"\s", " ", label) == "16 – 22 Nov 2026"            # Babel's interval, thin spaces around –
    assert f"Period: {label}" in html and f"Period: {label}" in text
    assert "12 articles read · 4 sources" in html
    assert "Le Journal de l'espace · 20 November 2026" in text
    assert "[Event] Salon Optique Pro 2026" in text and "Unsubscribe: https://veille.example.org/u/1" in text


def test_nothing_french_around_the_articles(english_digest):
    html, text = render_digest(english_digest, unsubscribe="https://veille.example.org/u/1")
    for rendered in (chrome(html, english_digest), chrome(text, english_digest)):
        for phrase in FRENCH:
            assert phrase not in rendered, phrase
    assert wording.MISSING == set()


def test_labels_without_an_english_label_keep_the_french_one(english_digest):
    """The test thesaurus has no label_en for "Énergie": shown as written rather than invented."""
    labels = {label for item in english_digest.highlights.items for label in item.themes + item.markets}
    assert "Énergie" in labels and "Optics and photonics" in labels


def test_method_says_summaries_stay_in_their_language(english_digest, config, index):
    assert english_digest.method[-1] == "Summaries are the sources' own, in their original language."
    french = build_digest(config, index, "zoom-spatial-defense", now=NOW)
    assert french.language == "fr" and not any("original" in line for line in french.method)


def test_the_french_digest_is_unchanged(config, index):
    html, text = render_digest(build_digest(config, index, "zoom-spatial-defense", now=NOW))
    assert '<html lang="fr">' in html and "Période : du 16 au 22 novembre 2026" in text
    assert "Highlights" not in html


def test_daily_period_in_english():
    period = make_period("day", "Europe/Paris", datetime(2026, 11, 23, 8, 0, tzinfo=PARIS), "en")
    assert period.label == "from 22 November 2026 at 08:00 to 23 November 2026 at 08:00"
    assert period.within == "in the last 24 hours"


@pytest.mark.parametrize("count, expected", [(0, "0 articles read"), (1, "1 article read"), (2, "2 articles read")])
def test_english_plural(count, expected):
    assert Wording("en").plural(count, "article lu", "articles lus") == expected


def test_french_plural_keeps_zero_singular():
    assert Wording("fr").plural(0, "article lu", "articles lus") == "0 article lu"


def test_decimals_and_short_dates():
    assert Wording("en").decimal(2.5) == "2.5" and Wording("fr").decimal(2.5) == "2,5"
    day = datetime(2026, 11, 16)
    assert Wording("en").short_date(day) == "16 Nov" and Wording("fr").short_date(day) == "16 nov."


def test_a_missing_phrase_falls_back_to_french_and_is_recorded():
    wording.MISSING.clear()
    assert Wording("en")("Phrase absente du catalogue") == "Phrase absente du catalogue"
    assert wording.MISSING == {"Phrase absente du catalogue"}
    wording.MISSING.clear()


def test_every_translation_keeps_its_placeholders():
    def fields(text):
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for french, translated in english.EN.items():
        assert fields(french) == fields(translated), french


def test_unknown_language_is_refused_in_french():
    with pytest.raises(ValueError, match="langue inconnue"):
        Wording("de")

"""Small pieces of the digest: French dates, safe URLs, text cleaning, the event rule."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from reports.events import CALL, EVENT, call_or_event
from reports.french import date_fr, period_fr, plural
from reports.text import clean_line, first_sentence, safe_url, strip_markup
from veille.record import Article

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize("start,end,expected", [
    ((2026, 11, 16), (2026, 11, 23), "du 16 au 22 novembre 2026"),
    ((2026, 11, 28), (2026, 12, 5), "du 28 novembre au 4 décembre 2026"),
    ((2026, 12, 29), (2027, 1, 5), "du 29 décembre 2026 au 4 janvier 2027"),
    ((2026, 12, 1), (2026, 12, 8), "du 1er au 7 décembre 2026"),
    ((2026, 11, 22), (2026, 11, 23), "le 22 novembre 2026"),
])
def test_period_in_french(start, end, expected):
    assert period_fr(datetime(*start, tzinfo=PARIS), datetime(*end, tzinfo=PARIS)) == expected


def test_dates_and_plurals():
    assert date_fr(datetime(2026, 8, 1, tzinfo=PARIS)) == "1er août 2026"
    assert date_fr(None) == "date inconnue"
    assert plural(0, "article") == "0 article"
    assert plural(3, "source") == "3 sources"


@pytest.mark.parametrize("url,expected", [
    ("https://example.org/a?b=1", "https://example.org/a?b=1"),
    ("http://example.org/", "http://example.org/"),
    ("javascript:alert(1)", ""),
    ("JavaScript:alert(1)", ""),
    (" javascript:alert(1)", ""),
    ("data:text/html;base64,PHNjcmlwdD4=", ""),
    ("//example.org/x", ""),
    ("https://exa mple.org/", ""),
    ("https://example.org/\x00", ""),
    ("", ""),
])
def test_only_http_urls_are_links(url, expected):
    assert safe_url(url) == expected


def test_text_cleaning():
    assert clean_line("Titre\x1b[31m rouge\x07\u202e  et\n fin") == "Titre rouge et fin"
    assert strip_markup("<p>Un <b>résumé</b> &amp; plus</p>") == "Un résumé & plus"
    assert first_sentence("Première phrase. Deuxième phrase.") == "Première phrase."


@pytest.mark.parametrize("title,expected", [
    ("Le CNES lance un appel à projets", CALL),
    ("Appel à candidatures : accélérateur photonique", CALL),
    ("Horizon Europe: call for proposals on quantum sensing", CALL),
    ("Le salon du Bourget ouvre ses portes", EVENT),
    ("Journée technique sur l'hydrogène", EVENT),
    ("International Conference on Space Optics", EVENT),
    ("Salon-de-Provence : la base aérienne accueille un escadron", None),
    ("Conférence de presse du ministre", None),
    ("Thales livre un satellite", None),
])
def test_call_or_event_rule(title, expected):
    assert call_or_event(Article(url="https://example.org/a", title=title, text="")) == expected


def test_the_enrichment_announcement_comes_before_the_rule():
    from datetime import date

    from reports.events import announced_date
    from veille.record import Announcement

    # the text alone says "salon" (an event by the rule); enrichment read a call with its deadline
    article = Article(url="https://example.org/a", title="Au salon, un appel", text="Clôture le 3 mars 2027.",
                      announcement=Announcement(kind="call", date=date(2027, 2, 1), deadline=True))
    assert call_or_event(article) == CALL
    assert announced_date(article, date(2027, 1, 1)) == ("Clôture", date(2027, 2, 1))
    assert announced_date(article, date(2027, 3, 1)) == ("", None)  # past: not shown
    unlabelled = Article(url="https://example.org/b", title="Salon de l'optique", text="Les 3 et 4 mars 2027.")
    assert call_or_event(unlabelled) == EVENT
    assert announced_date(unlabelled, date(2027, 1, 1)) == ("Date", date(2027, 3, 3))

"""Calls and events with their deadline or date, French and English."""
from datetime import date, datetime, timezone

import pytest

from veille.record import Article

PUBLISHED = datetime(2026, 11, 20, tzinfo=timezone.utc)


def _announce(enricher, text, title="Actualité", lang=None):
    article = Article(url="http://e.org/a", title=title, text=text, published=PUBLISHED, lang=lang or "")
    return next(enricher.enrich([article])).announcement


@pytest.mark.parametrize("text, kind, when, deadline", [
    ("Le pôle ouvre un appel à projets sur les lasers. Les dossiers doivent être déposés avant le 15 mars.",
     "call", date(2027, 3, 15), True),
    ("Un appel d'offres est lancé. La date limite est fixée au 1er décembre 2026.", "call", date(2026, 12, 1), True),
    ("Le pôle organise le 12 février à Paris une journée technique sur la photonique.", "event", date(2027, 2, 12), False),
    ("The cluster opens a call for proposals on space optics. Proposals are due before 30 January.",
     "call", date(2027, 1, 30), True),
    ("The annual conference takes place on 4 December in Grenoble.", "event", date(2026, 12, 4), False),
    ("Le salon de l'optique revient, date à venir.", "event", None, False),
])
def test_kind_and_date(enricher, text, kind, when, deadline):
    found = _announce(enricher, text)
    assert found is not None and found.kind == kind
    assert found.date == when and found.deadline is deadline
    assert found.sentence


@pytest.mark.parametrize("text", [
    "Le directeur a tenu une conférence de presse le 3 mars.",
    "Le laser femtoseconde progresse, selon les chercheurs, le 4 mai.",
])
def test_no_announcement(enricher, text):
    assert _announce(enricher, text) is None


def test_impossible_date_is_dropped_not_fatal(enricher):
    found = _announce(enricher, "Appel à projets : dépôt avant le 31 février.")
    assert found.kind == "call" and found.date is None and found.deadline is False

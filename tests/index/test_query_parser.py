"""The expert query syntax: the tree it builds and every error it reports."""
from datetime import date

import pytest

from index.base import QuerySyntaxError
from index.query import And, DateRange, Filter, Not, Or, Text, parse, positive_texts


def test_empty_query_is_no_constraint():
    assert parse("") is None
    assert parse("   ") is None


def test_words_are_anded():
    assert parse("laser satellite") == And((Text("laser", position=0), Text("satellite", position=6)))


def test_phrase():
    assert parse('"fibre optique"') == Text("fibre optique", phrase=True, position=0)


@pytest.mark.parametrize("query", ["a OR b", "a OU b"])
def test_or(query):
    node = parse(query)
    assert isinstance(node, Or) and [c.text for c in node.children] == ["a", "b"]


@pytest.mark.parametrize("query", ["a AND b", "a ET b", "a b"])
def test_and(query):
    node = parse(query)
    assert isinstance(node, And) and [c.text for c in node.children] == ["a", "b"]


@pytest.mark.parametrize("query", ["a NOT b", "a SAUF b", "a -b"])
def test_not(query):
    assert parse(query) == And((Text("a", position=0), Not(Text("b", position=query.index("b")))))


def test_lowercase_operators_are_words():
    node = parse("a or b et c")
    assert isinstance(node, And) and [c.text for c in node.children] == ["a", "or", "b", "et", "c"]


def test_precedence_not_and_or():
    node = parse("a OR b c NOT d")
    assert isinstance(node, Or)
    left, right = node.children
    assert left == Text("a", position=0)
    assert isinstance(right, And)
    assert right.children[0].text == "b" and right.children[1].text == "c"
    assert right.children[2] == Not(Text("d", position=13))


def test_parentheses_group():
    node = parse("(a OR b) c")
    assert isinstance(node, And)
    assert isinstance(node.children[0], Or)
    assert node.children[1].text == "c"


def test_minus_before_group_and_phrase():
    node = parse('-(a b) -"c d"')
    assert isinstance(node, And)
    assert isinstance(node.children[0], Not) and isinstance(node.children[0].child, And)
    assert node.children[1] == Not(Text("c d", phrase=True, position=8))


def test_hyphenated_word_is_one_word():
    assert parse("Paris-Saclay") == Text("Paris-Saclay", position=0)


@pytest.mark.parametrize("query, field, value", [
    ("theme:optique-photonique", "theme", "optique-photonique"),
    ("thème:sante", "theme", "sante"),
    ("market:spatial", "market", "spatial"),
    ("marché:defense", "market", "defense"),
    ("actor:thales-alenia-space", "actor", "thales-alenia-space"),
    ("source:spacenews", "source", "spacenews"),
    ("lang:FR", "lang", "fr"),
    ('theme:"optique-photonique"', "theme", "optique-photonique"),
])
def test_field_filters(query, field, value):
    assert parse(query) == Filter(field, value, 0)


def test_title_word_and_phrase():
    assert parse("title:satellite") == Text("satellite", field="title", position=0)
    assert parse('titre:"fibre optique"') == Text("fibre optique", phrase=True, field="title", position=0)


@pytest.mark.parametrize("query, start, end", [
    ("date:2026-11-01..2026-11-30", date(2026, 11, 1), date(2026, 12, 1)),
    ("date:2026-11-05", date(2026, 11, 5), date(2026, 11, 6)),
    ("date:2026-11", date(2026, 11, 1), date(2026, 12, 1)),
    ("date:2026-12", date(2026, 12, 1), date(2027, 1, 1)),
    ("date:2026", date(2026, 1, 1), date(2027, 1, 1)),
    ("date:2026-11-01..", date(2026, 11, 1), None),
    ("date:..2026-11-30", None, date(2026, 12, 1)),
    ("date>=2026-11-01", date(2026, 11, 1), None),
    ("date>2026-11-01", date(2026, 11, 2), None),
    ("date<=2026-11-30", None, date(2026, 12, 1)),
    ("date<2026-11-30", None, date(2026, 11, 30)),
    ("since:2026-11-01", date(2026, 11, 1), None),
    ("depuis:2026-11", date(2026, 11, 1), None),
])
def test_dates(query, start, end):
    assert parse(query) == DateRange(start, end, 0)


def test_punctuation_only_words_are_ignored():
    assert parse("laser * ^ --") == Text("laser", position=0)


def test_positive_texts_skip_negated_ones():
    texts = positive_texts(parse('a (b OR -c) NOT (d -e) title:f'))
    assert [t.text for t in texts] == ["a", "b", "e", "f"]


@pytest.mark.parametrize("query, message", [
    ('laser "fibre optique', "guillemet ouvrant jamais fermé (caractère 7)"),
    ("(laser OR lidar", "parenthèse ouvrante jamais fermée (caractère 1)"),
    ("laser (", "parenthèse ouvrante jamais fermée (caractère 7)"),
    ("laser)", "parenthèse fermante sans parenthèse ouvrante (caractère 6)"),
    ("()", "parenthèses vides (caractère 1)"),
    ("laser AND", "opérateur « AND » sans terme après lui (caractère 7)"),
    ("laser OU", "opérateur « OU » sans terme après lui (caractère 7)"),
    ("OR laser", "opérateur « OR » sans terme avant lui (caractère 1)"),
    ("laser AND OR lidar", "opérateur « AND » sans terme après lui (caractère 7)"),
    ("(laser AND) lidar", "opérateur « AND » sans terme après lui (caractère 8)"),
    ("laser NOT", "opérateur « NOT » sans terme après lui (caractère 7)"),
    ("laser SAUF)", "opérateur « SAUF » sans terme après lui (caractère 7)"),
    ("-*", "opérateur « - » sans terme après lui (caractère 1)"),
    ("color:red", "champ inconnu « color »"),
    ("laser https://example.org", "champ inconnu « https »"),
    ("theme:", "valeur manquante après « theme: » (caractère 1)"),
    ("laser market: spatial", "valeur manquante après « market: » (caractère 7)"),
    ("theme>=sante", "l'opérateur >= ne s'applique qu'aux dates"),
    ("since>2026-01-01", "« since> » : écrivez since:AAAA-MM-JJ (caractère 1)"),
    ("date:2026-13-01", "date invalide « 2026-13-01 » (attendu : AAAA-MM-JJ, AAAA-MM ou AAAA) (caractère 6)"),
    ("date:2026-02-30", "date invalide « 2026-02-30 »"),
    ("date:hier", "date invalide « hier »"),
    ("date:2026-11-01..demain", "date invalide « demain » (attendu : AAAA-MM-JJ, AAAA-MM ou AAAA) (caractère 18)"),
    ("date>=2026/11/01", "date invalide « 2026/11/01 »"),
    ("date:2026-12-01..2026-11-01", "intervalle de dates à l'envers « 2026-12-01..2026-11-01 » (caractère 6)"),
    ("date:..", "intervalle de dates vide « .. » (caractère 6)"),
    ("lang:français", "langue invalide « français » (exemples : fr, en) (caractère 6)"),
    ("title:--", "titre : aucun mot à chercher (caractère 7)"),
    ("  * ^", "aucun mot à chercher (la ponctuation seule est ignorée) (caractère 3)"),
    ("(" * 40 + "laser" + ")" * 40, "requête trop imbriquée"),
    ("laser " * 400, "requête trop longue (2400 caractères, maximum 2000)"),
])
def test_errors_say_what_and_where(query, message):
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    assert message in str(caught.value)


def test_error_position_attribute():
    with pytest.raises(QuerySyntaxError) as caught:
        parse("laser )")
    assert caught.value.position == 7

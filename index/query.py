"""The expert query syntax, parsed into a backend-neutral tree.

Syntax (operators in capitals; French and English spellings):

    laser satellite            both words (implicit AND)
    "fibre optique"            a phrase
    laser OR lidar             either (also OU)
    laser AND spatial          both (also ET)
    laser NOT militaire        NOT, SAUF, or a leading minus: -militaire
    (laser OR lidar) spatial   parentheses group; NOT > AND > OR
    theme:optique-photonique   field filters: theme, market, actor, source, lang
    title:satellite            the word (or "phrase") in the title only
    date:2026-11-01..2026-11-30   a period (ends inclusive); date:2026-11 a month
    date>=2026-11-01           also >, <=, <; since:2026-11-01

French field names are accepted too (thème, marché, acteur, langue, titre,
depuis). Words made only of punctuation are ignored (a query of nothing
else is an error). Anything else that does
not fit raises QuerySyntaxError with a French message giving the character
position (1-based). The tree keeps user text as typed: each backend normalises
and quotes it itself, so nothing from the query is ever pasted into SQL or
into a backend's own query language.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Optional, Union

from index.base import QuerySyntaxError

MAX_QUERY_LENGTH = 2000
MAX_DEPTH = 32

FIELDS = {
    "theme": "theme", "thème": "theme", "themes": "theme",
    "market": "market", "marché": "market", "marche": "market",
    "actor": "actor", "acteur": "actor",
    "source": "source",
    "lang": "lang", "langue": "lang",
    "title": "title", "titre": "title",
    "date": "date",
    "since": "since", "depuis": "since",
}
FILTER_FIELDS = ("theme", "market", "actor", "source", "lang")
OPERATORS = {"AND": "AND", "ET": "AND", "OR": "OR", "OU": "OR", "NOT": "NOT", "SAUF": "NOT"}


# --- the tree -------------------------------------------------------------

@dataclass(frozen=True)
class Text:
    """A word or a phrase to find in the title and text (or the title only)."""

    text: str
    phrase: bool = False
    field: Optional[str] = None  # None: title and text; "title": title only
    position: int = 0


@dataclass(frozen=True)
class Filter:
    """An exact facet value: theme, market, actor, source or lang."""

    field: str
    value: str
    position: int = 0


@dataclass(frozen=True)
class DateRange:
    """Publication days: start inclusive, end exclusive (local calendar days)."""

    start: Optional[date] = None
    end: Optional[date] = None
    position: int = 0


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Not:
    child: "Node"


Node = Union[Text, Filter, DateRange, And, Or, Not]


def positive_texts(node: Optional[Node]) -> list[Text]:
    """Text nodes that count for ranking and highlighting (not under a NOT)."""
    found: list[Text] = []

    def walk(n: Node, negated: bool) -> None:
        if isinstance(n, Text):
            if not negated:
                found.append(n)
        elif isinstance(n, (And, Or)):
            for child in n.children:
                walk(child, negated)
        elif isinstance(n, Not):
            walk(n.child, not negated)

    if node is not None:
        walk(node, False)
    return found


# --- lexer ----------------------------------------------------------------

@dataclass(frozen=True)
class _Token:
    kind: str          # WORD PHRASE FIELD AND OR NOT LPAREN RPAREN
    value: str = ""
    position: int = 0
    field: str = ""
    op: str = ""
    quoted: bool = False
    value_position: int = 0


def _error(message: str, position: int) -> QuerySyntaxError:
    err = QuerySyntaxError(f"{message} (caractère {position + 1})")
    err.position = position + 1
    return err


_FIELD = re.compile(r"^([^\W\d_]+)(:|>=|<=|>|<)(.*)$", re.S)
_STOP = set(" \t\r\n()\"")


def _has_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _read_phrase(query: str, i: int) -> tuple[str, int]:
    """The text of a phrase whose opening quote is at i, and the index after it."""
    end = query.find('"', i + 1)
    if end < 0:
        raise _error("guillemet ouvrant jamais fermé", i)
    return query[i + 1:end], end + 1


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
        elif c == "(":
            tokens.append(_Token("LPAREN", position=i))
            i += 1
        elif c == ")":
            tokens.append(_Token("RPAREN", position=i))
            i += 1
        elif c == '"':
            text, j = _read_phrase(query, i)
            if _has_word(text):
                tokens.append(_Token("PHRASE", text, i))
            i = j
        elif c == "-" and i + 1 < n and not query[i + 1].isspace() and query[i + 1] not in ")-":
            tokens.append(_Token("NOT", "-", i))
            i += 1
        else:
            j = i
            while j < n and query[j] not in _STOP and not query[j].isspace():
                j += 1
            word = query[i:j]
            token, j = _word_token(query, word, i, j)
            if token is not None:
                tokens.append(token)
            i = j
    return tokens


def _word_token(query: str, word: str, start: int, end: int) -> tuple[Optional[_Token], int]:
    if word in OPERATORS:
        return _Token(OPERATORS[word], word, start), end
    match = _FIELD.match(word)
    if match is None:
        return (_Token("WORD", word, start) if _has_word(word) else None), end
    name, op, value = match.groups()
    field = FIELDS.get(name.lower())
    if field is None:
        known = ", ".join(sorted({"theme", "market", "actor", "source", "lang", "title", "date", "since"}))
        raise _error(f"champ inconnu « {name} » (champs possibles : {known} ; "
                     f"pour chercher ce texte tel quel, mettez-le entre guillemets)", start)
    value_position = start + len(name) + len(op)
    quoted = False
    if value == "" and end < len(query) and query[end] == '"':
        value, end = _read_phrase(query, end)
        quoted = True
    return _Token("FIELD", value, start, field=field, op=op, quoted=quoted,
                  value_position=value_position), end


# --- parser ---------------------------------------------------------------

_DAY = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _period(text: str, position: int) -> tuple[date, date]:
    """The days [start, end) that YYYY, YYYY-MM or YYYY-MM-DD stands for."""
    match = _DAY.match(text)
    try:
        if match is None:
            raise ValueError
        year, month, day = match.groups()
        y = int(year)
        if day is not None:
            start = date(y, int(month), int(day))
            return start, date.fromordinal(start.toordinal() + 1)
        if month is not None:
            m = int(month)
            start = date(y, m, 1)
            return start, (date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1))
        return date(y, 1, 1), date(y + 1, 1, 1)
    except (ValueError, OverflowError):
        raise _error(f"date invalide « {text} » (attendu : AAAA-MM-JJ, AAAA-MM ou AAAA)", position)


def _date_node(token: _Token) -> DateRange:
    value, pos, op = token.value.strip(), token.value_position, token.op
    if token.field == "since":
        if op != ":":
            raise _error(f"« since{op} » : écrivez since:AAAA-MM-JJ", token.position)
        return DateRange(_period(value, pos)[0], None, token.position)
    if op == ":" and ".." in value:
        left, right = value.split("..", 1)
        if not left and not right:
            raise _error("intervalle de dates vide « .. »", pos)
        start = _period(left, pos)[0] if left else None
        end = _period(right, pos + len(left) + 2)[1] if right else None
        if start is not None and end is not None and start >= end:
            raise _error(f"intervalle de dates à l'envers « {value} »", pos)
        return DateRange(start, end, token.position)
    start, end = _period(value, pos)
    if op == ":":
        return DateRange(start, end, token.position)
    return {
        ">=": DateRange(start, None, token.position),
        ">": DateRange(end, None, token.position),
        "<=": DateRange(None, end, token.position),
        "<": DateRange(None, start, token.position),
    }[op]


def _field_node(token: _Token) -> Node:
    if token.value.strip() == "":
        raise _error(f"valeur manquante après « {token.field}{token.op} »", token.position)
    if token.field in ("date", "since"):
        return _date_node(token)
    if token.op != ":":
        raise _error(f"l'opérateur {token.op} ne s'applique qu'aux dates (date{token.op}AAAA-MM-JJ)",
                     token.position)
    if token.field == "title":
        if not _has_word(token.value):
            raise _error("titre : aucun mot à chercher", token.value_position)
        return Text(token.value, phrase=token.quoted, field="title", position=token.position)
    value = token.value.strip().lower()
    if token.field == "lang" and not re.match(r"^[a-z]{2,3}$", value):
        raise _error(f"langue invalide « {token.value} » (exemples : fr, en)", token.value_position)
    return Filter(token.field, value, token.position)


class _Parser:
    def __init__(self, query: str):
        self.query = query
        self.tokens = _tokens(query)
        self.i = 0
        self.depth = 0

    def peek(self) -> Optional[_Token]:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Optional[Node]:
        if not self.tokens:
            stripped = self.query.lstrip()
            if stripped:
                raise _error("aucun mot à chercher (la ponctuation seule est ignorée)",
                             len(self.query) - len(stripped))
            return None
        node = self.parse_or()
        token = self.peek()
        if token is not None:  # only a stray ")" can stop parse_or early
            raise _error("parenthèse fermante sans parenthèse ouvrante", token.position)
        return node

    def _operand_expected(self, op: _Token) -> None:
        nxt = self.peek()
        if nxt is None or nxt.kind in ("AND", "OR", "RPAREN"):
            raise _error(f"opérateur « {op.value} » sans terme après lui", op.position)

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            self._operand_expected(token)
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self) -> Node:
        children = [self.parse_unary()]
        while (token := self.peek()) is not None and token.kind not in ("OR", "RPAREN"):
            if token.kind == "AND":
                self.take()
                self._operand_expected(token)
            children.append(self.parse_unary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self) -> Node:
        token = self.peek()
        if token is None:
            raise _error("terme attendu", len(self.query))
        if token.kind in ("AND", "OR"):
            raise _error(f"opérateur « {token.value} » sans terme avant lui", token.position)
        if token.kind == "RPAREN":
            raise _error("parenthèse fermante sans parenthèse ouvrante", token.position)
        self.take()
        if token.kind == "NOT":
            nxt = self.peek()
            if nxt is None or nxt.kind in ("AND", "OR", "RPAREN"):
                raise _error(f"opérateur « {token.value} » sans terme après lui", token.position)
            return Not(self._nested(self.parse_unary, token))
        if token.kind == "LPAREN":
            nxt = self.peek()
            if nxt is None:
                raise _error("parenthèse ouvrante jamais fermée", token.position)
            if nxt.kind == "RPAREN":
                raise _error("parenthèses vides", token.position)
            node = self._nested(self.parse_or, token)
            closing = self.peek()
            if closing is None or closing.kind != "RPAREN":
                raise _error("parenthèse ouvrante jamais fermée", token.position)
            self.take()
            return node
        if token.kind == "PHRASE":
            return Text(token.value, phrase=True, position=token.position)
        if token.kind == "FIELD":
            return _field_node(token)
        return Text(token.value, position=token.position)

    def _nested(self, parse, token: _Token) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _error(f"requête trop imbriquée (plus de {MAX_DEPTH} niveaux)", token.position)
        try:
            return parse()
        finally:
            self.depth -= 1


def parse(query: str) -> Optional[Node]:
    """The tree of an expert query; None for an empty query (no constraint)."""
    if len(query) > MAX_QUERY_LENGTH:
        raise _error(f"requête trop longue ({len(query)} caractères, maximum {MAX_QUERY_LENGTH})",
                     MAX_QUERY_LENGTH)
    return _Parser(query).parse()

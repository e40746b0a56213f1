"""The review page's form: the rows it shows, and the draft layout a submitted form asks for.

Each row is one article in one section; its fields are `r<n>.id`, `.section`,
`.keep` (ticked: "1"), `.order` (a position; blank: last) and `.comment`. An
up/down button (`move=up:<n>`) swaps a kept row with its neighbour after the
form's order is applied, so it works without JavaScript.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from reports.model import Item
from reports.review import read_draft
from veille.config import Config

ROW_FIELD = re.compile(r"^r(\d{1,4})\.(id|section|keep|order|comment)$")
MOVE = re.compile(r"^(up|down):(\d{1,4})$")


class FormError(ValueError):
    pass


@dataclass
class Row:
    number: int
    item: Item
    section: str
    kept: bool
    position: Optional[int] = None
    comment: str = ""


@dataclass
class SectionView:
    id: str
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def kept(self) -> int:
        return sum(row.kept for row in self.rows)


def sections_view(config: Config, index, path: Path) -> list[SectionView]:
    """The period's sections: the draft's articles in its order, then those of the section it leaves out."""
    from reports.delivery import draft_period_digest
    from reports.review import apply_review

    data = read_draft(path)
    digest = draft_period_digest(config, index, path, data)
    offered = [(section.id, section.title, list(section.items)) for section in digest.sections()]
    reviewed = {section.id: section.items for section in apply_review(digest, data).sections()}
    views, number = [], 0
    for section_id, title, items in offered:
        view = SectionView(section_id, title)
        listed = {item.article_id for item in reviewed[section_id]}
        left_out = [item for item in items if item.article_id not in listed]
        for position, item in enumerate(reviewed[section_id] + left_out, 1):
            kept = position <= len(reviewed[section_id])
            view.rows.append(Row(number, item, section_id, kept, position if kept else None, item.comment))
            number += 1
        views.append(view)
    return views


def layout_of(form) -> tuple[dict[str, list[tuple[str, str]]], str]:
    """(section id -> [(article id, comment)] in order, the section an up/down button moved in)."""
    rows: dict[int, dict[str, str]] = {}
    for name, value in form.multi_items():
        match = ROW_FIELD.match(name)
        if match:
            if not isinstance(value, str):
                raise FormError("formulaire invalide : fichier inattendu")
            rows.setdefault(int(match[1]), {})[match[2]] = value
    placed: dict[str, list[tuple[int, int, str, str]]] = {}
    for number, row in sorted(rows.items()):
        if not row.get("id") or not row.get("section"):
            raise FormError(f"ligne r{number} incomplète : il manque l'article ou la section")
        if row.get("keep") == "1":
            placed.setdefault(row["section"], []).append(
                (_position(row.get("order", "")), number, row["id"], row.get("comment", "")))
    layout = {section: [(entry[2], entry[3]) for entry in sorted(entries)] for section, entries in placed.items()}
    moved = _move(form.get("move"), placed, layout)
    return layout, moved


def _position(text: str) -> int:
    text = text.strip()
    if not text:
        return 10**6
    if not re.fullmatch(r"\d{1,4}", text):
        raise FormError(f"position invalide : « {text[:20]} » (un nombre entier est attendu)")
    return int(text)


def _move(value, placed, layout) -> str:
    if not value:
        return ""
    match = MOVE.match(str(value))
    if not match:
        raise FormError("déplacement invalide")
    direction, number = match[1], int(match[2])
    for section, entries in placed.items():
        order = [entry[1] for entry in sorted(entries)]
        if number in order:
            at = order.index(number)
            to = at - 1 if direction == "up" else at + 1
            if 0 <= to < len(order):
                items = layout[section]
                items[at], items[to] = items[to], items[at]
            return section
    return ""

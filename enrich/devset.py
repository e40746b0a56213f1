"""Labelled articles: the development set we wrote and any file in its format.

One JSON object per line:

    {"id": "fr001", "lang": "fr", "title": "...", "text": "...",
     "themes": ["optique-photonique"], "markets": ["defense"], "actors": ["lynred"]}

`themes` and `markets` are config ids, `actors` registry ids (organisations
the article names; unknown organisations are not listed). `lang` is optional.
The shipped set is `enrich/devset/devset.jsonl` (152 articles, French and
English, every theme and market).

`split` cuts a set into a training part and a held-out part by a stable hash
of each id, so the same article is always on the same side.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from veille.record import Article

DEFAULT_DEVSET = Path(__file__).parent / "devset" / "devset.jsonl"
HELD_OUT_BUCKETS = 3  # one article in three is held out


@dataclass
class LabelledArticle:
    id: str
    title: str
    text: str
    lang: str = ""
    themes: set[str] = field(default_factory=set)
    markets: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)

    def article(self) -> Article:
        """A fresh record for this text (a stable fake URL makes a stable id)."""
        return Article(url=f"https://devset.invalid/{self.id}", title=self.title, text=self.text, lang=self.lang)


def load_labels(path: Path, on_problem: Callable[[str], None] = lambda message: None,
                config=None) -> list[LabelledArticle]:
    """Read a labelled file; each bad line is reported (in French, with its line) and skipped.

    With a config, unknown theme, market or actor ids are reported and dropped.
    """
    known = None
    if config is not None:
        known = {"themes": config.theme_ids, "markets": config.market_ids,
                 "actors": {a.id for a in config.actors}}
    items: list[LabelledArticle] = []
    seen: set[str] = set()
    with Path(path).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path}, ligne {number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                on_problem(f"{where} : JSON illisible ({exc.msg}), ligne ignorée")
                continue
            if not isinstance(row, dict) or not str(row.get("id", "")).strip():
                on_problem(f"{where} : objet JSON avec un « id » attendu, ligne ignorée")
                continue
            if not (row.get("title") or row.get("text")):
                on_problem(f"{where} : ni « title » ni « text », ligne ignorée")
                continue
            if row["id"] in seen:
                on_problem(f"{where} : id en double {row['id']!r}, ligne ignorée")
                continue
            labels = {}
            for key in ("themes", "markets", "actors"):
                value = row.get(key) or []
                if not isinstance(value, list):
                    on_problem(f"{where} : « {key} » doit être une liste, valeur ignorée")
                    value = []
                values = {str(v) for v in value}
                if known is not None:
                    for unknown in sorted(values - known[key]):
                        on_problem(f"{where} : {key} : identifiant inconnu {unknown!r}, ignoré")
                    values &= known[key]
                labels[key] = values
            seen.add(row["id"])
            items.append(LabelledArticle(id=str(row["id"]), title=str(row.get("title") or ""),
                                         text=str(row.get("text") or ""), lang=str(row.get("lang") or ""),
                                         **labels))
    return items


def is_held_out(item_id: str) -> bool:
    digest = hashlib.sha256(item_id.encode("utf-8")).digest()
    return digest[0] % HELD_OUT_BUCKETS == 0


def split(items: Iterable[LabelledArticle]) -> tuple[list[LabelledArticle], list[LabelledArticle]]:
    """(training part, held-out part), stable across runs."""
    train, held_out = [], []
    for item in items:
        (held_out if is_held_out(item.id) else train).append(item)
    return train, held_out

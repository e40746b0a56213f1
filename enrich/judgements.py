"""Expert judgements: the JSON-lines format `veille train` learns from.

The experts' web app appends one object per judgement to DATA/judgements.jsonl:

    {"article_id": "3f2a…", "url": "https://…", "who": "marie", "at": "2026-11-23T09:12:00+00:00",
     "kind": "theme", "label": "optique-photonique", "relevant": false,
     "themes": null, "markets": null, "note": ""}

- `article_id` or `url`: the article (one of them is required; the id is
  veille's, `url` is looked up through its id when the id is missing);
- `kind` ("theme" or "market"), `label` (a config id) and `relevant` (true or
  false): a verdict on one label;
- `themes`, `markets`: the corrected labels, the whole set, when the expert
  gave them (null: not corrected; [] : none applies);
- `who`, `at` (ISO 8601): who judged and when; `note`, `id`: free.

Several judgements of one article are applied in `at` order, so the latest
wins: a corrected set replaces what was known of that kind (every label of
the kind becomes known), a verdict sets one label. Labels nobody judged stay
unknown and do not count in training. Bad lines are reported in French with
their line number and skipped.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Callable, Literal, Optional

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from veille.record import article_id as id_of_url

from .labeller import TrainingExample


class Judgement(BaseModel):
    model_config = ConfigDict(extra="ignore")

    article_id: str = ""
    url: str = ""
    who: str = ""
    at: Optional[datetime] = None
    kind: Optional[Literal["theme", "market"]] = None
    label: Optional[str] = None
    relevant: Optional[bool] = None
    themes: Optional[list[str]] = None
    markets: Optional[list[str]] = None
    note: str = ""

    @model_validator(mode="after")
    def names_an_article(self) -> "Judgement":
        if not (self.article_id or self.url):
            raise ValueError("« article_id » ou « url » requis")
        if (self.kind is None) != (self.label is None) or (self.kind and self.relevant is None):
            if self.themes is None and self.markets is None:
                raise ValueError("« kind », « label » et « relevant » vont ensemble")
        return self

    @property
    def target(self) -> str:
        return self.article_id or id_of_url(self.url)


def read_judgements(path: Path, on_problem: Callable[[str], None] = lambda m: None) -> list[Judgement]:
    found = []
    with Path(path).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                found.append(Judgement.model_validate_json(line))
            except ValidationError as exc:
                error = exc.errors()[0]
                where = ".".join(str(p) for p in error["loc"]) or "ligne"
                message = error["msg"].removeprefix("Value error, ")
                if error["type"] == "json_invalid":
                    message = "JSON illisible"
                on_problem(f"{path}, ligne {number} : {where} : {message} ; jugement ignoré")
    return found


def known_labels(judgements: list[Judgement], config) -> dict[str, dict[str, float]]:
    """article id -> label ('theme:ID' / 'market:ID') -> 1.0 or 0.0, latest judgement winning."""
    ids = {"theme": config.theme_ids, "market": config.market_ids}
    known: dict[str, dict[str, float]] = {}
    undated = datetime.min
    for j in sorted(judgements, key=lambda j: (j.at.replace(tzinfo=None) if j.at else undated)):
        cats = known.setdefault(j.target, {})
        for kind, given in (("theme", j.themes), ("market", j.markets)):
            if given is None:
                continue
            for label in ids[kind]:
                cats[f"{kind}:{label}"] = float(label in given)
        if j.kind and j.label in ids[j.kind] and j.relevant is not None:
            cats[f"{j.kind}:{j.label}"] = float(j.relevant)
    return {article: cats for article, cats in known.items() if cats}


def examples_from_judgements(judgements: list[Judgement], config, texts: dict[str, str]) -> list[TrainingExample]:
    """Training examples for the judged articles whose text is known (texts: article id -> text)."""
    return [TrainingExample(text=texts[article], cats=cats)
            for article, cats in known_labels(judgements, config).items() if article in texts]


def read_texts(spool_path: Path, ids: list[str]) -> dict[str, str]:
    """Title and text of stored articles, by id (the spool keeps every article's record)."""
    from veille.spool import Spool

    if not ids or not Path(spool_path).exists():
        return {}
    with Spool(spool_path) as spool:
        return {a.id: f"{a.title}\n\n{a.body}" for a in spool.get_articles(ids)}


def dump(judgement: Judgement) -> str:
    return json.dumps(judgement.model_dump(mode="json"), ensure_ascii=False)

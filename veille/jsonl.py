"""Reading article records given as JSON lines by other tools."""
from __future__ import annotations

import json
from typing import Callable, Iterable, Iterator

from pydantic import ValidationError

from veille.record import Article


def read_articles(lines: Iterable[str], name: str, problem: Callable[[str], None]) -> Iterator[Article]:
    """Yield valid records; report each bad line (file:line: what) and go on."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problem(f"{where}: JSON invalide ({exc.msg}, colonne {exc.colno}) — ligne ignorée")
            continue
        if not isinstance(data, dict):
            problem(f"{where}: un objet JSON est attendu — ligne ignorée")
            continue
        if "summary" in data and "feed_summary" not in data:
            data["feed_summary"] = data.pop("summary")
        missing = [key for key in ("url", "title") if not data.get(key)]
        if missing or not (data.get("text") or data.get("feed_summary")):
            missing += [] if (data.get("text") or data.get("feed_summary")) else ["text ou summary"]
            problem(f"{where}: champ(s) manquant(s) : {', '.join(missing)} — ligne ignorée")
            continue
        try:
            yield Article.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            key = ".".join(str(part) for part in first["loc"])
            problem(f"{where}: {key}: {first['msg']} — ligne ignorée")

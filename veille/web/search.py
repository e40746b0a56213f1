"""A search as the URL holds it: parsed, checked against the allowlists, turned into a SearchRequest.

The expert query string goes to the index's own parser (index/query.py), which
compiles it into a structured query; facet values must be known ids (themes,
markets, sources, registry actors, languages) or the search is refused with a
message saying which value is unknown.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Optional
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from index.base import SearchRequest
from veille.config import Config

PAGE_SIZE = 20
LANGS = ("fr", "en")
SORTS = ("relevance", "date")
MAX_PAGE = 500
PERIODS = (("7j", 7, "7 jours"), ("30j", 30, "30 jours"), ("12m", 365, "12 mois"))


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    theme: tuple[str, ...] = ()
    market: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    actor: tuple[str, ...] = ()
    lang: Optional[str] = None
    since: Optional[date] = None
    until: Optional[date] = None
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_query(cls, params) -> "SearchParams":
        """From a Starlette QueryParams (or any multi-dict); bad scalars become errors later."""
        def many(name):
            return tuple(dict.fromkeys(v.strip() for v in params.getlist(name) if v.strip()))

        def day(name):
            value = (params.get(name) or "").strip()
            if not value:
                return None
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise SearchParamError(f"date invalide pour {name} : {value!r} (format AAAA-MM-JJ)")

        try:
            page = int(params.get("page") or 1)
        except ValueError:
            raise SearchParamError(f"numéro de page invalide : {params.get('page')!r}")
        return cls(q=(params.get("q") or "").strip(), theme=many("theme"), market=many("market"),
                   source=many("source"), actor=many("actor"), lang=(params.get("lang") or None),
                   since=day("since"), until=day("until"), sort=params.get("sort") or "relevance", page=page)

    def check(self, config: Config, actor_ids: set[str]) -> None:
        for values, known, what in ((self.theme, config.theme_ids, "thème"), (self.market, config.market_ids, "marché"),
                                    (self.source, {s.id for s in config.sources}, "source"),
                                    (self.actor, actor_ids, "acteur")):
            for value in values:
                if value not in known:
                    raise SearchParamError(f"{what} inconnu : {value!r}")
        if self.lang is not None and self.lang not in LANGS:
            raise SearchParamError(f"langue inconnue : {self.lang!r} (fr ou en)")
        if self.sort not in SORTS:
            raise SearchParamError(f"tri inconnu : {self.sort!r} (relevance ou date)")
        if not 1 <= self.page <= MAX_PAGE:
            raise SearchParamError(f"numéro de page hors limites : {self.page} (1 à {MAX_PAGE})")
        if self.since and self.until and self.since >= self.until:
            raise SearchParamError("la date de début doit précéder la date de fin")

    def request(self, timezone: str, page_size: int = PAGE_SIZE) -> SearchRequest:
        tz = ZoneInfo(timezone)
        return SearchRequest(
            query=self.q, themes=list(self.theme), markets=list(self.market), sources=list(self.source),
            actors=list(self.actor), lang=self.lang,
            since=datetime.combine(self.since, time(0), tz) if self.since else None,
            until=datetime.combine(self.until, time(0), tz) if self.until else None,
            sort=self.sort, limit=page_size, offset=(self.page - 1) * page_size)

    # --- links ------------------------------------------------------------------

    def query_string(self, **changes) -> str:
        params = replace(self, **changes)
        pairs = [("q", params.q)] if params.q else []
        for name in ("theme", "market", "source", "actor"):
            pairs += [(name, value) for value in getattr(params, name)]
        if params.lang:
            pairs.append(("lang", params.lang))
        if params.since:
            pairs.append(("since", params.since.isoformat()))
        if params.until:
            pairs.append(("until", params.until.isoformat()))
        if params.sort != "relevance":
            pairs.append(("sort", params.sort))
        if params.page != 1:
            pairs.append(("page", str(params.page)))
        return urlencode(pairs)

    def toggled(self, name: str, value: str) -> str:
        """The query string with that facet value added, or removed if it was there (back to page 1)."""
        if name == "lang":
            return self.query_string(lang=None if self.lang == value else value, page=1)
        current = getattr(self, name)
        values = tuple(v for v in current if v != value) if value in current else current + (value,)
        return self.query_string(**{name: values, "page": 1})


class SearchParamError(ValueError):
    """A search the URL asks for that cannot be run; the message is for the user (French)."""


@dataclass
class Page:
    params: SearchParams
    total: int
    hits: list
    facets: dict
    periods: list = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

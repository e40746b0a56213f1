"""The JSON API (described at /api/openapi.json): the same searches, articles and judgements as the pages."""
from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Literal, Optional

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from pydantic import BaseModel, Field

from index.base import QuerySyntaxError
from veille.record import Article
from veille.web.app import require_user
from veille.web.search import SearchParamError, SearchParams
from veille.web.store import Judgement
from veille.web.views import run_search, story_siblings, trends_view

router = APIRouter(prefix="/api", tags=["experts"])


class HitOut(BaseModel):
    id: str
    url: str
    title: str
    source: str
    source_name: str
    published: Optional[datetime]
    lang: str
    themes: list[str]
    markets: list[str]
    snippet: str = Field(description="HTML-escaped; matched words in <mark>")
    score: float


class PeriodOut(BaseModel):
    key: str
    days: int
    count: int


class SearchOut(BaseModel):
    total: int
    page: int
    pages: int
    hits: list[HitOut]
    facets: dict[str, dict[str, int]]
    periods: list[PeriodOut]


class JudgementIn(BaseModel):
    kind: Optional[Literal["theme", "market"]] = None
    label: Optional[str] = Field(None, max_length=64)
    relevant: Optional[bool] = None
    themes: Optional[list[str]] = Field(None, max_length=32)
    markets: Optional[list[str]] = Field(None, max_length=32)
    note: str = Field("", max_length=2000)


class JudgementOut(JudgementIn):
    id: int
    article_id: str
    url: str
    who: str
    at: str


class SavedSearchIn(BaseModel):
    name: str = Field(..., min_length=1, max_length=120)
    query: str = Field("", max_length=2000, description="the search's query string, as in /recherche?…")
    frequency: Literal["daily", "weekly"] = "weekly"
    email: str = Field("", max_length=254, pattern=r"^$|^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


class SavedSearchOut(BaseModel):
    id: int
    name: str
    query: str
    frequency: str
    email: str
    created_at: str


def web(request: Request):
    return request.app.state.web


def bad_request(message: str) -> HTTPException:
    return HTTPException(status_code=400, detail=message)


@router.get("/search", response_model=SearchOut)
def search(request: Request, user: str = Depends(require_user),
           q: str = Query("", max_length=1000, description="expert syntax: words, \"phrases\", AND/OR/NOT, theme:, …"),
           theme: list[str] = Query([]), market: list[str] = Query([]), source: list[str] = Query([]),
           actor: list[str] = Query([]), lang: Optional[str] = Query(None), since: Optional[str] = Query(None),
           until: Optional[str] = Query(None), sort: Literal["relevance", "date"] = "relevance",
           page: int = Query(1, ge=1, le=500)):
    context = web(request)
    try:
        params = SearchParams.from_query(request.query_params)
        params.check(context.config, context.actor_ids)
        result = run_search(context.config, context.index, params)
    except (SearchParamError, QuerySyntaxError) as exc:
        raise bad_request(str(exc))
    return SearchOut(total=result.total, page=params.page, pages=result.pages, facets=result.facets,
                     periods=[PeriodOut(key=p["key"], days=p["days"], count=p["count"]) for p in result.periods],
                     hits=[HitOut(id=h.article.id, url=h.article.url, title=h.article.title, source=h.article.source,
                                  source_name=h.article.source_name, published=h.article.published,
                                  lang=h.article.lang, themes=h.article.theme_ids, markets=h.article.market_ids,
                                  snippet=h.snippet, score=h.score) for h in result.hits])


@router.get("/articles/{article_id}", response_model=Article)
def article(request: Request, article_id: str, user: str = Depends(require_user)):
    found = web(request).index.get(article_id)
    if found is None:
        raise HTTPException(status_code=404, detail="article introuvable")
    return found


@router.get("/articles/{article_id}/story", response_model=list[HitOut])
def story(request: Request, article_id: str, user: str = Depends(require_user)):
    found = web(request).index.get(article_id)
    if found is None:
        raise HTTPException(status_code=404, detail="article introuvable")
    return [HitOut(id=a.id, url=a.url, title=a.title, source=a.source, source_name=a.source_name,
                   published=a.published, lang=a.lang, themes=a.theme_ids, markets=a.market_ids, snippet="", score=0)
            for a in story_siblings(web(request).index, found)]


@router.get("/articles/{article_id}/judgements", response_model=list[JudgementOut])
def article_judgements(request: Request, article_id: str, user: str = Depends(require_user)):
    return [JudgementOut(**asdict(j)) for j in web(request).store.judgements(article_id)]


@router.post("/articles/{article_id}/judgements", response_model=JudgementOut, status_code=201)
def add_judgement(request: Request, article_id: str, body: JudgementIn, user: str = Depends(require_user)):
    context = web(request)
    found = context.index.get(article_id)
    if found is None:
        raise HTTPException(status_code=404, detail="article introuvable")
    config = context.config
    if body.kind is not None and body.label not in (config.theme_ids if body.kind == "theme" else config.market_ids):
        raise bad_request(f"libellé inconnu pour {body.kind} : {body.label!r}")
    for values, known, what in ((body.themes, config.theme_ids, "thème"), (body.markets, config.market_ids, "marché")):
        unknown = [v for v in values or [] if v not in known]
        if unknown:
            raise bad_request(f"{what} inconnu : {unknown[0]!r}")
    if body.relevant is None and body.themes is None and body.markets is None and not body.note:
        raise bad_request("jugement vide : donnez relevant, themes/markets ou une note")
    if body.relevant is not None and body.kind is None:
        raise bad_request("relevant demande kind et label (le thème ou le marché jugé)")
    saved = context.store.add_judgement(Judgement(article_id=found.id, url=found.url, who=user, **body.model_dump()))
    return JudgementOut(**asdict(saved))


@router.get("/judgements", response_model=list[JudgementOut])
def all_judgements(request: Request, user: str = Depends(require_user)):
    """Every judgement, oldest first (what `veille train` learns from)."""
    return [JudgementOut(**asdict(j)) for j in web(request).store.judgements()]


@router.get("/saved-searches", response_model=list[SavedSearchOut])
def saved_searches(request: Request, user: str = Depends(require_user)):
    return [SavedSearchOut(id=s.id, name=s.name, query=s.query_string, frequency=s.frequency, email=s.email,
                           created_at=s.created_at) for s in web(request).store.saved_searches(user)]


@router.post("/saved-searches", response_model=SavedSearchOut, status_code=201)
def save_search(request: Request, body: SavedSearchIn, user: str = Depends(require_user)):
    from starlette.datastructures import QueryParams

    context = web(request)
    try:
        params = SearchParams.from_query(QueryParams(body.query.lstrip("?")))
        params.check(context.config, context.actor_ids)
    except SearchParamError as exc:
        raise bad_request(str(exc))
    search_id = context.store.save_search(user, body.name, params.query_string(page=1), body.frequency, body.email)
    saved = next(s for s in context.store.saved_searches(user) if s.id == search_id)
    return SavedSearchOut(id=saved.id, name=saved.name, query=saved.query_string, frequency=saved.frequency,
                          email=saved.email, created_at=saved.created_at)


@router.delete("/saved-searches/{search_id}", status_code=204)
def delete_search(request: Request, search_id: int = Path(..., ge=1, le=2**63 - 1),
                  user: str = Depends(require_user)):
    if not web(request).store.delete_search(user, search_id):
        raise HTTPException(status_code=404, detail="recherche suivie introuvable")


@router.get("/trends")
def trends(request: Request, user: str = Depends(require_user), weeks: int = Query(8, ge=2, le=52),
           theme: Optional[str] = Query(None, description="Un thème de la taxonomie (défaut : tous).")):
    """Over the last `weeks` weeks: articles per theme per week, rising terms and actors (signed G²
    against the four previous periods), new actors, and the market × theme matrix with each
    cell's top actors and rising terms."""
    context = web(request)
    if theme is not None and theme not in {t.id for t in context.config.themes}:
        raise HTTPException(status_code=400, detail=f"thème inconnu : {theme}")
    return trends_view(context.config, context.index, weeks, theme)


@router.get("/me")
def me(request: Request, user: str = Depends(require_user)):
    return {"user": user}


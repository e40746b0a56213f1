"""The HTML pages (server-rendered, usable without JavaScript)."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Path as PathParam, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from index.base import QuerySyntaxError
from veille.web.app import require_user
from veille.web.auth import verify_password
from veille.web.i18n import LANGUAGES
from veille.web.search import SearchParamError, SearchParams
from veille.web.store import Judgement
from veille.web.views import labels, run_search, story_siblings, trends_view

router = APIRouter(include_in_schema=False)
ARCHIVE_FILE = re.compile(r"^[A-Za-z0-9._-]+\.(html|txt|png)$")
FREQUENCIES = ("daily", "weekly")


def web(request: Request):
    return request.app.state.web


def safe_next(target: str | None) -> str:
    """Only local paths: never redirect to another site after login."""
    if (not target or not target.startswith("/") or target.startswith("//") or "\\" in target
            or urlsplit(target).netloc):
        return "/recherche"
    return target


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/")
def home():
    return redirect("/recherche")


@router.get("/connexion")
def login_form(request: Request, next: str = "/recherche"):
    return web(request).render(request, "login.html.j2", error=None, next=safe_next(next))


@router.post("/connexion")
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/recherche")):
    context = web(request)
    if not request.app.state.login_throttle.allow(request):
        return context.render(request, "login.html.j2", status=429, next=safe_next(next),
                              error="Trop de tentatives de connexion : réessayez dans une minute.")
    if context.config.settings.web.auth != "local" or not verify_password(
            context.store.password_hash(username), password):
        return context.render(request, "login.html.j2", status=401, next=safe_next(next),
                              error="Identifiant ou mot de passe incorrect.")
    request.session.clear()
    request.session["user"] = username
    return redirect(safe_next(next))


@router.post("/deconnexion")
def logout(request: Request):
    request.session.clear()
    return redirect("/connexion")


@router.get("/langue/{lang}")
def set_language(request: Request, lang: str, next: str = "/recherche"):
    if lang in LANGUAGES:
        request.session["lang"] = lang
    return redirect(safe_next(next))


@router.get("/recherche")
def search_page(request: Request, user: str = Depends(require_user)):
    context = web(request)
    try:
        params = SearchParams.from_query(request.query_params)
        params.check(context.config, context.actor_ids)
        page = run_search(context.config, context.index, params)
    except (SearchParamError, QuerySyntaxError) as exc:
        return context.render(request, "search.html.j2", status=400, page=None, error=str(exc),
                              params=SearchParams(q=request.query_params.get("q", "")), labels=labels(context.config))
    return context.render(request, "search.html.j2", page=page, error=None, params=params,
                          labels=labels(context.config))


@router.get("/article/{article_id}")
def article_page(request: Request, article_id: str, user: str = Depends(require_user)):
    context = web(request)
    article = context.index.get(article_id)
    if article is None:
        return context.render(request, "error.html.j2", status=404, message="Article introuvable.")
    return context.render(request, "article.html.j2", article=article, labels=labels(context.config),
                          siblings=story_siblings(context.index, article),
                          judgements=context.store.judgements(article_id), config=context.config)


@router.post("/article/{article_id}/jugement")
async def judge(request: Request, article_id: str, user: str = Depends(require_user)):
    context = web(request)
    article = context.index.get(article_id)
    if article is None:
        return context.render(request, "error.html.j2", status=404, message="Article introuvable.")
    form = await request.form()
    judgement = judgement_from_form(context.config, form, article, user)
    if judgement is None:
        return context.render(request, "error.html.j2", status=400, message="Jugement incomplet ou invalide.")
    context.store.add_judgement(judgement)
    request.session["flash"] = "Jugement enregistré."
    return redirect(f"/article/{article_id}")


def judgement_from_form(config, form, article, user: str) -> Judgement | None:
    verdict = form.get("relevant")
    kind, label = form.get("kind") or None, form.get("label") or None
    known = {"theme": config.theme_ids, "market": config.market_ids}
    if kind is not None and (kind not in known or label not in known[kind]):
        return None
    corrected = form.get("correct") == "1"
    themes = [t for t in form.getlist("themes") if t in config.theme_ids] if corrected else None
    markets = [m for m in form.getlist("markets") if m in config.market_ids] if corrected else None
    note = str(form.get("note") or "")[:2000]
    if verdict not in ("1", "0", None) or (verdict is None and not corrected and not note):
        return None
    return Judgement(article_id=article.id, url=article.url, who=user, kind=kind, label=label,
                     relevant=None if verdict is None else verdict == "1", themes=themes, markets=markets, note=note)


@router.get("/suivis")
def follows_page(request: Request, user: str = Depends(require_user)):
    context = web(request)
    return context.render(request, "follows.html.j2", searches=context.store.saved_searches(user))


@router.post("/suivis")
def follow(request: Request, user: str = Depends(require_user), name: str = Form(""), query: str = Form(""),
           frequency: str = Form("weekly"), email: str = Form("")):
    context = web(request)
    try:
        params = SearchParams.from_query(_query_params(query))
        params.check(context.config, context.actor_ids)
    except SearchParamError as exc:
        return context.render(request, "error.html.j2", status=400, message=str(exc))
    if frequency not in FREQUENCIES or (email and not re.match(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$", email)):
        return context.render(request, "error.html.j2", status=400, message="Fréquence ou adresse invalide.")
    context.store.save_search(user, (name.strip() or params.q or "recherche")[:120], params.query_string(page=1),
                              frequency, email)
    request.session["flash"] = "Recherche suivie."
    return redirect("/suivis")


@router.post("/suivis/{search_id}/supprimer")
def unfollow(request: Request, search_id: int = PathParam(..., ge=1, le=2**63 - 1),
             user: str = Depends(require_user)):
    web(request).store.delete_search(user, search_id)
    return redirect("/suivis")


def _query_params(query: str):
    from starlette.datastructures import QueryParams

    return QueryParams(query.lstrip("?"))


@router.get("/tendances")
def trends_page(request: Request, user: str = Depends(require_user), weeks: int = 8, theme: str = ""):
    context = web(request)
    weeks = min(max(weeks, 2), 52)
    themes = {t.id for t in context.config.themes}
    if theme and theme not in themes:
        return context.render(request, "error.html.j2", status=400, message="Thème inconnu.")
    view = trends_view(context.config, context.index, weeks, theme or None)
    peak = max([max(v) for v in view["volume"]["series"].values()] + [1])
    return context.render(request, "trends.html.j2", trends=view, peak=peak, weeks=weeks,
                          labels=labels(context.config))


@router.get("/syntheses/")
def archive_page(request: Request, user: str = Depends(require_user)):
    from reports.render import archive_pages

    context = web(request)
    folder = context.config.data_dir / "digests"
    digests = archive_pages(folder) if folder.is_dir() else []
    return context.render(request, "archive.html.j2", digests=digests, labels=labels(context.config),
                          profiles={p.id: p.name for p in context.config.profiles})


@router.get("/syntheses/{name}")
def archive_file(request: Request, name: str, user: str = Depends(require_user)):
    context = web(request)
    folder: Path = (context.config.data_dir / "digests").resolve()
    path = (folder / name).resolve()
    if not ARCHIVE_FILE.match(name) or path.parent != folder or not path.is_file():
        return context.render(request, "error.html.j2", status=404, message="Synthèse introuvable.")
    media = {"html": "text/html; charset=utf-8", "txt": "text/plain; charset=utf-8", "png": "image/png"}
    return FileResponse(path, media_type=media[name.rsplit(".", 1)[1]])


@router.get("/favicon.ico")
def favicon():
    return Response(status_code=204)

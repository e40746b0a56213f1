"""The web app factory: FastAPI with sessions, CSRF, security headers, login rate limit.

Layers, outermost first: asgi-csrf (a signed double-submit token on every
unsafe request: forms carry it in a hidden field, the API in the
`x-csrftoken` header), the security-headers middleware, Starlette's signed
session cookie, then the routes (HTML pages in pages.py, JSON API in api.py).
"""
from __future__ import annotations

import html
import re
from contextlib import asynccontextmanager
from pathlib import Path

from asgi_csrf import asgi_csrf
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup, escape
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.sessions import SessionMiddleware

from veille.config import Config
from veille.signing import session_secret
from veille.web.auth import proxy_user
from veille.web.i18n import pick_language, translator
from veille.web.store import WebStore

HERE = Path(__file__).resolve().parent
REPORT_TEMPLATES = HERE.parent.parent / "reports" / "templates"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
# archived digests are email HTML with inlined styles: styles allowed, scripts never
ARCHIVE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
               "frame-ancestors 'self'; form-action 'none'")


class LoginRequired(Exception):
    pass


class LoginThrottle:
    """At most N login attempts per minute per client address (the `limits` library's moving window)."""

    def __init__(self, per_minute: int):
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.item = RateLimitItemPerMinute(per_minute)

    def allow(self, request: Request) -> bool:
        return self.limiter.hit(self.item, "login", request.client.host if request.client else "?")


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        response = await call_next(request)
        archive = request.url.path.startswith("/syntheses/") and request.url.path != "/syntheses/"
        response.headers.setdefault("Content-Security-Policy", ARCHIVE_CSP if archive else CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "SAMEORIGIN" if archive else "DENY"
        response.headers["Cache-Control"] = "no-store"
        return response


def templates_environment() -> Environment:
    """The web templates, with the digest templates' escaping policy and filters."""
    from reports.french import date_fr, datetime_fr, plural

    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(HERE / "templates")), FileSystemLoader(str(REPORT_TEMPLATES))]),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml", "html.j2"), default_for_string=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(date_fr=date_fr, datetime_fr=datetime_fr, plural=plural, safe_snippet=safe_snippet)
    return env


MARK = re.compile(r"(</?mark>)")


def safe_snippet(snippet: str) -> Markup:
    """An index snippet as HTML: its text re-escaped, and no tag but our own <mark>.

    The index already escapes snippets; unescaping then escaping each text part
    again means a snippet can never carry any other tag, whatever it contains.
    """
    parts = MARK.split(snippet or "")
    return Markup("".join(part if MARK.fullmatch(part) else str(escape(html.unescape(part))) for part in parts))


class WebContext:
    """What every request handler reaches through `request.app.state.web`."""

    def __init__(self, config: Config):
        from index import open_index

        self.config = config
        self.store = WebStore(config.data_dir)
        self.index = open_index(config)
        self.env = templates_environment()
        self.actor_ids = {a.id for a in config.actors}

    def close(self) -> None:
        self.index.close()
        self.store.close()

    def user(self, request: Request) -> str | None:
        by_proxy = proxy_user(self.config, request.client.host if request.client else None, request.headers)
        if by_proxy:
            return by_proxy
        name = request.session.get("user")
        if name and self.config.settings.web.auth == "local" and self.store.password_hash(name) is not None:
            return name
        return None

    def render(self, request: Request, template: str, status: int = 200, **context):
        from fastapi.responses import HTMLResponse

        lang = pick_language(request.session.get("lang"))
        csrf = request.scope.get("csrftoken")
        html = self.env.get_template(template).render(
            request=request, user=self.user(request), lang=lang, _=translator(lang),
            csrftoken=csrf() if csrf else "", flash=request.session.pop("flash", None), **context)
        return HTMLResponse(html, status_code=status)


def require_user(request: Request) -> str:
    user = request.app.state.web.user(request)
    if user is None:
        raise LoginRequired()
    return user


def create_app(config: Config):
    """The ASGI app for `veille serve` (and the tests)."""
    from veille.web import api, pages, review, unsubscribe

    context = WebContext(config)

    @asynccontextmanager
    async def lifespan(app):
        yield
        context.close()

    app = FastAPI(title="veille — API des experts", version="1", lifespan=lifespan,
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)
    app.state.web = context
    web = config.settings.web
    app.state.login_throttle = LoginThrottle(web.login_attempts_per_minute)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "authentification requise"}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/connexion?next={_quote(target)}", status_code=303)

    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(review.router)
    app.include_router(unsubscribe.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(SessionMiddleware, secret_key=session_secret(config), session_cookie="veille_session",
                       https_only=web.secure_cookies, same_site="lax", max_age=12 * 3600)
    app.add_middleware(SecurityHeaders)
    wrapped = asgi_csrf(app, signing_secret=session_secret(config), cookie_secure=web.secure_cookies,
                        always_protect={"/connexion"}, skip_if_scope=unsubscribe.csrf_checked_in_handler)
    wrapped.fastapi = app  # type: ignore[attr-defined]  (tests and schema tools reach the inner app)
    return wrapped


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="/")

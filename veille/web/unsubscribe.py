"""The unsubscribe page, `/desabonnement/<token>`, for whoever holds a link from a message (no login).

GET shows what the link unsubscribes from and a button; it never unsubscribes,
since mail scanners and link previews follow links. POST records the opt-out,
from that form (`web`) or from a mail provider's one-click request (RFC 8058:
body `List-Unsubscribe=One-Click`, no cookies, no CSRF token: `one-click`).
Both are idempotent. A token we did not sign gets a 400 page.

CSRF: the opt-out reads no session and no cookie; the signed token is its only
authority, so a cross-site request can do nothing that holding the link does
not. asgi-csrf lets POSTs to these paths through (`csrf_checked_in_handler`),
since a one-click request cannot carry a token; the handler then applies
asgi-csrf's own rule to everything but a one-click body: a request that
carries cookies must carry the matching form token.
"""
from __future__ import annotations

import re
import secrets

from fastapi import APIRouter, Request

from reports.sendlog import SendLog
from reports.unsubscribe import BadToken, read_token
from veille.signing import session_secret

router = APIRouter(include_in_schema=False)
PATH = re.compile(r"^/desabonnement/[A-Za-z0-9_.-]+$")
INVALID = ("Ce lien de désabonnement n'est pas valide (incomplet ou modifié). "
           "Copiez le lien entier depuis le message reçu.")


def csrf_checked_in_handler(scope) -> bool:
    """asgi-csrf's skip_if_scope: POSTs to an unsubscribe link are checked by `unsubscribe` below."""
    return scope.get("method") == "POST" and bool(PATH.match(scope.get("path", "")))


def _read(request: Request, token: str) -> tuple[str, str] | None:
    try:
        return read_token(session_secret(request.app.state.web.config), token)
    except BadToken:
        return None


def describe(context, list_id: str) -> str:
    """What a list is, in French, for the page."""
    kind, _, ident = list_id.partition(":")
    if kind == "digest":
        profile = next((p for p in context.config.profiles if p.id == ident), None)
        return f"la synthèse « {profile.name} »" if profile else f"la synthèse {ident}"
    search = next((s for s in context.store.saved_searches() if str(s.id) == ident), None)
    return f"les avis de la recherche suivie « {search.name} »" if search else "les avis d'une recherche suivie"


def _page(request: Request, list_id: str, address: str, state: str, status: int = 200):
    context = request.app.state.web
    return context.render(request, "unsubscribe.html.j2", status=status, address=address,
                          what=describe(context, list_id), state=state, action=request.url.path)


@router.get("/desabonnement/{token}")
def confirm(request: Request, token: str):
    found = _read(request, token)
    if found is None:
        return request.app.state.web.render(request, "error.html.j2", status=400, message=INVALID)
    list_id, address = found
    with SendLog.of(request.app.state.web.config.data_dir) as book:
        left = bool(book.opted_out(list_id, [address]))
    return _page(request, list_id, address, "already" if left else "ask")


@router.post("/desabonnement/{token}")
async def unsubscribe(request: Request, token: str):
    found = _read(request, token)
    if found is None:
        return request.app.state.web.render(request, "error.html.j2", status=400, message=INVALID)
    list_id, address = found
    form = await request.form()
    one_click = form.get("List-Unsubscribe") == "One-Click"
    if not one_click and request.headers.get("cookie"):
        expected = request.scope["csrftoken"]() if "csrftoken" in request.scope else ""
        if not expected or not secrets.compare_digest(str(form.get("csrftoken", "")), expected):
            return _page(request, list_id, address, "expired", status=403)
    with SendLog.of(request.app.state.web.config.data_dir) as book:
        recorded = book.opt_out(list_id, address, "one-click" if one_click else "web")
    return _page(request, list_id, address, "done" if recorded else "already")

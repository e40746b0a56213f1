"""Editorial review of digest drafts in the web app: the list of drafts, and one draft's page.

A draft's page shows the whole digest of its period, section by section: the
draft's articles in its order, then those of the section it leaves out, in one
form (review_form.py). Saving rewrites the YAML draft that `veille digest
approve` reads (reports.review.revise_draft) and its preview page; "Approuver"
saves, then calls reports.delivery.approve with the user's name. Only the
latest draft of a profile, not yet sent, can be changed, and only by
`web.reviewers` (everyone when the list is empty).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Optional
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from reports.review import PENDING, SUFFIX, ReviewError, draft_key, latest_draft, read_draft, sha256
from reports.sendlog import SendLog
from veille.config import Config, ConfigError
from veille.web.app import require_user
from veille.web.review_form import FormError, layout_of, sections_view

router = APIRouter(include_in_schema=False)
KEY = re.compile(r"^[a-z0-9][a-z0-9-]*-\d{4}-\d{2}-\d{2}$")
STATES = {"draft": "brouillon", "approved": "approuvé", "changed": "modifié depuis l'approbation",
          "sent": "envoyé", "unreadable": "illisible"}
NOT_A_REVIEWER = "Seuls les relecteurs désignés (web.reviewers) peuvent modifier ou approuver une synthèse."


@dataclass
class Draft:
    key: str
    path: Path
    profile_id: str
    profile_name: str
    period: str = ""
    count: int = 0
    state: str = "draft"
    approved_by: str = ""
    approved_at: Optional[datetime] = None
    sent: int = 0
    latest: bool = True
    problem: str = ""
    preview: bool = False

    @property
    def state_label(self) -> str:
        return STATES[self.state]


def may_review(config: Config, user: str) -> bool:
    reviewers = config.settings.web.reviewers
    return not reviewers or user in reviewers


def folder_of(config: Config) -> Path:
    return config.data_dir / "digests"


def describe(config: Config, path: Path, book: SendLog) -> Draft:
    key = draft_key(path)
    profile_id = key[:-11]
    names = {p.id: p.name for p in config.profiles}
    draft = Draft(key=key, path=path, profile_id=profile_id, profile_name=names.get(profile_id, profile_id),
                  period=key[-10:], latest=latest_draft(path.parent, profile_id) == path,
                  preview=(path.parent / f"{key}.html").is_file())
    try:
        data = read_draft(path)
    except ReviewError as exc:
        draft.state, draft.problem = "unreadable", str(exc)
        return draft
    draft.period = str(data.get("periode") or draft.period)
    draft.count = sum(len(s.get("articles") or []) for s in data["sections"] if isinstance(s, dict))
    approval = book.approval_details(key)
    draft.sent = sum(row["status"] == "sent" for row in book.rows(key))
    if approval:
        draft.approved_by = approval["approved_by"]
        draft.approved_at = datetime.fromisoformat(approval["approved_at"]).astimezone(
            ZoneInfo(config.settings.timezone))
    if draft.sent:
        draft.state = "sent"
    elif approval:
        draft.state = "approved" if approval["sha256"] == sha256(path) else "changed"
    return draft


def drafts_of(config: Config) -> list[Draft]:
    """Every draft in the archive folder, newest period first."""
    folder = folder_of(config)
    paths = sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: (p.name[-len(SUFFIX) - 10:], p.name),
                   reverse=True) if folder.is_dir() else []
    if not paths:
        return []
    with SendLog.of(config.data_dir) as book:
        return [describe(config, path, book) for path in paths if KEY.match(draft_key(path))]


def web(request: Request):
    return request.app.state.web


def _draft_path(config: Config, key: str) -> Optional[Path]:
    path = folder_of(config) / f"{key}{SUFFIX}"
    return path if KEY.match(key) and path.is_file() else None


def _read_only_reason(draft: Draft, reviewer: bool) -> str:
    if not reviewer:
        return NOT_A_REVIEWER
    if draft.state == "unreadable":
        return draft.problem
    if draft.sent:
        return "Cette synthèse est déjà partie : son brouillon n'est plus modifiable."
    if not draft.latest:
        return "Un brouillon plus récent existe pour ce profil : celui-ci n'est plus envoyé."
    return ""


@router.get("/relecture")
def review_list(request: Request, user: str = Depends(require_user)):
    context = web(request)
    drafts = drafts_of(context.config)
    waiting = [p for p in context.config.profiles if p.review and not any(d.profile_id == p.id for d in drafts)]
    return context.render(request, "review-list.html.j2", current=[d for d in drafts if d.latest],
                          older=[d for d in drafts if not d.latest], waiting=waiting,
                          reviewer=may_review(context.config, user))


@router.get("/relecture/{key}")
def review_page(request: Request, key: str, user: str = Depends(require_user)):
    context = web(request)
    path = _draft_path(context.config, key)
    if path is None:
        return context.render(request, "error.html.j2", status=404, message="Brouillon introuvable.")
    with SendLog.of(context.config.data_dir) as book:
        draft = describe(context.config, path, book)
    try:
        sections = sections_view(context.config, context.index, path)
    except (ReviewError, ConfigError) as exc:
        return context.render(request, "error.html.j2", status=409,
                              message=f"Ce brouillon ne peut pas être relu ici : {exc}")
    reason = _read_only_reason(draft, may_review(context.config, user))
    return context.render(request, "review.html.j2", draft=draft, sections=sections, read_only=reason,
                          sha=sha256(path))


@router.post("/relecture/{key}")
async def review_save(request: Request, key: str, user: str = Depends(require_user)):
    from reports.delivery import approve, draft_period_digest
    from reports.render import write_digest
    from reports.review import revise_draft
    from starlette.concurrency import run_in_threadpool

    context = web(request)
    config = context.config
    path = _draft_path(config, key)
    if path is None:
        return context.render(request, "error.html.j2", status=404, message="Brouillon introuvable.")
    if not may_review(config, user):
        return context.render(request, "error.html.j2", status=403, message=NOT_A_REVIEWER)
    with SendLog.of(config.data_dir) as book:
        draft = describe(config, path, book)
    reason = _read_only_reason(draft, True)
    if reason:
        return context.render(request, "error.html.j2", status=409, message=reason)
    form = await request.form(max_fields=20000)
    action = form.get("action") or ("save" if form.get("move") else "")
    if action not in ("save", "approve"):
        return context.render(request, "error.html.j2", status=400, message="Action inconnue.")
    if form.get("sha") != sha256(path):
        return context.render(request, "error.html.j2", status=409, message=(
            "Le brouillon a changé depuis l'ouverture de la page : rechargez-la avant d'enregistrer."))
    try:
        layout, moved = layout_of(form)
    except FormError as exc:
        return context.render(request, "error.html.j2", status=400, message=str(exc))

    def save_and_approve() -> bool:
        digest = draft_period_digest(config, context.index, path, read_draft(path))
        changed = revise_draft(digest, layout, path)
        if changed:
            digest.review = PENDING
            write_digest(digest, folder_of(config))
        if action == "approve":
            approve(config, context.index, draft.profile_id, folder_of(config), by=user)
        return changed

    try:
        changed = await run_in_threadpool(save_and_approve)
    except (ReviewError, ConfigError) as exc:
        return context.render(request, "error.html.j2", status=400, message=str(exc))
    if action == "approve":
        request.session["flash"] = "Synthèse approuvée : elle partira au prochain envoi."
    elif changed and draft.state == "approved":
        request.session["flash"] = ("Brouillon enregistré. Il avait été approuvé : "
                                    "approuvez-le à nouveau pour qu'il soit envoyé.")
    elif not moved:
        request.session["flash"] = "Brouillon enregistré." if changed else "Aucune modification."
    anchor = f"#section-{quote(moved)}" if moved else ""
    return RedirectResponse(f"/relecture/{key}{anchor}", status_code=303)

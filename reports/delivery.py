"""Publishing a digest: archive files, review draft, and email to the profile's recipients.

    outcome = publish(config, index, digest, out_dir, send=True)

Without review: the archive page is written and, with `send`, mailed.
With review (`review: true` in profiles.yaml): the first run of a period
writes the draft (never overwriting one being edited) and a preview page;
only the latest approved draft of the profile is ever sent.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from index.base import IndexBackend
from reports.build import build_digest
from reports.mailer import UNSUBSCRIBE, SendReport, send_message
from reports.model import Digest
from reports.render import digest_basename, render_digest, write_digest
from reports.review import APPROVED, PENDING, ReviewError, apply_review, draft_key, draft_path, latest_draft, period_end, read_draft, \
    sha256, write_draft
from reports.sendlog import SendLog
from reports.unsubscribe import digest_list, for_list
from veille.config import Config

CID_DOMAIN = "veille"


@dataclass
class Outcome:
    html_path: Optional[Path] = None
    text_path: Optional[Path] = None
    draft_path: Optional[Path] = None
    sent: Optional[SendReport] = None
    unsubscribed: list[str] = field(default_factory=list)   # recipients who left the list: not sent to
    notes: list[str] = field(default_factory=list)      # French, for the user
    problems: list[str] = field(default_factory=list)   # misses to report (and retry)


def email_parts(config: Config, digest: Digest) -> tuple[str, str, str, dict[str, bytes]]:
    """(subject, HTML, text, images by Content-ID) of a digest as emailed; the mailer
    puts each recipient's unsubscribe address in place of UNSUBSCRIBE."""
    images = {f"{name}@{CID_DOMAIN}": png for name, png in digest.charts.items()}
    html, text = render_digest(digest, images={name: f"cid:{name}@{CID_DOMAIN}" for name in digest.charts},
                               unsubscribe=UNSUBSCRIBE)
    return digest.subject, html, text, images


def send_digest(config: Config, digest: Digest, recipients: list[str], sendlog: Optional[SendLog] = None) -> SendReport:
    subject, html, text, images = email_parts(config, digest)
    return send_message(for_list(config, digest_list(digest.profile_id)), recipients, subject, html, text, images,
                        key=digest_basename(digest), sendlog=sendlog)


def publish(config: Config, index: IndexBackend, digest: Digest, out_dir: Path, send: bool = False,
            sendlog: Optional[SendLog] = None) -> Outcome:
    profile = config.profile(digest.profile_id)
    outcome = Outcome()
    if not profile.review:
        outcome.html_path, outcome.text_path = write_digest(digest, out_dir)
        if send:
            _send(config, digest, profile.recipients, outcome, sendlog)
        return outcome
    path = draft_path(out_dir, digest)
    if path.exists():
        outcome.notes.append(f"brouillon déjà écrit, laissé tel quel : {path}")
    else:
        digest.review = PENDING
        write_draft(digest, path)
        outcome.html_path, outcome.text_path = write_digest(digest, out_dir)
        outcome.notes.append(f"brouillon à relire : {path} (page Relecture de l'application web, "
                             f"ou veille digest approve {profile.id})")
    outcome.draft_path = path
    if send:
        approved = approved_digest(config, index, profile.id, out_dir, sendlog)
        if approved is None:
            outcome.notes.append(f"{profile.id} : aucune synthèse approuvée à envoyer")
        else:
            _send(config, approved, profile.recipients, outcome, sendlog)
    return outcome


def _send(config: Config, digest: Digest, recipients: list[str], outcome: Outcome,
          sendlog: Optional[SendLog]) -> None:
    if not recipients:
        outcome.notes.append(f"{digest.profile_id} : aucun destinataire, rien à envoyer")
        return
    book = sendlog or SendLog.of(config.data_dir)
    try:
        left = book.opted_out(digest_list(digest.profile_id), recipients)
    finally:
        if sendlog is None:
            book.close()
    if left:
        outcome.unsubscribed = [r for r in recipients if r in left]
        outcome.notes.append(f"{digest.profile_id} : {len(left)} destinataire(s) désabonné(s), non servi(s)")
        recipients = [r for r in recipients if r not in left]
        if not recipients:
            return
    outcome.sent = send_digest(config, digest, recipients, sendlog)
    outcome.problems += outcome.sent.problems()


def reviewed_digest(config: Config, index: IndexBackend, path: Path) -> Digest:
    """The digest of a draft's period, reduced to what the draft lists."""
    draft = read_draft(path)
    return apply_review(draft_period_digest(config, index, path, draft), draft)


def draft_period_digest(config: Config, index: IndexBackend, path: Path, draft: dict) -> Digest:
    """The whole digest of a draft's period, before the draft's choices."""
    profile_id = str(draft.get("profil") or "")
    period = "day" if config.profile(profile_id).frequency == "daily" else "week"
    end = period_end(draft)
    digest = build_digest(config, index, profile_id, period=period, now=end)
    if digest_basename(digest) != draft_key(path):
        raise ReviewError(f"la période du brouillon ne correspond pas à son nom ({path.name})")
    return digest


def approve(config: Config, index: IndexBackend, profile_id: str, out_dir: Path, by: str = "",
            sendlog: Optional[SendLog] = None) -> tuple[Path, Path]:
    """Check the profile's latest draft, record its approval, write the final archive page."""
    config.profile(profile_id)
    path = latest_draft(out_dir, profile_id)
    if path is None:
        raise ReviewError(f"aucun brouillon pour le profil {profile_id} dans {out_dir}")
    digest = reviewed_digest(config, index, path)
    digest.review = APPROVED
    book = sendlog or SendLog.of(config.data_dir)
    try:
        book.approve(draft_key(path), sha256(path), by)
    finally:
        if sendlog is None:
            book.close()
    write_digest(digest, out_dir)
    return path, out_dir / f"{draft_key(path)}.html"


def approved_digest(config: Config, index: IndexBackend, profile_id: str, out_dir: Path,
                    sendlog: Optional[SendLog] = None) -> Optional[Digest]:
    """The latest draft if it is approved and unchanged since; else None."""
    path = latest_draft(out_dir, profile_id)
    if path is None:
        return None
    book = sendlog or SendLog.of(config.data_dir)
    try:
        approved_sha = book.approval(draft_key(path))
    finally:
        if sendlog is None:
            book.close()
    if approved_sha is None or approved_sha != sha256(path):
        return None
    digest = reviewed_digest(config, index, path)
    digest.review = APPROVED
    return digest

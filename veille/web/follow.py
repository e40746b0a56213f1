"""Followed searches: find what is new since the last notice and send it by email.

A saved search is due once a day (daily) or once a week (weekly) after its
last notice. Its new matches are the articles published since then, newest
first. Sending goes through the digest mailer (`send` below), which keeps the
per-recipient send log; the notice's key makes a re-run after a crash send
nothing twice. Each saved search is its own list ("follow:<id>"): a notice
carries its unsubscribe link, and an address that left is not mailed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Optional

from starlette.datastructures import QueryParams

from index.base import IndexBackend
from veille.config import Config
from veille.web.search import SearchParams
from veille.web.store import SavedSearch, WebStore

PERIOD = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
MAX_MATCHES = 30


@dataclass
class Notice:
    search: SavedSearch
    matches: list            # Article records, newest first
    since: datetime
    until: datetime

    @property
    def key(self) -> str:
        return f"suivi-{self.search.id}-{self.until.strftime('%Y%m%dT%H%M%S')}"


def is_due(search: SavedSearch, now: datetime) -> bool:
    last = datetime.fromisoformat(search.last_notified or search.created_at)
    return now - last >= PERIOD.get(search.frequency, PERIOD["weekly"]) - timedelta(minutes=5)


def new_matches(config: Config, index: IndexBackend, search: SavedSearch, now: datetime) -> Notice:
    since = datetime.fromisoformat(search.last_notified or search.created_at)
    params = SearchParams.from_query(QueryParams(search.query_string))
    request = params.request(config.settings.timezone, page_size=MAX_MATCHES)
    request.since, request.until, request.sort, request.offset, request.facets = since, now, "date", 0, False
    return Notice(search=search, matches=[hit.article for hit in index.search(request).hits], since=since, until=now)


@dataclass
class FollowReport:
    due: int = 0
    sent: int = 0
    empty: int = 0
    failed: int = 0
    unsubscribed: int = 0    # due, with news, but the address left this search's list
    problems: list[str] = field(default_factory=list)    # one French line per miss

    def counts(self) -> dict:
        return {"due": self.due, "sent": self.sent, "empty": self.empty, "failed": self.failed}


def notify_due(config: Config, index: IndexBackend, store: WebStore, send: Callable[[Notice], object],
               now: Optional[datetime] = None) -> FollowReport:
    """Send every due search that has an address and new matches.

    `send` raises when the notice did not go (it is tried again next run). A
    notice whose outcome is unknown (connection lost after DATA) counts as
    sent: the mailer reports it and never sends it again on its own.
    """
    now = now or datetime.now(timezone.utc)
    report = FollowReport()
    for search in store.saved_searches():
        if not search.email or not is_due(search, now):
            continue
        report.due += 1
        notice = new_matches(config, index, search, now)
        if not notice.matches:
            report.empty += 1
            store.mark_notified(search.id, now.isoformat(timespec="seconds"))
            continue
        try:
            send(notice)
        except Unsubscribed:
            report.unsubscribed += 1
            store.mark_notified(search.id, now.isoformat(timespec="seconds"))
            continue
        except Exception as exc:  # noqa: BLE001 - one failed notice must not stop the others
            report.failed += 1
            report.problems.append(f"suivi « {search.name} » ({search.owner}) non envoyé : {exc} ; "
                                   f"nouvel essai au prochain passage")
            continue
        store.mark_notified(search.id, now.isoformat(timespec="seconds"))
        report.sent += 1
    return report


class NoticeNotSent(RuntimeError):
    pass


class Unsubscribed(Exception):
    """The search's address left its list: nothing was sent."""


def mail_sender(config: Config, env=None) -> Callable[[Notice], None]:
    """`send` for notify_due: render the notice and mail it through the digest mailer."""
    from reports.mailer import send_message
    from reports.sendlog import SendLog
    from reports.unsubscribe import follow_list, for_list
    from veille.web.app import templates_environment

    env = env or templates_environment()

    def send(notice: Notice) -> None:
        list_id = follow_list(notice.search.id)
        with SendLog.of(config.data_dir) as book:
            if book.opted_out(list_id, [notice.search.email]):
                raise Unsubscribed(list_id)
        subject, html, text = render_notice(config, notice, env)
        sent = send_message(for_list(config, list_id), [notice.search.email], subject, html, text, key=notice.key)
        if sent.refused:
            raise NoticeNotSent("; ".join(sent.refused.values()))

    return send


def notify_all(config: Config, now: Optional[datetime] = None) -> FollowReport:
    """What `veille follow notify` and the scheduler's daily job do."""
    from index import open_index
    from reports.mailer import MailNotConfigured

    if not config.settings.mail.host:
        raise MailNotConfigured("aucun serveur SMTP configuré (settings.yaml : mail.host)")
    store = WebStore(config.data_dir)
    try:
        with open_index(config) as index:
            return notify_due(config, index, store, mail_sender(config), now)
    finally:
        store.close()


def render_notice(config: Config, notice: Notice, env) -> tuple[str, str, str]:
    """(subject, HTML, text) of a notice, French, with links into the web app; the mailer puts each
    recipient's unsubscribe link in place of UNSUBSCRIBE."""
    from reports.mailer import UNSUBSCRIBE

    base = config.settings.web.base_url.rstrip("/")
    context = {"notice": notice, "base": base, "search_url": f"{base}/recherche?{notice.search.query_string}",
               "unsubscribe": UNSUBSCRIBE}
    subject = f"veille — {len(notice.matches)} nouveauté(s) pour « {notice.search.name} »"
    return (" ".join(subject.split()), env.get_template("follow-notice.html.j2").render(**context),
            env.get_template("follow-notice.txt.j2").render(**context))

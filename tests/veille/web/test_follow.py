"""Followed searches: due at their frequency, new matches only, never lost when sending fails."""
from datetime import datetime, timedelta, timezone

import pytest

from veille.web.app import templates_environment
from veille.web.follow import is_due, notify_all, notify_due, render_notice
from veille.web.store import WebStore

NOW = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=2)  # after every fixture date


@pytest.fixture
def store(config):
    store = WebStore(config.data_dir)
    yield store
    store.close()


@pytest.fixture
def index(config):
    from index import open_index

    with open_index(config) as index:
        yield index


def follow(store, query, frequency="daily", email="marie@example.org", last=NOW - timedelta(days=30)):
    search_id = store.save_search("marie", "Photonique", query, frequency, email)
    store.mark_notified(search_id, last.isoformat(timespec="seconds"))
    return search_id


def test_due_at_the_chosen_frequency(store):
    follow(store, "q=laser", "daily", last=NOW - timedelta(hours=23))
    follow(store, "q=laser", "weekly", last=NOW - timedelta(days=3))
    follow(store, "q=laser", "weekly", last=NOW - timedelta(days=7))
    assert [is_due(s, NOW) for s in store.saved_searches()] == [False, False, True]


def test_new_matches_are_sent_once_then_nothing_until_new_articles(config, store, index):
    follow(store, "q=laser&theme=optique-photonique")
    sent = []
    assert notify_due(config, index, store, sent.append, NOW).counts() == {"due": 1, "sent": 1, "empty": 0, "failed": 0}
    notice = sent[0]
    assert notice.matches and all("optique-photonique" in a.theme_ids for a in notice.matches)
    dates = [a.published for a in notice.matches]
    assert dates == sorted(dates, reverse=True)
    later = NOW + timedelta(days=1, minutes=1)
    assert notify_due(config, index, store, sent.append, later).empty == 1 and len(sent) == 1


def test_a_failed_send_is_retried_on_the_next_run(config, store, index):
    follow(store, "q=hydrog%C3%A8ne")

    def refuse(notice):
        raise ConnectionRefusedError("smtp down")

    report = notify_due(config, index, store, refuse, NOW)
    assert report.failed == 1 and "smtp down" in report.problems[0] and "Photonique" in report.problems[0]
    sent = []
    assert notify_due(config, index, store, sent.append, NOW).sent == 1 and sent[0].matches


def test_searches_without_an_address_are_not_mailed(config, store, index):
    follow(store, "q=laser", email="")
    assert notify_due(config, index, store, lambda n: None, NOW).due == 0


def test_notice_links_back_to_the_app_and_escapes_content(config, store, index):
    follow(store, "q=attackers+abuse+news+feeds")
    sent = []
    notify_due(config, index, store, sent.append, NOW)
    subject, html, text = render_notice(config, sent[0], templates_environment())
    assert "\n" not in subject and "Photonique" in subject
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert f"{config.settings.web.base_url}/recherche?q=attackers+abuse+news+feeds" in text
    assert f"/article/{sent[0].matches[0].id}" in html


@pytest.fixture
def mailing(config, smtp_server):
    from veille.config import MailSettings

    mail = MailSettings(host="127.0.0.1", port=smtp_server.port, security="none", sender="veille@pole.example.org",
                        timeout=10)
    return config.model_copy(update={"settings": config.settings.model_copy(update={"mail": mail})})


def test_a_due_search_is_mailed_through_the_digest_mailer(mailing, store, smtp_server):
    follow(store, "q=laser&theme=optique-photonique", email="marie@pole.example.org")
    report = notify_all(mailing, NOW)
    assert report.counts() == {"due": 1, "sent": 1, "empty": 0, "failed": 0}
    [message] = smtp_server.recorder.messages()
    assert message["To"] == "marie@pole.example.org" and "Photonique" in message["Subject"]
    assert message["Message-ID"] and message["List-Unsubscribe"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"{mailing.settings.web.base_url}/recherche?q=laser&theme=optique-photonique" in text
    assert "/article/" in html
    assert notify_all(mailing, NOW + timedelta(hours=1)).due == 0     # not due again the same day
    assert len(smtp_server.recorder.received) == 1


def test_a_refused_address_is_reported_and_tried_again_next_run(mailing, store, smtp_server):
    follow(store, "q=laser", email="parti@pole.example.org")
    smtp_server.recorder.refuse.add("parti@pole.example.org")
    report = notify_all(mailing, NOW)
    assert report.failed == 1 and "Photonique" in report.problems[0] and "nouvel essai" in report.problems[0]
    assert smtp_server.recorder.received == []
    smtp_server.recorder.refuse.clear()
    assert notify_all(mailing, NOW + timedelta(minutes=10)).sent == 1
    assert smtp_server.recorder.copies("parti@pole.example.org") == 1


def test_follow_notify_command_sends_and_says_so(mailing, store, smtp_server, monkeypatch):
    import veille.cli_web as cli_web
    from typer.testing import CliRunner

    from veille.cli import app

    follow(store, "q=laser", email="marie@pole.example.org", last=datetime.now(timezone.utc) - timedelta(days=365))
    monkeypatch.setattr(cli_web, "load", lambda *args: mailing)
    result = CliRunner().invoke(app, ["follow", "notify"])
    assert result.exit_code == 0, result.output
    assert "1 avis envoyé(s)" in result.output and smtp_server.recorder.copies("marie@pole.example.org") == 1


def test_follow_notify_command_says_when_no_mail_server_is_set(config, store, monkeypatch):
    import veille.cli_web as cli_web
    from typer.testing import CliRunner

    from veille.cli import app

    follow(store, "q=laser")
    settings = config.settings.model_copy(update={"mail": config.settings.mail.model_copy(update={"host": ""})})
    monkeypatch.setattr(cli_web, "load", lambda *args: config.model_copy(update={"settings": settings}))
    result = CliRunner().invoke(app, ["follow", "notify"])
    assert result.exit_code == 2 and "mail.host" in result.output

"""Unsubscribing from a real message: digest sent to the loopback SMTP server, link taken from
its List-Unsubscribe header, followed in the web app (no login), next send skips who left."""
import re
from datetime import datetime, timedelta, timezone

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from index import open_index
from reports.delivery import publish
from reports.digest import build_digest
from reports.sendlog import SendLog
from veille.config import MailSettings

PROFILE = "zoom-spatial-defense"
LIST = f"digest:{PROFILE}"
ALICE, BOB, CAROL, DAVE = PEOPLE = ["alice@pole.example.org", "bob@pme.example.org", "carol@pme.example.org",
                                    "dave@labo.example.org"]
NOW = datetime.now(timezone.utc).replace(microsecond=0)


@pytest.fixture
def mailing(config, smtp_server):
    """The web tests' config: mail to the loopback server, the app at https://testserver, four recipients."""
    mail = MailSettings(host="127.0.0.1", port=smtp_server.port, security="none", sender="veille@pole.example.org",
                        timeout=10)
    web = config.settings.web.model_copy(update={"base_url": "https://testserver"})
    profiles = [p.model_copy(update={"recipients": PEOPLE}) if p.id == PROFILE else p for p in config.profiles]
    settings = config.settings.model_copy(update={"mail": mail, "web": web})
    return config.model_copy(update={"settings": settings, "profiles": profiles})


@pytest.fixture
def app(mailing):
    from veille.web.app import create_app

    return create_app(mailing)


def send(config, now):
    with open_index(config) as index:
        digest = build_digest(config, index, PROFILE, now=now)
        return publish(config, index, digest, config.data_dir / "digests", send=True)


def links(server) -> dict[str, tuple[str, str, str]]:
    """Per recipient: (List-Unsubscribe's first URL, the HTML body's link, the text body's link)."""
    found = {}
    for message in server.recorder.messages():
        header = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])
        assert header[1] == "mailto:veille@pole.example.org?subject=d%C3%A9sabonnement"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        [html] = set(re.findall(r'href="(https://testserver/desabonnement/[^"]+)"',
                                message.get_body(("html",)).get_content()))
        [text] = set(re.findall(r"https://testserver/desabonnement/\S+", message.get_body(("plain",)).get_content()))
        found[message["To"]] = (header[0], html, text)
    return found


def optouts(config) -> dict[str, str]:
    with SendLog.of(config.data_dir) as book:
        return {row["address"]: row["how"] for row in book.optouts() if row["list"] == LIST}


def csrf(page) -> str:
    return re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)


def test_from_the_message_to_the_next_send(mailing, app, smtp_server, monkeypatch):
    first = send(mailing, NOW)
    assert first.sent.sent == PEOPLE
    sent = links(smtp_server)
    for address, (header, html, text) in sent.items():
        assert header == html == text, address
        assert header.startswith("https://testserver/desabonnement/")
    path = {address: urls[0].removeprefix("https://testserver") for address, urls in sent.items()}

    with TestClient(app, base_url="https://testserver") as browser:
        page = browser.get(path[ALICE])                        # what a mail scanner does: nothing happens
        assert page.status_code == 200 and ALICE in page.text
        assert "Zoom-Marché Spatial" in page.text and "Me désabonner" in page.text
        browser.get(path[ALICE])
        assert optouts(mailing) == {}

        refused = browser.post(path[ALICE], data={"csrftoken": "pas-le-bon"})   # cookies, wrong form token
        assert refused.status_code == 403 and optouts(mailing) == {}

        done = browser.post(path[ALICE], data={"csrftoken": csrf(page)})
        assert done.status_code == 200 and "ne recevra plus" in done.text
        assert optouts(mailing) == {ALICE: "web"}
        again = browser.post(path[ALICE], data={"csrftoken": csrf(page)})
        assert again.status_code == 200 and "est désabonné(e)" in again.text
        assert "Me désabonner" not in browser.get(path[ALICE]).text

        browser.get(path[CAROL])                               # a one-click POST that happens to carry cookies
        assert browser.cookies
        assert browser.post(path[CAROL], data={"List-Unsubscribe": "One-Click"}).status_code == 200

    with TestClient(app, base_url="https://testserver") as provider:   # RFC 8058: a mail provider, no cookies
        response = provider.post(path[BOB], content=b"List-Unsubscribe=One-Click",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert response.status_code == 200
        provider.cookies.clear()
        assert provider.post(path[BOB], files={"List-Unsubscribe": (None, "One-Click")}).status_code == 200
    assert optouts(mailing) == {ALICE: "web", BOB: "one-click", CAROL: "one-click"}

    second = send(mailing, NOW + timedelta(days=1))
    assert second.sent.sent == [DAVE] and second.unsubscribed == [ALICE, BOB, CAROL]
    assert f"{PROFILE} : 3 destinataire(s) désabonné(s), non servi(s)" in second.notes
    assert [smtp_server.recorder.copies(p) for p in PEOPLE] == [1, 1, 1, 2]

    import veille.cli_digest as cli_digest
    from veille.cli import app as cli

    monkeypatch.setattr(cli_digest, "load", lambda *args: mailing)
    runner = CliRunner()
    listed = runner.invoke(cli, ["subscribers", "optouts"], env={"COLUMNS": "200"})
    assert listed.exit_code == 0 and "3 désabonnement(s)" in listed.output
    assert "page de désabonnement" in listed.output and "un clic (messagerie)" in listed.output
    back = runner.invoke(cli, ["subscribers", "resubscribe", BOB, "--list", LIST])
    assert back.exit_code == 0 and "1 désabonnement(s) annulé(s)" in back.output
    assert runner.invoke(cli, ["subscribers", "resubscribe", BOB]).exit_code == 1
    by_hand = runner.invoke(cli, ["subscribers", "unsubscribe", DAVE, "--list", LIST])
    assert by_hand.exit_code == 0 and optouts(mailing)[DAVE] == "cli"
    assert runner.invoke(cli, ["subscribers", "unsubscribe", DAVE, "--list", "digest:inconnu"]).exit_code == 2

    third = send(mailing, NOW + timedelta(days=2))
    assert third.sent.sent == [BOB] and third.unsubscribed == [ALICE, CAROL, DAVE]


def test_a_forged_or_altered_link_gets_a_400_page_and_records_nothing(mailing, app):
    from reports.unsubscribe import make_token

    valid = make_token("pas-la-cle-du-deploiement", LIST, ALICE)
    with TestClient(app, base_url="https://testserver") as client:
        for token in (valid, "abc", "W10.x", valid[:-3]):
            page = client.get(f"/desabonnement/{token}")
            assert page.status_code == 400 and "pas valide" in page.text and "Me désabonner" not in page.text
            one_click = client.post(f"/desabonnement/{token}", data={"List-Unsubscribe": "One-Click"})
            assert one_click.status_code == 400
    assert optouts(mailing) == {}


def test_the_csrf_exemption_covers_only_posts_to_an_unsubscribe_link(app):
    from veille.web.unsubscribe import csrf_checked_in_handler

    assert csrf_checked_in_handler({"method": "POST", "path": "/desabonnement/WyJkaWdlc3QiXQ.abc-_"})
    for method, path in (("GET", "/desabonnement/abc"), ("POST", "/desabonnement/abc/x"), ("POST", "/desabonnement/"),
                         ("POST", "/desabonnementabc"), ("POST", "/suivis"), ("POST", "/deconnexion")):
        assert not csrf_checked_in_handler({"method": method, "path": path}), (method, path)
    with TestClient(app, base_url="https://testserver") as client:   # other forms: cookies need the token
        client.get("/connexion")
        assert client.cookies.get("csrftoken")
        assert client.post("/deconnexion", data={}).status_code == 403


def test_a_followed_search_notice_links_to_its_own_list_and_stops_when_left(mailing, smtp_server):
    from veille.web.follow import notify_all
    from veille.web.store import WebStore

    def due_with_news() -> int:
        store = WebStore(mailing.data_dir)
        try:
            found = [s.id for s in store.saved_searches()] or [
                store.save_search("marie", "Photonique", "q=laser", "daily", ALICE)]
            store.mark_notified(found[0], (NOW - timedelta(days=30)).isoformat(timespec="seconds"))
            return found[0]
        finally:
            store.close()

    search_id = due_with_news()
    later = NOW + timedelta(days=2)
    assert notify_all(mailing, later).sent == 1
    [message] = smtp_server.recorder.messages()
    header = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])[0]
    assert f"Ne plus recevoir ces avis : {header}" in message.get_body(("plain",)).get_content()
    assert f'href="{header}"' in message.get_body(("html",)).get_content()

    from reports.unsubscribe import read_token
    from veille.signing import session_secret

    assert read_token(session_secret(mailing), header.rsplit("/", 1)[1]) == (f"follow:{search_id}", ALICE)
    with SendLog.of(mailing.data_dir) as book:
        book.opt_out(f"follow:{search_id}", ALICE, "web")
    due_with_news()
    report = notify_all(mailing, later + timedelta(days=2))
    assert report.unsubscribed == 1 and report.sent == 0 and len(smtp_server.recorder.received) == 1

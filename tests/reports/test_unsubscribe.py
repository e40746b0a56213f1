"""Unsubscribe tokens, the opt-out store, and what the mailer puts in each message."""
import email
import re
from datetime import datetime
from email import policy
from zoneinfo import ZoneInfo

import pytest
from itsdangerous import URLSafeSerializer

from reports.delivery import publish
from reports.digest import build_digest
from reports.mailer import compose
from reports.sendlog import SendLog
from reports.unsubscribe import SALT, BadToken, ListMail, digest_list, follow_list, make_token, read_token
from veille.config import MailSettings
from veille.signing import session_secret

NOW = datetime(2026, 11, 23, 0, 0, tzinfo=ZoneInfo("Europe/Paris"))
SECRET = "une-cle-de-test-assez-longue-pour-signer"


def test_a_token_names_its_list_and_address_and_nothing_else():
    token = make_token(SECRET, "digest:zoom-spatial-defense", " Alice@Pole.example.org ")
    assert re.fullmatch(r"[A-Za-z0-9_.-]+", token)
    assert read_token(SECRET, token) == ("digest:zoom-spatial-defense", "alice@pole.example.org")
    assert read_token(SECRET, make_token(SECRET, follow_list(7), "bob@pme.example.org")) == (
        "follow:7", "bob@pme.example.org")


def test_forged_altered_and_foreign_tokens_are_refused():
    token = make_token(SECRET, "digest:zoom-spatial-defense", "alice@pole.example.org")
    payload, signature = token.rsplit(".", 1)
    other = make_token(SECRET, "digest:direction", "alice@pole.example.org")
    forgeries = [
        other.rsplit(".", 1)[0] + "." + signature,              # another list under this token's signature
        payload + "." + signature[:-2] + ("AA" if not signature.endswith("AA") else "BB"),
        payload,                                                # signature cut off
        make_token("une-autre-cle-de-deploiement", "digest:zoom-spatial-defense", "alice@pole.example.org"),
        URLSafeSerializer(SECRET).dumps(["digest:zoom-spatial-defense", "alice@pole.example.org"], salt="csrftoken"),
        URLSafeSerializer(SECRET, salt=SALT).dumps(["admin", "alice@pole.example.org"]),   # signed, but no list
        URLSafeSerializer(SECRET, salt=SALT).dumps({"l": "digest:x", "a": "alice@pole.example.org"}),
        "", "n'importe quoi", "%00",
    ]
    for forged in forgeries:
        with pytest.raises(BadToken):
            read_token(SECRET, forged)
    with pytest.raises(ValueError):
        make_token(SECRET, "digest:../../etc", "alice@pole.example.org")


def test_opt_outs_are_per_list_idempotent_recorded_with_how_and_undone(tmp_path):
    with SendLog.of(tmp_path) as book:
        assert book.opt_out("digest:zoom-spatial-defense", "Alice@Pole.example.org", "web") is True
        assert book.opt_out("digest:zoom-spatial-defense", "alice@pole.example.org", "one-click") is False
        book.opt_out("follow:3", "alice@pole.example.org", "cli")
        book.opt_out("digest:zoom-spatial-defense", "bob@pme.example.org", "one-click")
        everyone = ["ALICE@pole.example.org", "bob@pme.example.org", "carol@pme.example.org"]
        assert book.opted_out("digest:zoom-spatial-defense", everyone) == {"ALICE@pole.example.org",
                                                                           "bob@pme.example.org"}
        assert book.opted_out("digest:direction", everyone) == set()
        rows = book.optouts("alice@pole.example.org")
        assert [(r["list"], r["how"]) for r in rows] == [("digest:zoom-spatial-defense", "web"), ("follow:3", "cli")]
        assert all(datetime.fromisoformat(r["opted_out_at"]) for r in rows)
        assert book.resubscribe("alice@pole.example.org", "follow:3") == 1
        assert book.resubscribe("alice@pole.example.org") == 1
        assert book.resubscribe("alice@pole.example.org") == 0
        assert [r["address"] for r in book.optouts()] == ["bob@pme.example.org"]
    with SendLog.of(tmp_path) as reopened:
        assert reopened.opted_out("digest:zoom-spatial-defense", ["bob@pme.example.org"])


def list_mail(base_url="https://veille.pole.example.org", **settings):
    mail = MailSettings(sender="veille@pole.example.org", **settings)
    return ListMail(**mail.model_dump(), list_id="digest:zoom-spatial-defense", base_url=base_url, secret=SECRET)


def sent(mail, recipient="alice@pole.example.org"):
    from reports.mailer import UNSUBSCRIBE

    message = compose(mail, recipient, "Essai", f'<p><a href="{UNSUBSCRIBE}">Se désabonner</a></p>',
                      f"Se désabonner : {UNSUBSCRIBE}", {}, "essai-2026-11-16")
    raw = message.as_bytes(policy=policy.SMTP)
    return raw, email.message_from_bytes(raw, policy=policy.default)


def test_each_message_carries_its_recipients_signed_link_then_the_mailto():
    raw, message = sent(list_mail())
    header = raw.split(b"\r\n\r\n", 1)[0].decode()
    assert "=?" not in header                  # never RFC 2047 words: a mail client could not follow the link
    link, mailto = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])
    assert link.startswith("https://veille.pole.example.org/desabonnement/")
    assert read_token(SECRET, link.rsplit("/", 1)[1]) == ("digest:zoom-spatial-defense", "alice@pole.example.org")
    assert mailto == "mailto:veille@pole.example.org?subject=d%C3%A9sabonnement"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f'href="{link}"' in message.get_body(("html",)).get_content()
    assert f"Se désabonner : {link}" in message.get_body(("plain",)).get_content()
    other = re.findall(r"<([^>]+)>", sent(list_mail(), "bob@pme.example.org")[1]["List-Unsubscribe"])[0]
    assert other != link


def test_without_https_there_is_no_one_click_and_an_override_wins():
    _, plain_http = sent(list_mail(base_url="http://127.0.0.1:8000"))
    assert plain_http["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/desabonnement/")
    assert plain_http["List-Unsubscribe-Post"] is None
    _, override = sent(list_mail(unsubscribe="https://pole.example.org/listes?quitter={email}"))
    assert override["List-Unsubscribe"] == "<https://pole.example.org/listes?quitter=alice@pole.example.org>"
    _, bare = sent(MailSettings(sender="veille@pole.example.org"))
    assert bare["List-Unsubscribe"] == "<mailto:veille@pole.example.org?subject=d%C3%A9sabonnement>"


def test_a_digest_skips_who_left_its_list_and_says_so(mail_config, smtp_server, index, tmp_path):
    config = mail_config.model_copy(deep=True)
    config.settings.mail.unsubscribe = ""
    config.settings.web.base_url = "https://veille.pole.example.org"
    profile = config.profile("zoom-spatial-defense")
    profile.recipients = ["alice@pole.example.org", "bob@pme.example.org"]
    with SendLog.of(config.data_dir) as book:
        book.opt_out(digest_list("zoom-spatial-defense"), "BOB@pme.example.org", "cli")
        book.opt_out(digest_list("energie-environnement"), "alice@pole.example.org", "cli")
    digest = build_digest(config, index, "zoom-spatial-defense", now=NOW)
    outcome = publish(config, index, digest, tmp_path / "digests", send=True)
    assert outcome.sent.sent == ["alice@pole.example.org"] and outcome.unsubscribed == ["bob@pme.example.org"]
    assert "zoom-spatial-defense : 1 destinataire(s) désabonné(s), non servi(s)" in outcome.notes
    assert smtp_server.recorder.copies("bob@pme.example.org") == 0
    [message] = smtp_server.recorder.messages()
    link = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])[0]
    assert read_token(session_secret(config), link.rsplit("/", 1)[1]) == ("digest:zoom-spatial-defense", "alice@pole.example.org")

    profile.recipients = ["bob@pme.example.org"]
    alone = publish(config, index, build_digest(config, index, "zoom-spatial-defense", now=NOW.replace(day=24)),
                    tmp_path / "digests", send=True)
    assert alone.sent is None and alone.unsubscribed == ["bob@pme.example.org"]
    assert len(smtp_server.recorder.received) == 1

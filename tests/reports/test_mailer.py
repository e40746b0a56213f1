"""The mailer against a real SMTP server on loopback: messages, refusals, dropped connections."""
from datetime import datetime
from zoneinfo import ZoneInfo

from reports.delivery import email_parts, send_digest
from reports.digest import build_digest
from reports.mailer import send_message
from reports.sendlog import SendLog

NOW = datetime(2026, 11, 23, 0, 0, tzinfo=ZoneInfo("Europe/Paris"))
PEOPLE = ["alice@pole.example.org", "bob@pme.example.org", "carol@pme.example.org", "dave@labo.example.org"]


def send(config, recipients, key="essai-2026-11-16", subject="Essai"):
    return send_message(config, recipients, subject, "<p>Bonjour <img src=\"cid:c@veille\"></p>", "Bonjour",
                        {"c@veille": b"\x89PNG\r\n\x1a\nfake"}, key=key)


def test_the_digest_arrives_as_alternative_text_and_html_with_its_chart(mail_config, smtp_server, index):
    digest = build_digest(mail_config, index, "zoom-spatial-defense", now=NOW)
    report = send_digest(mail_config, digest, ["alice@pole.example.org", "bob@pme.example.org"])
    assert report.sent == ["alice@pole.example.org", "bob@pme.example.org"] and report.ok
    messages = smtp_server.recorder.messages()
    assert len(messages) == 2
    ids = set()
    for message, address in zip(messages, report.sent):
        assert message["To"] == address
        assert message["Subject"] == "Zoom-Marché Spatial et Défense — du 16 au 22 novembre 2026"
        assert message["From"] == "veille <veille@pole.example.org>"
        unsubscribe = f"https://veille.example.org/desabonnement?email={address}"
        assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["Message-ID"].endswith("@pole.example.org>")
        ids.add(message["Message-ID"])
        assert message.get_content_type() == "multipart/alternative"
        plain, related = message.get_payload()
        assert plain.get_content_type() == "text/plain"
        assert related.get_content_type() == "multipart/related"
        html_part, image = related.get_payload()
        assert html_part.get_content_type() == "text/html" and image.get_content_type() == "image/png"
        assert image.get_payload(decode=True).startswith(b"\x89PNG")
        html, text = html_part.get_content(), plain.get_content()
        content_id = image["Content-ID"].strip("<>")
        assert f'src="cid:{content_id}"' in html
        for heading in ("Faits marquants", "Marché : Spatial", "Acteurs", "Tendances", "Marchés × thèmes",
                        "Appels à projets et événements", "Opportunités transversales"):
            assert heading in html and heading in text
        assert "http://127.0.0.1:8000/recherche?theme=optique-photonique&amp;market=spatial" in html
        assert "http://127.0.0.1:8000/recherche?theme=optique-photonique&market=spatial" in text
        assert f'<a href="{unsubscribe}"' in html and f"Se désabonner : {unsubscribe}" in text
    assert len(ids) == 2


def test_nobody_gets_two_copies_and_every_miss_is_reported_and_retried(mail_config, smtp_server):
    server = smtp_server.recorder
    alice, bob, carol, dave = PEOPLE

    server.refuse = {bob}                        # 1. one recipient refused
    first = send(mail_config, PEOPLE)
    assert first.sent == [alice, carol, dave]
    assert list(first.refused) == [bob] and "550" in first.refused[bob]
    assert any(bob in line and "nouvel essai" in line for line in first.problems())

    server.refuse, server.mode = set(), "refuse-all"   # 2. everyone refused: only bob is tried
    second = send(mail_config, PEOPLE)
    assert second.already_sent == [alice, carol, dave] and list(second.refused) == [bob]

    server.mode = "drop-after-data"              # 3. bob's copy arrives, but the answer never does
    third = send(mail_config, PEOPLE)
    assert third.sent == [] and list(third.unknown) == [bob]
    assert server.copies(bob) == 1

    server.mode = "ok"                           # 4. a normal run: the uncertain one is not resent
    fourth = send(mail_config, PEOPLE)
    assert fourth.sent == [] and list(fourth.unknown) == [bob]
    assert any("issue inconnue" in line for line in fourth.problems())
    for person in PEOPLE:
        assert server.copies(person) == 1, person

    with SendLog.of(mail_config.data_dir) as book:   # an operator checked: bob did not get it after all
        assert {r["recipient"]: r["status"] for r in book.rows("essai-2026-11-16")}[bob] == "unknown"
        assert book.release_unknown("essai-2026-11-16") == 1
    assert send(mail_config, PEOPLE).sent == [bob]


def test_a_connection_dropped_before_the_message_is_retried(mail_config, smtp_server):
    server = smtp_server.recorder
    server.mode = "drop-at-data"
    first = send(mail_config, PEOPLE[:2], key="coupure")
    assert first.sent == [] and set(first.refused) == set(PEOPLE[:2]) and not first.unknown
    assert server.received == []
    server.mode = "ok"
    second = send(mail_config, PEOPLE[:2], key="coupure")
    assert second.sent == PEOPLE[:2]
    assert [server.copies(p) for p in PEOPLE[:2]] == [1, 1]


def test_an_unreachable_server_is_a_miss_retried_later(mail_config, smtp_server):
    from smtpserver import free_port

    down = mail_config.model_copy(deep=True)
    down.settings.mail.port = free_port()         # nobody listens there
    report = send(down, PEOPLE[:1], key="panne")
    assert list(report.refused) == PEOPLE[:1] and "connexion SMTP impossible" in report.refused[PEOPLE[0]]
    assert send(mail_config, PEOPLE[:1], key="panne").sent == PEOPLE[:1]


def test_a_crash_during_data_counts_as_unknown(mail_config, smtp_server):
    with SendLog.of(mail_config.data_dir) as book:   # what a killed process leaves behind
        book.mark("crash", PEOPLE[0], "sending", message_id="<x@pole.example.org>")
    report = send(mail_config, PEOPLE[:2], key="crash")
    assert list(report.unknown) == [PEOPLE[0]] and report.sent == [PEOPLE[1]]


def test_message_ids_differ_per_digest_and_recipient(mail_config, smtp_server):
    send(mail_config, PEOPLE[:2], key="a")
    send(mail_config, PEOPLE[:2], key="b")
    ids = [m["Message-ID"] for m in smtp_server.recorder.messages()]
    assert len(set(ids)) == 4


def test_email_parts_refer_to_images_by_content_id(mail_config, index):
    digest = build_digest(mail_config, index, "zoom-spatial-defense", now=NOW)
    subject, html, text, images = email_parts(mail_config, digest)
    assert list(images) == ["volume-themes.png@veille"]
    assert 'src="cid:volume-themes.png@veille"' in html
    assert "volume-themes.png\"" not in html.replace("cid:volume-themes.png@veille", "")

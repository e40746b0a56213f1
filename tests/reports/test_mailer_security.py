"""The mailer's TLS and SMTP AUTH against real aiosmtpd servers on loopback.

Each test makes a throw-away CA with trustme and a server certificate for
127.0.0.1; the mailer trusts that CA only through `mail.ca_file`. A miss is
recorded as failed in the send log and retried: after the setting is fixed,
the next run delivers exactly one copy.
"""
import logging

import pytest
import trustme

from reports.mailer import send_message
from reports.sendlog import SendLog
from smtpserver import Channel, SMTPServer, server_tls_context
from veille.config import MailSettings

USER = "veille@pole.example.org"
PASSWORD = "s3cret-Relais-7f3c9e"
WRONG = "mauvais-Mot-de-passe-42"
ALICE = "alice@pole.example.org"
KEY = "essai-2026-11-16"


@pytest.fixture
def ca():
    return trustme.CA()


@pytest.fixture
def ca_file(ca, tmp_path):
    path = tmp_path / "ac-interne.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def base(config, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("VEILLE_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("VEILLE_SMTP_PASSWORD", PASSWORD)
    caplog.set_level(logging.DEBUG)
    return config


def mailing(config, server: SMTPServer, security: str, **mail):
    configured = config.model_copy(deep=True)
    configured.settings.mail = MailSettings(host="127.0.0.1", port=server.port, security=security, username=USER,
                                            sender=USER, timeout=10, **mail)
    return configured


def send(config):
    return send_message(config, [ALICE], "Essai", "<p>Bonjour</p>", "Bonjour", key=KEY)


def status_of(config, recipient: str) -> dict:
    with SendLog.of(config.data_dir) as book:
        return next(row for row in book.rows(KEY) if row["recipient"] == recipient)


def assert_no_secret(report, config, caplog):
    records = [record.getMessage() for record in caplog.records]
    assert records, "the test should see the mailer's and the server's log records"
    for secret in (PASSWORD, WRONG):
        for reason in report.refused.values():
            assert secret not in reason
        assert secret not in status_of(config, ALICE)["last_error"]
        for message in records:
            assert secret not in message


def assert_miss_then_one_copy(server: SMTPServer, first, fixed):
    """The miss was recorded as failed; the run after the fix sends one copy, the one after that none."""
    assert first.sent == [] and list(first.refused) == [ALICE] and not first.unknown
    assert status_of(fixed, ALICE)["status"] == "failed"
    assert send(fixed).sent == [ALICE]
    assert send(fixed).already_sent == [ALICE]
    assert server.recorder.copies(ALICE) == 1


def test_delivered_over_starttls_after_login(base, ca, ca_file):
    with SMTPServer(tls_context=server_tls_context(ca), require_starttls=True, users={USER: PASSWORD}) as server:
        report = send(mailing(base, server, "starttls", ca_file=ca_file))
    recorder = server.recorder
    assert report.sent == [ALICE] and report.ok
    assert recorder.verbs(tls=False) == ["EHLO", "STARTTLS"]
    assert recorder.verbs(tls=True)[:2] == ["EHLO", "AUTH"]
    assert recorder.logins == [(USER, True)]
    assert recorder.channels == [Channel(login=USER, tls=True)]
    [message] = recorder.messages()
    assert message["To"] == ALICE and message["Subject"] == "Essai"
    assert message.get_body(("plain",)).get_content().strip() == "Bonjour"


def test_delivered_over_implicit_tls_after_login(base, ca, ca_file):
    with SMTPServer(ssl_context=server_tls_context(ca), users={USER: PASSWORD}) as server:
        report = send(mailing(base, server, "tls", ca_file=ca_file))
    recorder = server.recorder
    assert report.sent == [ALICE] and report.ok
    assert recorder.verbs(tls=False) == []
    assert recorder.verbs()[:2] == ["EHLO", "AUTH"]
    assert recorder.logins == [(USER, True)]
    assert recorder.channels == [Channel(login=USER, tls=True)]
    [message] = recorder.messages()
    assert message["To"] == ALICE and message.get_body(("plain",)).get_content().strip() == "Bonjour"


def test_a_refused_login_is_reported_with_the_server_and_retried(base, ca, ca_file, monkeypatch, caplog):
    with SMTPServer(tls_context=server_tls_context(ca), require_starttls=True, users={USER: PASSWORD}) as server:
        configured = mailing(base, server, "starttls", ca_file=ca_file)
        monkeypatch.setenv("VEILLE_SMTP_PASSWORD", WRONG)
        first = send(configured)
        reason = first.refused.get(ALICE, "")
        assert f"127.0.0.1:{server.port}" in reason
        assert "mot de passe refusé" in reason and "535" in reason
        assert server.recorder.logins and all(not accepted for _, accepted in server.recorder.logins)
        assert server.recorder.received == []
        assert_no_secret(first, configured, caplog)

        monkeypatch.setenv("VEILLE_SMTP_PASSWORD", PASSWORD)
        assert_miss_then_one_copy(server, first, configured)
    assert_no_secret(first, configured, caplog)


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_an_untrusted_certificate_is_reported_and_nothing_is_sent(base, ca, ca_file, security, caplog):
    tls = server_tls_context(ca)
    security_of_server = {"tls_context": tls, "require_starttls": True} if security == "starttls" \
        else {"ssl_context": tls}
    with SMTPServer(users={USER: PASSWORD}, **security_of_server) as server:
        first = send(mailing(base, server, security))      # no ca_file: the private CA is not trusted
        reason = first.refused.get(ALICE, "")
        assert f"127.0.0.1:{server.port}" in reason
        assert "certificat TLS du serveur refusé" in reason and "mail.ca_file" in reason
        assert server.recorder.verbs(tls=False) == (["EHLO", "STARTTLS"] if security == "starttls" else [])
        assert server.recorder.verbs(tls=True) == []
        assert server.recorder.logins == [] and server.recorder.received == []
        fixed = mailing(base, server, security, ca_file=ca_file)
        assert_no_secret(first, fixed, caplog)
        assert_miss_then_one_copy(server, first, fixed)


def test_a_certificate_for_another_host_is_refused(base, ca, ca_file):
    context = server_tls_context(ca)
    ca.issue_cert("relais.example.org").configure_cert(context)
    with SMTPServer(ssl_context=context, users={USER: PASSWORD}) as server:
        first = send(mailing(base, server, "tls", ca_file=ca_file))
    reason = first.refused.get(ALICE, "")
    assert f"127.0.0.1:{server.port}" in reason
    assert "certificat TLS du serveur refusé" in reason and "mail.host" in reason
    assert server.recorder.logins == [] and server.recorder.received == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_starttls_configured_but_not_offered_sends_nothing_in_clear(base, ca, ca_file, caplog):
    # A server (or a man in the middle stripping STARTTLS) that would take AUTH and mail in clear.
    with SMTPServer(users={USER: PASSWORD}, auth_require_tls=False) as clear:
        first = send(mailing(base, clear, "starttls", ca_file=ca_file))
        reason = first.refused.get(ALICE, "")
        assert f"127.0.0.1:{clear.port}" in reason
        assert "ne propose pas STARTTLS" in reason and "en clair refusé" in reason
        assert clear.recorder.verbs() == ["EHLO"]
        assert clear.recorder.logins == [] and clear.recorder.received == []
        assert_no_secret(first, mailing(base, clear, "starttls"), caplog)

    with SMTPServer(tls_context=server_tls_context(ca), require_starttls=True, users={USER: PASSWORD}) as relay:
        assert_miss_then_one_copy(relay, first, mailing(base, relay, "starttls", ca_file=ca_file))
    assert clear.recorder.received == []


def test_ca_file_must_be_an_absolute_path():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="chemin absolu attendu"):
        MailSettings(host="relais.example.org", ca_file="ac-interne.pem")
    assert MailSettings(ca_file="~/ac-interne.pem").ca_file == "~/ac-interne.pem"


def test_an_unusable_ca_file_stops_before_connecting(base, tmp_path):
    from reports.mailer import MailNotConfigured

    with SMTPServer() as server:
        with pytest.raises(MailNotConfigured, match="mail.ca_file introuvable"):
            send(mailing(base, server, "starttls", ca_file=str(tmp_path / "absent.pem")))
        (tmp_path / "vide.pem").write_text("pas un certificat\n")
        with pytest.raises(MailNotConfigured, match="aucun certificat PEM lisible"):
            send(mailing(base, server, "starttls", ca_file=str(tmp_path / "vide.pem")))
    assert server.recorder.commands == []


def test_a_login_in_clear_text_is_refused_off_this_machine(base):
    from reports.mailer import MailNotConfigured

    remote = base.model_copy(deep=True)
    remote.settings.mail = MailSettings(host="relais.example.org", port=25, security="none", username=USER,
                                        sender=USER, timeout=10)
    with pytest.raises(MailNotConfigured, match="authentification en clair refusée vers relais.example.org"):
        send(remote)


def test_a_non_ascii_password_is_refused_in_french_before_connecting(base, ca, ca_file, monkeypatch):
    from reports.mailer import MailNotConfigured

    monkeypatch.setenv("VEILLE_SMTP_PASSWORD", "mot-de-passe-accentué")
    with SMTPServer(tls_context=server_tls_context(ca), users={USER: PASSWORD}) as server:
        with pytest.raises(MailNotConfigured, match="non ASCII"):
            send(mailing(base, server, "starttls", ca_file=ca_file))
    assert server.recorder.commands == []

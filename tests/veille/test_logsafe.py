"""Secrets from the environment never reach a log line."""
import logging

from veille.logsafe import MASK, SecretFilter, redact, secret_values, setup_logging


def test_url_passwords_are_masked():
    text = "connexion à https://elastic:Zx9-pw@es.example.org:9243 refusée"
    assert redact(text, []) == f"connexion à https://elastic:{MASK}@es.example.org:9243 refusée"


def test_values_of_secret_variables_are_masked(monkeypatch):
    monkeypatch.setenv("VEILLE_SMTP_PASSWORD", "tr0ub4dor&3")
    monkeypatch.setenv("VEILLE_ES_URL", "https://veille:hunter22@es.internal:9200")
    monkeypatch.setenv("VEILLE_DATA", "/srv/veille")  # not a secret: kept readable
    secrets = secret_values()
    assert "tr0ub4dor&3" in secrets and "hunter22" in secrets and "/srv/veille" not in secrets
    line = redact("login failed for tr0ub4dor&3 with password hunter22 in /srv/veille", secrets)
    assert "tr0ub4dor&3" not in line and "hunter22" not in line and "/srv/veille" in line


def test_named_variables_are_secret_too(monkeypatch):
    monkeypatch.setenv("ES_PROD", "abcdef-api-key")
    assert "abcdef-api-key" in secret_values(["ES_PROD"])


def test_the_installed_handler_masks_messages_arguments_and_tracebacks(monkeypatch, capsys):
    monkeypatch.setenv("VEILLE_SMTP_PASSWORD", "s3cr3t-value")
    setup_logging(secret_env=[])
    log = logging.getLogger("veille.test")
    log.warning("trying %s", "user:s3cr3t-value")
    try:
        raise ConnectionError("auth failed for https://bot:s3cr3t-value@smtp.example.org")
    except ConnectionError:
        log.exception("send failed")
    err = capsys.readouterr().err
    assert "s3cr3t-value" not in err
    assert "trying user:***" in err and "ConnectionError" in err


def test_filter_leaves_plain_records_alone():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "stage=%s articles=%d", ("crawl", 3), None)
    SecretFilter([]).filter(record)
    assert record.getMessage() == "stage=crawl articles=3"

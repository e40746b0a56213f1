"""Logging set-up: one line per event, never a secret.

Secrets reach veille only through environment variables (the settings name
them). `SecretFilter` masks, in every record a handler emits, the values of
those variables and the password part of any URL (`https://user:pw@host`), so a
traceback or a URL in an error message cannot leak them to a log file.
"""
from __future__ import annotations

import logging
import os
import re
import sys

MASK = "***"
URL_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/@\s]*):(?P<pw>[^@/\s]+)@", re.I)
SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|APIKEY|_URL)$", re.I)
MIN_SECRET_LENGTH = 4


def secret_values(names: list[str] = ()) -> list[str]:
    """Values of the named variables and of every VEILLE_* variable whose name says secret."""
    wanted = set(names) | {n for n in os.environ if n.startswith("VEILLE_") and SECRET_NAME.search(n)}
    values = {os.environ[n] for n in wanted if len(os.environ.get(n, "")) >= MIN_SECRET_LENGTH}
    for value in list(values):  # the password alone, when a URL carries one
        match = URL_PASSWORD.search(value)
        if match:
            values.add(match.group("pw"))
    return sorted(values, key=len, reverse=True)


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, MASK)
    return URL_PASSWORD.sub(lambda m: f"{m.group('scheme')}{m.group('user')}:{MASK}@", text)


class SecretFilter(logging.Filter):
    def __init__(self, secrets: list[str]):
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = redact(message, self.secrets), None
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        return True


def setup_logging(verbose: bool = False, secret_env: list[str] = ()) -> None:
    """Log to stderr: warnings only on a terminal (progress is shown there), info lines otherwise."""
    level = logging.DEBUG if verbose else (logging.WARNING if sys.stderr.isatty() else logging.INFO)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(SecretFilter(secret_values(list(secret_env))))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "veille", False)]:
        root.removeHandler(old)
    handler.veille = True
    root.addHandler(handler)
    root.setLevel(level)
    # one line per Elasticsearch request would drown the one line per stage and per run
    logging.getLogger("elastic_transport").setLevel(level if verbose else logging.WARNING)

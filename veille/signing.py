"""The deployment's signing key: web sessions, CSRF tokens and unsubscribe links.

It lives outside `veille.web` so that `reports/` (which signs each recipient's
unsubscribe link) can use it without depending on the web app. Each use signs
under its own salt or namespace, so a value signed for one is never valid for
another. Changing the key logs everyone out and invalidates every unsubscribe
link already mailed.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from veille.config import Config


def session_secret(config: Config) -> str:
    """The signing key: from the environment, else generated once and kept in the data folder (0600)."""
    value = os.environ.get(config.settings.web.secret_env)
    if value:
        return value
    path: Path = config.data_dir / "web-secret"
    if not path.exists():
        config.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
    return path.read_text().strip()

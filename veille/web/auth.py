"""Who is asking: local accounts (argon2 hashes) or a trusted reverse proxy's header (SSO)."""
from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from veille.config import Config

USERNAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
hasher = PasswordHasher()
MIN_PASSWORD = 10
# verified against when the user does not exist, so both cases take the same time
_DUMMY_HASH = hasher.hash("veille-no-such-user")


class AuthError(ValueError):
    pass


def check_new_account(username: str, password: str) -> None:
    if not USERNAME.match(username):
        raise AuthError("identifiant invalide : lettres, chiffres, « . _ @ - », 64 caractères au plus")
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"mot de passe trop court : {MIN_PASSWORD} caractères au moins")


def hash_password(password: str) -> str:
    return hasher.hash(password)


def verify_password(stored_hash: Optional[str], password: str) -> bool:
    try:
        return hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def session_secret(config: Config) -> str:
    """The session signing key: from the environment, else generated once and kept in the data folder (0600)."""
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


def proxy_user(config: Config, client_host: Optional[str], headers) -> Optional[str]:
    """The user named by the reverse proxy, only when the request comes from a trusted proxy."""
    web = config.settings.web
    if web.auth != "proxy" or client_host not in web.trusted_proxies:
        return None
    name = (headers.get(web.proxy_header) or "").strip()
    return name if USERNAME.match(name) else None

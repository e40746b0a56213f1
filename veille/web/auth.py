"""Who is asking: local accounts (argon2 hashes) or a trusted reverse proxy's header (SSO)."""
from __future__ import annotations

import re
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


def proxy_user(config: Config, client_host: Optional[str], headers) -> Optional[str]:
    """The user named by the reverse proxy, only when the request comes from a trusted proxy."""
    web = config.settings.web
    if web.auth != "proxy" or client_host not in web.trusted_proxies:
        return None
    name = (headers.get(web.proxy_header) or "").strip()
    return name if USERNAME.match(name) else None

"""Unsubscribe links: one signed token per recipient and list.

A list is what a message belongs to: "digest:<profile id>" or
"follow:<saved search id>". A token names one list and one address, signed
with the deployment's key (veille.signing) under a salt of its own, so a
session cookie or a CSRF token is never a valid token, nor the reverse. It
does not expire: a link in an old digest must still work. Its page is
`<web.base_url>/desabonnement/<token>` (veille/web/unsubscribe.py); opt-outs
are kept in the send log (reports/sendlog.py).

    config = for_list(config, digest_list(profile_id))
    send_message(config, recipients, ...)   # each message carries its recipient's link
"""
from __future__ import annotations

import re

from itsdangerous import BadSignature, URLSafeSerializer
from pydantic import SecretStr

from veille.config import Config, MailSettings
from veille.signing import session_secret

SALT = "veille.desabonnement"
LIST_ID = re.compile(r"^(digest|follow):[A-Za-z0-9._-]{1,100}$")


class BadToken(ValueError):
    """Not a token we signed (forged, altered, cut, or signed with another key)."""


def digest_list(profile_id: str) -> str:
    return f"digest:{profile_id}"


def follow_list(search_id: int) -> str:
    return f"follow:{search_id}"


def check_list(list_id: str) -> str:
    if not LIST_ID.match(list_id):
        raise ValueError(f"liste inconnue : {list_id!r} (digest:<profil> ou follow:<numéro de recherche suivie>)")
    return list_id


def make_token(secret: str, list_id: str, address: str) -> str:
    return URLSafeSerializer(secret, salt=SALT).dumps([check_list(list_id), address.strip().lower()])


def read_token(secret: str, token: str) -> tuple[str, str]:
    """(list, address) of a token; BadToken unless we signed it."""
    try:
        value = URLSafeSerializer(secret, salt=SALT).loads(token)
    except (BadSignature, UnicodeError, ValueError) as exc:
        raise BadToken("jeton de désabonnement invalide") from exc
    if (not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, str) for v in value)
            or not LIST_ID.match(value[0]) or "@" not in value[1]):
        raise BadToken("jeton de désabonnement invalide")
    return value[0], value[1]


class ListMail(MailSettings):
    """Mail settings for sending one list: what `reports.mailer.compose` needs to sign each link."""
    list_id: str
    base_url: str
    secret: SecretStr

    def link(self, recipient: str) -> str:
        token = make_token(self.secret.get_secret_value(), self.list_id, recipient)
        return f"{self.base_url.rstrip('/')}/desabonnement/{token}"


def for_list(config: Config, list_id: str) -> Config:
    """`config` whose mail settings give each message of `list_id` its recipient's unsubscribe link
    (unchanged when settings' mail.unsubscribe overrides the link)."""
    if config.settings.mail.unsubscribe:
        return config
    mail = ListMail(**config.settings.mail.model_dump(), list_id=check_list(list_id),
                    base_url=config.settings.web.base_url, secret=SecretStr(session_secret(config)))
    return config.model_copy(update={"settings": config.settings.model_copy(update={"mail": mail})})

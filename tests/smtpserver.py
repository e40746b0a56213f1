"""A real SMTP server on loopback (aiosmtpd) whose behaviour a test can switch.

Modes: "ok"; "refuse-all" (every RCPT gets 550); "drop-at-data" (the
connection is closed when DATA is sent, before 354: nothing was handed over);
"drop-after-data" (the message is received and kept, then the connection is
closed without the final answer: the sender cannot know it arrived).
`refuse` holds addresses refused in any mode.

Security, chosen when the server is made: `tls_context` offers STARTTLS
(`require_starttls` refuses mail before it), `ssl_context` speaks TLS from
the first byte (implicit TLS, port 465 style), `users` (name -> password)
requires AUTH, over TLS only unless `auth_require_tls=False`.
`server_tls_context(ca)` gives a context with a certificate for 127.0.0.1
issued by a throw-away trustme CA. The recorder keeps every command with
whether it came over TLS, every AUTH attempt, and the session of each message.
"""
from __future__ import annotations

import email
import functools
import socket
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from typing import Optional

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


@dataclass
class Channel:
    """The session a message arrived on."""
    login: Optional[str]
    tls: bool


class Recorder:
    def __init__(self):
        self.mode = "ok"
        self.refuse: set[str] = set()
        self.received: list[tuple[list[str], bytes]] = []   # (envelope recipients, raw message)
        self.channels: list[Channel] = []                     # one per message in `received`
        self.commands: list[tuple[str, bool]] = []            # (verb, over TLS), every session
        self.logins: list[tuple[str, bool]] = []              # (user name, accepted), every AUTH

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "refuse-all" or address in self.refuse:
            return "550 5.1.1 Destinataire refuse"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        login = session.auth_data.login.decode() if session.authenticated else None
        self.channels.append(Channel(login, _over_tls(server)))
        if self.mode == "drop-after-data":
            server.transport.close()
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(raw, policy=policy.default) for _, raw in self.received]

    def copies(self, address: str) -> int:
        return sum(address in rcpts for rcpts, _ in self.received)

    def verbs(self, tls: Optional[bool] = None) -> list[str]:
        """Commands received, all or only those sent in clear (tls=False) or over TLS (tls=True)."""
        return [verb for verb, secure in self.commands if tls is None or secure == tls]


class _Accounts:
    """aiosmtpd authenticator: LOGIN and PLAIN against a name -> password table."""

    def __init__(self, recorder: Recorder, users: dict[str, str]):
        self.recorder, self.users = recorder, users

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace")
        accepted = login in self.users and self.users[login].encode() == auth_data.password
        self.recorder.logins.append((login, accepted))
        return AuthResult(success=accepted, handled=False, auth_data=auth_data if accepted else None)


def _over_tls(server: SMTP) -> bool:
    return server.transport is not None and server.transport.get_extra_info("ssl_object") is not None


class _SwitchableSMTP(SMTP):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._smtp_methods = {verb: self._recorded(verb, method) for verb, method in self._smtp_methods.items()}

    def _recorded(self, verb, method):
        @functools.wraps(method)
        async def record(arg):
            self.event_handler.commands.append((verb, _over_tls(self)))
            return await method(arg)
        return record

    async def smtp_DATA(self, arg):
        if self.event_handler.mode == "drop-at-data":
            self.transport.close()
            return
        return await super().smtp_DATA(arg)


class _Controller(Controller):
    def factory(self):
        server = _SwitchableSMTP(self.handler, **self.SMTP_kwargs)
        if self.ssl_context is not None:   # aiosmtpd counts only STARTTLS as TLS (aio-libs/aiosmtpd#281)
            server._auth_require_tls = False
        return server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_tls_context(ca) -> ssl.SSLContext:
    """A server context with a certificate for 127.0.0.1 issued by `ca` (a trustme.CA)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


class SMTPServer:
    def __init__(self, *, tls_context: Optional[ssl.SSLContext] = None, require_starttls: bool = False,
                 ssl_context: Optional[ssl.SSLContext] = None, users: Optional[dict[str, str]] = None,
                 auth_require_tls: bool = True):
        self.recorder = Recorder()
        self.port = free_port()
        security: dict = {}
        if tls_context is not None:
            security.update(tls_context=tls_context, require_starttls=require_starttls)
        if users is not None:
            security.update(authenticator=_Accounts(self.recorder, users), auth_required=True,
                            auth_require_tls=auth_require_tls)
        self.controller = _Controller(self.recorder, hostname="127.0.0.1", port=self.port,
                                      ssl_context=ssl_context, **security)

    def __enter__(self) -> "SMTPServer":
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

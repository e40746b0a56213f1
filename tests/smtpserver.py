"""A real SMTP server on loopback (aiosmtpd) whose behaviour a test can switch.

Modes: "ok"; "refuse-all" (every RCPT gets 550); "drop-at-data" (the
connection is closed when DATA is sent, before 354: nothing was handed over);
"drop-after-data" (the message is received and kept, then the connection is
closed without the final answer: the sender cannot know it arrived).
`refuse` holds addresses refused in any mode.
"""
from __future__ import annotations

import email
import socket
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class Recorder:
    def __init__(self):
        self.mode = "ok"
        self.refuse: set[str] = set()
        self.received: list[tuple[list[str], bytes]] = []   # (envelope recipients, raw message)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "refuse-all" or address in self.refuse:
            return "550 5.1.1 Destinataire refuse"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        if self.mode == "drop-after-data":
            server.transport.close()
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(raw, policy=policy.default) for _, raw in self.received]

    def copies(self, address: str) -> int:
        return sum(address in rcpts for rcpts, _ in self.received)


class _SwitchableSMTP(SMTP):
    async def smtp_DATA(self, arg):
        if self.event_handler.mode == "drop-at-data":
            self.transport.close()
            return
        return await super().smtp_DATA(arg)


class _Controller(Controller):
    def factory(self):
        return _SwitchableSMTP(self.handler, **self.SMTP_kwargs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPServer:
    def __init__(self):
        self.recorder = Recorder()
        self.port = free_port()
        self.controller = _Controller(self.recorder, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SMTPServer":
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

"""Email sending for digests and followed searches, with the per-recipient send log.

    report = send_message(config, recipients, subject, html, text, images, key)

`images` maps a Content-ID (e.g. "volume-themes.png@veille") to PNG bytes;
the HTML refers to each as `src="cid:<that id>"`. `key` names the message
(a digest's "<profile>-<date>", a notice's key): with the send log it makes
a re-run send nothing twice. One message per recipient, each with its own
Message-ID (derived from key and recipient, so a deliberate resend keeps it)
and List-Unsubscribe.

Outcomes per recipient (see reports/sendlog.py): sent; refused or failed
(retried next run); unknown (the connection dropped during DATA: never
resent automatically, reported until an operator releases it). Headers are
built by the standard library's email API after clean_line: no crawled or
typed string can add a header. The SMTP password is read from the variable
named by `mail.password_env` and never logged.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import smtplib
import ssl
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from typing import Mapping, Optional, Sequence

from reports.sendlog import DONE, UNCERTAIN, SendLog
from reports.text import clean_line
from reports.unsubscribe import ListMail
from veille.config import Config, MailSettings

log = logging.getLogger("veille.mailer")
ADDRESS = re.compile(r"^[^@\s<>,;\"()]+@[^@\s<>,;\"()]+\.[^@\s<>,;\"()]+$")


class MailNotConfigured(RuntimeError):
    """settings.yaml has no mail.host: nothing can be sent."""


@dataclass
class SendReport:
    key: str
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)    # address -> reason; retried next run
    unknown: dict[str, str] = field(default_factory=dict)    # address -> reason; not resent automatically

    @property
    def ok(self) -> bool:
        return not self.refused and not self.unknown

    def problems(self) -> list[str]:
        """One French line per miss, for the run report."""
        lines = [f"{self.key} : {address} non servi ({reason}) ; nouvel essai au prochain passage"
                 for address, reason in self.refused.items()]
        lines += [f"{self.key} : {address} — issue inconnue ({reason}) ; pas de nouvel envoi automatique "
                  f"(vérifier, puis `veille digest resend-unknown {self.key}`)"
                  for address, reason in self.unknown.items()]
        return lines


def message_id(key: str, recipient: str, sender: str) -> str:
    domain = sender.rsplit("@", 1)[-1] if "@" in sender else "veille.invalid"
    local = re.sub(r"[^A-Za-z0-9.-]", "-", key)[:80]
    digest = hashlib.sha256(recipient.lower().encode()).hexdigest()[:16]
    return f"<{local}.{digest}@{domain}>"


def unsubscribe_address(mail: MailSettings, recipient: str) -> str:
    """Where `recipient` unsubscribes (the body's link, List-Unsubscribe's first entry): settings'
    mail.unsubscribe with `{email}` filled in; else the web app's signed page for the message's list
    (mail settings from reports.unsubscribe.for_list); else a mailto: to the sender."""
    from urllib.parse import quote

    if mail.unsubscribe:
        return mail.unsubscribe.replace("{email}", quote(recipient, safe="@"))
    if isinstance(mail, ListMail):
        return mail.link(recipient)
    return unsubscribe_mailto(mail)


def unsubscribe_mailto(mail: MailSettings) -> str:
    return f"mailto:{mail.sender}?subject=d%C3%A9sabonnement"


class _URLList(str):
    """A List-Unsubscribe value, folded only between its <entries>: the default folding turns a
    long URL into RFC 2047 encoded words, which no mail client reads as a link."""

    def __new__(cls, name: str, entries: Sequence[str]):
        entries = [clean_line(entry) for entry in entries]
        value = super().__new__(cls, ", ".join(f"<{entry}>" for entry in entries))
        value.name, value.entries = name, entries
        return value

    def fold(self, *, policy) -> str:
        return f"{self.name}: " + f",{policy.linesep} ".join(f"<{e}>" for e in self.entries) + policy.linesep


UNSUBSCRIBE = "%%unsubscribe%%"   # in html/text: replaced by each recipient's unsubscribe address


def compose(mail: MailSettings, recipient: str, subject: str, html: str, text: str,
            images: Mapping[str, bytes], key: str) -> EmailMessage:
    """multipart/alternative: text/plain, then multipart/related (text/html + PNG images)."""
    from html import escape
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = clean_line(subject)[:250] or "veille"
    message["From"] = formataddr(("veille", mail.sender))
    message["To"] = recipient
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id(key, recipient, mail.sender)
    unsubscribe = unsubscribe_address(mail, recipient)
    entries = [unsubscribe] if mail.unsubscribe else list(dict.fromkeys([unsubscribe, unsubscribe_mailto(mail)]))
    message["List-Unsubscribe"] = _URLList("List-Unsubscribe", entries)
    if unsubscribe.startswith("https://"):
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text.replace(UNSUBSCRIBE, unsubscribe), subtype="plain", charset="utf-8",
                        cte="quoted-printable")
    message.add_alternative(html.replace(UNSUBSCRIBE, escape(unsubscribe)), subtype="html", charset="utf-8",
                            cte="quoted-printable")
    html_part = message.get_payload()[1]
    for content_id, png in images.items():
        html_part.add_related(png, maintype="image", subtype="png", cid=f"<{content_id}>",
                              filename=content_id.split("@", 1)[0])
    return message


def connect(mail: MailSettings) -> smtplib.SMTP:
    """An authenticated SMTP session (TLS from the start, STARTTLS, or plain for loopback tests).

    TLS always verifies the certificate chain (system CAs plus `mail.ca_file`) and the host name.
    With starttls, a server that does not offer STARTTLS gets nothing but EHLO: no AUTH, no message.
    """
    if not mail.host:
        raise MailNotConfigured("aucun serveur SMTP configuré (settings.yaml : mail.host)")
    if mail.username:
        _check_credentials(mail)
    context = ssl.create_default_context()
    if mail.ca_file:
        from pathlib import Path

        try:
            context.load_verify_locations(cafile=str(Path(mail.ca_file).expanduser()))
        except FileNotFoundError as exc:
            raise MailNotConfigured(f"mail.ca_file introuvable : {mail.ca_file}") from exc
        except ssl.SSLError as exc:
            raise MailNotConfigured(f"mail.ca_file ne contient aucun certificat PEM lisible : {mail.ca_file}") from exc
        except OSError as exc:
            raise MailNotConfigured(f"mail.ca_file illisible : {mail.ca_file} ({exc.__class__.__name__})") from exc
    if mail.security == "tls":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(mail.host, mail.port, timeout=mail.timeout, context=context)
    else:
        smtp = smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout)
    try:
        smtp.ehlo()
        if mail.security == "starttls":
            if not smtp.has_extn("starttls"):
                raise smtplib.SMTPNotSupportedError(
                    "le serveur ne propose pas STARTTLS : envoi en clair refusé (mail.security: starttls)")
            smtp.starttls(context=context)
            smtp.ehlo()
        if mail.username:
            if not smtp.has_extn("auth"):
                raise smtplib.SMTPNotSupportedError(
                    "le serveur ne propose pas l'authentification (AUTH) sur cette connexion")
            smtp.login(mail.username, os.environ[mail.password_env])
    except BaseException:
        _close(smtp)
        raise
    return smtp


def _check_credentials(mail: MailSettings) -> None:
    """Refused before connecting: a login in clear text off this machine, or one smtplib cannot encode."""
    password = os.environ.get(mail.password_env, "")
    if not password:
        raise MailNotConfigured(f"mot de passe SMTP absent : variable {mail.password_env} vide")
    if mail.security == "none" and not _loopback(mail.host):
        raise MailNotConfigured(f"authentification en clair refusée vers {mail.host} : "
                                f"mail.security doit valoir starttls ou tls")
    if not (mail.username + password).isascii():
        raise MailNotConfigured("identifiant ou mot de passe SMTP non ASCII : la bibliothèque SMTP de "
                                "Python ne sait pas l'envoyer ; choisir un mot de passe sans accents")


def _loopback(host: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class _Refused(Exception):
    """The server answered no: nothing was delivered."""


class _Uncertain(Exception):
    """The connection dropped after the body was handed over: outcome unknown."""


def _wire(message: EmailMessage) -> bytes:
    data = message.as_bytes(policy=policy.SMTP)
    data = re.sub(rb"(?m)^\.", b"..", data)   # dot-stuffing (RFC 5321, 4.5.2)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def _transaction(smtp: smtplib.SMTP, sender: str, recipient: str, data: bytes, before_data) -> None:
    """MAIL, RCPT, DATA by hand, so we know whether the body may have been accepted."""
    code, answer = smtp.mail(sender)
    if code != 250:
        raise _Refused(f"MAIL FROM refusé : {code} {_text(answer)}")
    code, answer = smtp.rcpt(recipient)
    if code not in (250, 251):
        raise _Refused(f"destinataire refusé : {code} {_text(answer)}")
    before_data()
    smtp.putcmd("data")
    code, answer = smtp.getreply()
    if code != 354:
        raise _Refused(f"DATA refusé : {code} {_text(answer)}")
    try:
        smtp.send(data + b".\r\n")
        code, answer = smtp.getreply()
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _Uncertain(f"connexion perdue après l'envoi du message : {exc.__class__.__name__}") from exc
    if code != 250:
        raise _Refused(f"message refusé : {code} {_text(answer)}")


def send_message(config: Config, recipients: Sequence[str], subject: str, html: str, text: str,
                 images: Optional[Mapping[str, bytes]] = None, key: str = "",
                 sendlog: Optional[SendLog] = None) -> SendReport:
    """Send to each recipient who has not had this `key` yet; see the module docstring."""
    if not key:
        raise ValueError("send_message needs a key (it is what prevents duplicates)")
    mail = config.settings.mail
    owned = sendlog is None
    book = sendlog or SendLog.of(config.data_dir)
    report = SendReport(key=key)
    try:
        todo = []
        for recipient in dict.fromkeys(r.strip() for r in recipients):
            status = book.status(key, recipient)
            if status in DONE:
                report.already_sent.append(recipient)
            elif status in UNCERTAIN:
                book.mark(key, recipient, "unknown", error="issue inconnue lors d'un envoi précédent")
                report.unknown[recipient] = "issue inconnue lors d'un envoi précédent"
            elif not ADDRESS.match(recipient):
                book.mark(key, recipient, "refused", error="adresse invalide")
                report.refused[recipient] = "adresse invalide"
            else:
                todo.append(recipient)
        if todo:
            _send_all(mail, book, report, todo, subject, html, text, images or {}, key)
    finally:
        if owned:
            book.close()
    log.info("mail key=%s sent=%d already=%d refused=%d unknown=%d", key, len(report.sent),
             len(report.already_sent), len(report.refused), len(report.unknown))
    return report


def _send_all(mail: MailSettings, book: SendLog, report: SendReport, todo: list[str], subject: str,
              html: str, text: str, images: Mapping[str, bytes], key: str) -> None:
    try:
        smtp: Optional[smtplib.SMTP] = connect(mail)
    except (OSError, smtplib.SMTPException) as exc:
        from veille.logsafe import redact, secret_values

        reason = redact(f"connexion SMTP impossible avec {mail.host}:{mail.port} : {_reason(exc)}",
                        secret_values([mail.password_env]))
        log.warning("mail key=%s: %s", key, reason)
        for recipient in todo:
            book.mark(key, recipient, "failed", error=reason)
            report.refused[recipient] = reason
        return
    try:
        for recipient in todo:
            if smtp is None:
                book.mark(key, recipient, "failed", error="connexion perdue plus tôt")
                report.refused[recipient] = "connexion perdue plus tôt"
                continue
            message = compose(mail, recipient, subject, html, text, images, key)
            identifier = message["Message-ID"]
            try:
                _transaction(smtp, mail.sender, recipient, _wire(message),
                             lambda: book.mark(key, recipient, "sending", message_id=identifier))
            except _Refused as exc:
                book.mark(key, recipient, "refused", error=str(exc))
                report.refused[recipient] = str(exc)
                smtp = _reset(smtp)
            except _Uncertain as exc:
                book.mark(key, recipient, "unknown", error=str(exc))
                report.unknown[recipient] = str(exc)
                _close(smtp)
                smtp = None
            except (smtplib.SMTPException, OSError) as exc:   # before DATA: nothing was handed over
                book.mark(key, recipient, "failed", error=_reason(exc))
                report.refused[recipient] = _reason(exc)
                _close(smtp)
                smtp = None
            else:
                book.mark(key, recipient, "sent", message_id=identifier)
                report.sent.append(recipient)
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                _close(smtp)


def _reset(smtp: smtplib.SMTP) -> Optional[smtplib.SMTP]:
    try:
        smtp.rset()
        return smtp
    except (smtplib.SMTPException, OSError):
        _close(smtp)
        return None


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.close()
    except OSError:
        pass


def _text(answer: bytes | str) -> str:
    value = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    return clean_line(value)[:200]


def _reason(exc: BaseException) -> str:
    """A short reason without secrets (SMTP answers, class names; never credentials)."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (f"identifiant ou mot de passe refusé par le serveur ({exc.smtp_code} {_text(exc.smtp_error)}) ; "
                f"vérifier mail.username et le mot de passe (variable nommée par mail.password_env)")
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return clean_line(str(exc))[:200]
    if isinstance(exc, ssl.SSLCertVerificationError):
        detail = clean_line(exc.verify_message or str(exc))[:120]
        if exc.verify_code in (62, 64):   # X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH
            return f"certificat TLS du serveur refusé ({detail}) : il ne porte pas le nom donné dans mail.host"
        return (f"certificat TLS du serveur refusé ({detail}) ; "
                f"si le relais a une autorité de certification interne, la déclarer dans mail.ca_file")
    if isinstance(exc, ssl.SSLError):
        return (f"échec de la négociation TLS ({clean_line(exc.reason or str(exc))[:120]}) ; "
                f"vérifier mail.port et mail.security")
    return f"{exc.__class__.__name__} : {clean_line(str(exc))[:200]}"

"""Email over SMTP (aiosmtplib): plain text, plus an HTML alternative when the message has markdown.

The Message-ID is derived from event_id, so a resend after an unknown outcome (a timeout or a dropped connection
after DATA) carries the same Message-ID and X-Luoshi-Event-Id, and mail systems or people that care can see it is
the same notice. SMTP cannot promise exactly-once: if the server accepted the message and we never heard its
"250", the retry is a second copy. Most receiving systems do not dedupe on Message-ID.

Classification: a 5xx reply (recipient unknown, sender refused, authentication failed, message rejected) and a
server that lacks something the config requires (STARTTLS, AUTH) are permanent; 4xx replies, timeouts, refused
or dropped connections are retried.
"""

from __future__ import annotations

import email.policy
import html
import re
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate
from typing import Literal
from urllib.parse import quote

import aiosmtplib
import httpx
from pydantic import Field, SecretStr, field_validator, model_validator

from luoshi_notify.channels.base import ChannelBase, OutboundMessage, SendResult, no_crlf

_ADDRESS = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+")


class EmailConfig(ChannelBase):
    kind: Literal["email"] = "email"
    host: str
    port: int = Field(default=587, ge=1, le=65535)
    username: str | None = None
    password: SecretStr | None = None
    starttls: bool = True  # upgrade a plain connection (port 587); the server must offer it
    ssl: bool = False  # implicit TLS from the first byte (port 465)
    verify_tls: bool = True
    from_address: str
    from_name: str | None = None
    message_id_domain: str | None = None  # defaults to the from address's domain
    timeout_seconds: float = Field(default=30.0, gt=0, le=300)

    @field_validator("from_address")
    @classmethod
    def _from(cls, value: str) -> str:
        if not _ADDRESS.fullmatch(value):
            raise ValueError("not an email address")
        return value

    @field_validator("from_name", "host", "username", "message_id_domain")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        return None if value is None else no_crlf(value)

    @model_validator(mode="after")
    def _tls(self) -> EmailConfig:
        if self.starttls and self.ssl:
            raise ValueError("choose starttls or ssl, not both")
        if self.password is not None and not self.username:
            raise ValueError("a password needs a username")
        return self


def message_id(event_id: str, domain: str) -> str:
    # Only atext survives in a msg-id; percent-encoding keeps it readable and one-to-one with event_id.
    local = quote(event_id, safe="").replace(".", "%2E")
    return f"<{local}@{domain}>"


_INLINE = (
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*(.+?)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"(?<!\*)\*(?![\s*])(.+?)(?<![\s*])\*(?!\*)"), r"<em>\1</em>"),
    (re.compile(r"\[([^\]]+)\]\((https?://[^\s)]+)\)"), r'<a href="\2">\1</a>'),
)
_BLOCK = (
    ("h", re.compile(r"(#{1,6})\s+(.*)")),
    ("ul", re.compile(r"[-*+]\s+(.*)")),
    ("ol", re.compile(r"\d{1,3}[.)]\s+(.*)")),
    ("blockquote", re.compile(r">\s?(.*)")),
)


def _inline(text: str) -> str:
    text = html.escape(text, quote=True)
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


def markdown_to_html(markdown: str) -> str:
    """Headings, lists, quotes, paragraphs, bold, italic, code and links: what notices use, nothing more.
    Everything is escaped first, so the markdown cannot inject HTML."""
    out: list[str] = []
    block: str | None = None  # the open block: p, ul, ol or blockquote
    lines: list[str] = []

    def close() -> None:
        nonlocal block, lines
        if block == "p":
            out.append("<p>" + "<br>\n".join(lines) + "</p>")
        elif block in ("ul", "ol"):
            out.append(f"<{block}>" + "".join(f"<li>{item}</li>" for item in lines) + f"</{block}>")
        elif block == "blockquote":
            out.append("<blockquote>" + "<br>\n".join(lines) + "</blockquote>")
        block, lines = None, []

    for raw in markdown.splitlines():
        line = raw.strip()
        if not line:
            close()
            continue
        name, match = "p", None
        for candidate, pattern in _BLOCK:
            if found := pattern.fullmatch(line):
                name, match = candidate, found
                break
        if name == "h" and match:
            close()
            level = len(match.group(1))
            out.append(f"<h{level}>{_inline(match.group(2))}</h{level}>")
            continue
        if block != name:
            close()
            block = name
        lines.append(_inline(match.group(1) if match else line))
    close()
    body = "\n".join(out)
    return f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n{body}\n</body></html>\n'


def _cte(text: str) -> str:
    # base64 for CJK text keeps it out of servers lacking 8BITMIME; QP keeps ASCII readable and lines short.
    return "quoted-printable" if text.isascii() else "base64"


def build_message(config: EmailConfig, message: OutboundMessage) -> EmailMessage:
    domain = config.message_id_domain or config.from_address.rsplit("@", 1)[1]
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = " ".join(message.subject.split())
    # headerregistry.Address + the policy RFC 2047-encode a non-ASCII display name (utf-8, one encoded word
    # per chunk); formatting it by hand into a string is where mojibake usually comes from.
    local, _, addr_domain = config.from_address.rpartition("@")
    msg["From"] = Address(display_name=config.from_name or "", username=local, domain=addr_domain)
    msg["To"] = message.recipient
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = message_id(message.event_id, domain)
    msg["X-Luoshi-Event-Id"] = message.event_id
    msg["X-Luoshi-Kind"] = " ".join(message.kind.split())
    msg.set_content(message.text, cte=_cte(message.text))
    if message.markdown:
        page = markdown_to_html(message.markdown)
        msg.add_alternative(page, subtype="html", cte=_cte(page))
    return msg


def _unreachable(exc: BaseException) -> SendResult:
    """No usable connection. Retryable, unless the server's TLS certificate was refused: that needs an admin."""
    if isinstance(exc, ssl.SSLCertVerificationError) or isinstance(exc.__cause__, ssl.SSLCertVerificationError):
        return SendResult.failure(f"TLS certificate rejected: {exc}", retryable=False)
    return SendResult.failure(f"{type(exc).__name__}: {exc}", retryable=True)


async def send(config: EmailConfig, message: OutboundMessage, *, http: httpx.AsyncClient | None = None) -> SendResult:
    """`http` is unused: every channel's send takes the same arguments."""
    recipient = message.recipient.strip()
    if not _ADDRESS.fullmatch(recipient):
        return SendResult.failure(f"not an email address: {recipient!r}", retryable=False)
    msg = build_message(config, message.model_copy(update={"recipient": recipient}))
    try:
        _, reply = await aiosmtplib.send(
            msg,
            sender=config.from_address,
            recipients=[recipient],
            hostname=config.host,
            port=config.port,
            username=config.username,
            password=config.password.get_secret_value() if config.password else None,
            use_tls=config.ssl,
            start_tls=config.starttls,
            validate_certs=config.verify_tls,
            timeout=config.timeout_seconds,
        )
    except aiosmtplib.SMTPRecipientsRefused as exc:
        refused = exc.recipients
        detail = "; ".join(f"{r.code} {r.message}" for r in refused) or "recipient refused"
        return SendResult.failure(detail, retryable=any(400 <= r.code < 500 for r in refused))
    except aiosmtplib.SMTPConnectTimeoutError as exc:
        return SendResult.failure(f"connect timeout: {exc}", retryable=True)
    except aiosmtplib.SMTPTimeoutError as exc:
        return SendResult.failure(f"timeout: {exc}; the server may already have the message", retryable=True)
    except aiosmtplib.SMTPResponseException as exc:
        return SendResult.failure(f"{exc.code} {exc.message}", retryable=400 <= exc.code < 500)
    except aiosmtplib.SMTPNotSupported as exc:
        return SendResult.failure(f"server lacks a required feature: {exc}", retryable=False)
    except aiosmtplib.SMTPException as exc:
        # aiosmtplib raises the bare base class only when the server lacks what the config asks for
        # (STARTTLS, AUTH): a config mismatch that no retry fixes. Its subclasses are handled around this.
        if type(exc) is aiosmtplib.SMTPException:
            return SendResult.failure(f"server lacks a required feature: {exc}", retryable=False)
        return _unreachable(exc)
    except OSError as exc:
        return _unreachable(exc)
    return SendResult.success(f"accepted: {reply}", provider_id=msg["Message-ID"])

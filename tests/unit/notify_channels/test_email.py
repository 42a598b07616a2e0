"""Email over SMTP to a real aiosmtpd server on loopback: Chinese subject and display name arrive intact, the
Message-ID comes from event_id, 5xx refusals are permanent, 4xx and connection failures are retried."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from pydantic import ValidationError

from luoshi_notify.channels import EmailConfig, OutboundMessage, channel_adapter, redacted, send
from luoshi_notify.channels.email import markdown_to_html, message_id
from tests.unit.notify_channels import free_port


class Mailbox:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 <nobody@county.gov.cn>: Recipient address rejected: User unknown"
        if address.startswith("busy@"):
            return "451 4.3.0 Mailbox temporarily unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 2.0.0 Ok: queued as 7F3A21"


def only_clerk(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = auth_data.login == b"clerk" and auth_data.password == b"right"
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, authenticator=only_clerk, auth_require_tls=False)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


def config(port: int, **changes: Any) -> EmailConfig:
    fields: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "starttls": False,
        "from_address": "duban@xian.gov.cn",
        "from_name": "县委县政府督查室",
        "timeout_seconds": 5,
    }
    return EmailConfig(**(fields | changes))


def message(**changes: Any) -> OutboundMessage:
    fields: dict[str, Any] = {
        "event_id": "remind:task-88:unit-5:2025-04-01",
        "kind": "remind",
        "subject": "【提醒】关于报送第一季度重点任务进展的通知",
        "text": "城关镇：\n请于4月3日前报送第一季度重点任务进展。",
        "markdown": "## 报送提醒\n\n请于 **4月3日** 前报送：\n\n- 完成情况\n- 存在问题\n\n[进入系统](https://luoshi.xian.gov.cn/tasks/88)",
        "recipient": "chengguan@xian.gov.cn",
    }
    return OutboundMessage(**(fields | changes))


async def test_delivers_chinese_subject_sender_and_deterministic_message_id(smtp: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp
    before = len(mailbox.envelopes)
    result = await send(config(port), message(), http=None)  # type: ignore[arg-type]
    assert result.ok, result.detail
    assert "queued as 7F3A21" in result.detail
    envelope = mailbox.envelopes[before]
    assert envelope.mail_from == "duban@xian.gov.cn"
    assert envelope.rcpt_tos == ["chengguan@xian.gov.cn"]

    raw: bytes = envelope.content
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert headers.isascii()  # everything non-ASCII in the header block is RFC 2047-encoded
    assert b"From: =?utf-8?" in headers

    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Subject"] == "【提醒】关于报送第一季度重点任务进展的通知"
    [sender] = parsed["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("县委县政府督查室", "duban@xian.gov.cn")
    assert parsed["Message-ID"] == "<remind%3Atask-88%3Aunit-5%3A2025-04-01@xian.gov.cn>"
    assert parsed["Message-ID"] == result.provider_id
    assert parsed["X-Luoshi-Event-Id"] == "remind:task-88:unit-5:2025-04-01"

    plain = parsed.get_body(preferencelist=("plain",))
    page = parsed.get_body(preferencelist=("html",))
    assert plain is not None and page is not None
    assert plain.get_content().replace("\r\n", "\n").strip() == "城关镇：\n请于4月3日前报送第一季度重点任务进展。"
    html = page.get_content()
    assert "<h2>报送提醒</h2>" in html
    assert "<strong>4月3日</strong>" in html
    assert "<li>完成情况</li><li>存在问题</li>" in html
    assert '<a href="https://luoshi.xian.gov.cn/tasks/88">进入系统</a>' in html


async def test_resend_carries_the_same_message_id(smtp: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp
    before = len(mailbox.envelopes)
    first = await send(config(port), message(markdown=None), http=None)  # type: ignore[arg-type]
    second = await send(config(port), message(markdown=None), http=None)  # type: ignore[arg-type]
    assert first.ok and second.ok
    ids = [
        email.message_from_bytes(e.content, policy=email.policy.default)["Message-ID"]
        for e in mailbox.envelopes[before:]
    ]
    assert ids == [first.provider_id] * 2
    parsed = email.message_from_bytes(mailbox.envelopes[-1].content, policy=email.policy.default)
    assert not parsed.is_multipart()  # no markdown, no HTML part


async def test_refused_recipient_is_permanent(smtp: tuple[Mailbox, int]) -> None:
    _, port = smtp
    result = await send(config(port), message(recipient="nobody@county.gov.cn"), http=None)  # type: ignore[arg-type]
    assert not result.ok and not result.retryable
    assert "550" in result.detail and "User unknown" in result.detail


async def test_temporary_refusal_is_retryable(smtp: tuple[Mailbox, int]) -> None:
    _, port = smtp
    result = await send(config(port), message(recipient="busy@county.gov.cn"), http=None)  # type: ignore[arg-type]
    assert not result.ok and result.retryable
    assert "451" in result.detail


async def test_authentication(smtp: tuple[Mailbox, int]) -> None:
    _, port = smtp
    good = await send(config(port, username="clerk", password="right"), message(), http=None)  # type: ignore[arg-type]
    assert good.ok, good.detail
    bad = await send(config(port, username="clerk", password="wrong"), message(), http=None)  # type: ignore[arg-type]
    assert not bad.ok and not bad.retryable
    assert "535" in bad.detail


async def test_connection_refused_is_retryable() -> None:
    result = await send(config(free_port()), message(), http=None)  # type: ignore[arg-type]
    assert not result.ok and result.retryable


async def test_required_starttls_missing_is_permanent(smtp: tuple[Mailbox, int]) -> None:
    _, port = smtp
    result = await send(config(port, starttls=True), message(), http=None)  # type: ignore[arg-type]
    assert not result.ok and not result.retryable


async def test_bad_recipient_address_fails_without_connecting() -> None:
    result = await send(config(free_port()), message(recipient="城关镇"), http=None)  # type: ignore[arg-type]
    assert not result.ok and not result.retryable


def test_message_id_is_valid_and_one_to_one() -> None:
    assert message_id("a.b", "x.cn") != message_id("a%2Eb", "x.cn")
    assert message_id("bulletin:7", "x.cn") == "<bulletin%3A7@x.cn>"
    assert message_id("..a..", "x.cn") == "<%2E%2Ea%2E%2E@x.cn>"


def test_markdown_html_escapes_and_formats() -> None:
    page = markdown_to_html(
        "# 标题 <b>\n\n一行*强调*与`代码`\n第二行\n\n1. 甲\n2. 乙\n\n> 引用 & 说明\n\n[x](javascript:alert(1))"
    )
    assert "<h1>标题 &lt;b&gt;</h1>" in page
    assert "<p>一行<em>强调</em>与<code>代码</code><br>\n第二行</p>" in page
    assert "<ol><li>甲</li><li>乙</li></ol>" in page
    assert "<blockquote>引用 &amp; 说明</blockquote>" in page
    assert "javascript:" not in page.replace("[x](javascript:alert(1))", "")  # not turned into a link
    assert "<a " not in page


def test_config_validation_and_redaction() -> None:
    with pytest.raises(ValidationError):
        EmailConfig(host="h", from_address="a@b.cn", starttls=True, ssl=True)
    with pytest.raises(ValidationError):
        EmailConfig(host="h", from_address="not an address")
    with pytest.raises(ValidationError):
        EmailConfig(host="h", from_address="a@b.cn", from_name="x\r\nBcc: evil@x.cn")
    cfg = channel_adapter.validate_python(
        {
            "kind": "email",
            "host": "smtp.xian.gov.cn",
            "from_address": "a@xian.gov.cn",
            "username": "u",
            "password": "p@ss",
        }
    )
    assert isinstance(cfg, EmailConfig)
    assert redacted(cfg)["password"] == "********"

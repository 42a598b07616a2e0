"""The operator's password rules (等保 2.0 身份鉴别: 口令复杂度, 定期更换): length, character classes, common
passwords refused, the user name not inside, and expiry.

The common passwords are Django's list (`django/contrib/auth/common-passwords.txt.gz`, BSD licence: 20,000
passwords compiled by Royce Williams from breach corpora, lower-cased), plus `common-passwords-zh.txt`, the
passwords of Chinese users' published leak analyses that it may lack. Both are compared in lower case."""

from __future__ import annotations

import gzip
import secrets
import string
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources

from luoshi.errors import FieldProblem
from luoshi_tasks.errors import PasswordRejected
from luoshi_tasks.settings import TasksSettings

CLASSES = (
    ("lower case letters", "小写字母", str.islower),
    ("upper case letters", "大写字母", str.isupper),
    ("digits", "数字", str.isdigit),
    ("other characters", "其他字符", lambda c: not c.isalnum()),
)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    here = resources.files("luoshi_tasks.identity")
    with gzip.open(here.joinpath("common-passwords.txt.gz").open("rb"), "rt", encoding="utf-8") as general:
        words = {line.strip() for line in general}
    extra = here.joinpath("common-passwords-zh.txt").read_text("utf-8").splitlines()
    words.update(line.strip().lower() for line in extra if line.strip() and not line.startswith("#"))
    words.discard("")
    return frozenset(words)


def password_problems(password: str, settings: TasksSettings, username: str | None, field: str) -> list[FieldProblem]:
    """Every rule `password` breaks, each naming the field and the rule (empty: it may be used)."""
    loc: list[str | int] = ["body", field]
    problems = []
    minimum = settings.password_min_length
    if len(password) < minimum:
        problems.append(
            FieldProblem(
                loc=loc,
                code="password_too_short",
                message=f"At least {minimum} characters",
                message_zh=f"密码至少 {minimum} 位",
            )
        )
    classes = [c for c in CLASSES if any(c[2](ch) for ch in password)]
    wanted = settings.password_min_classes
    if len(classes) < wanted:
        names_en = ", ".join(c[0] for c in CLASSES)
        names_zh = "、".join(c[1] for c in CLASSES)
        problems.append(
            FieldProblem(
                loc=loc,
                code="password_too_simple",
                message=f"Use at least {wanted} of: {names_en} (this has {len(classes)})",
                message_zh=f"须包含{names_zh}中的至少 {wanted} 类（现有 {len(classes)} 类）",
            )
        )
    if settings.password_refuse_common and password.lower() in common_passwords():
        problems.append(
            FieldProblem(
                loc=loc,
                code="password_common",
                message="This is one of the most common passwords",
                message_zh="该密码属于常见弱口令",
            )
        )
    if username and len(username) >= 3 and username.lower() in password.lower():
        problems.append(
            FieldProblem(
                loc=loc,
                code="password_contains_username",
                message="The password must not contain the username",
                message_zh="密码不得包含用户名",
            )
        )
    return problems


def check_password(password: str, settings: TasksSettings, username: str | None, field: str = "password") -> None:
    """422 `password_rejected` naming the field and every rule broken."""
    problems = password_problems(password, settings, username, field)
    if problems:
        raise PasswordRejected(
            "The password breaks the password rules: " + "; ".join(p.message for p in problems),
            "密码不符合口令规则：" + "；".join(p.message_zh or p.message for p in problems),
            errors=problems,
        )


def expired(changed_at: datetime | None, settings: TasksSettings, now: datetime) -> bool:
    days = settings.password_max_age_days
    return bool(days) and changed_at is not None and changed_at + timedelta(days=days) <= now


def temporary_password() -> str:
    """One an administrator hands over after a reset: 16 characters of all four classes."""
    alphabet = string.ascii_letters + string.digits + "-_.!@#"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(16))
        if all(any(c[2](ch) for ch in candidate) for c in CLASSES):
            return candidate

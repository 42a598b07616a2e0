"""Who may read and manage what in notify (channels: service/channel_access.py)."""

from __future__ import annotations

from luoshi.auth import Principal, require_roles, require_scope
from luoshi.errors import Forbidden


def reads_all(principal: Principal) -> bool:
    """Sees every notification, not only those sent to them."""
    return principal.is_service or principal.has_role("admin", "office", "leader")


def require_manage(principal: Principal) -> None:
    require_scope(principal, "notify:write")
    require_roles(principal, ("office",))


def own_user_id(principal: Principal) -> int:
    """The caller's user id, for what belongs to a user (the inbox, preferences)."""
    if principal.user_id is None:
        raise Forbidden("The inbox belongs to a user", "收件箱属于具体用户")
    return principal.user_id

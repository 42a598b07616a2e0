"""notify's domain errors: one class per problem, each with its code and both messages."""

from __future__ import annotations

from luoshi.errors import Conflict, NotFound, Unauthenticated, ValidationFailed


class NotificationNotFound(NotFound):
    code, title_en, title_zh = "notification_not_found", "Notification not found", "通知不存在"


class NotificationInFlight(Conflict):
    code, title_en, title_zh = "notification_in_flight", "It is about to be sent", "该通知正在发送"


class InboxItemNotFound(NotFound):
    code, title_en, title_zh = "inbox_item_not_found", "Inbox item not found", "消息不存在"


class ChannelNotFound(NotFound):
    code, title_en, title_zh = "channel_not_found", "Channel not found", "渠道不存在"


class ChannelInvalid(ValidationFailed):
    code, title_en, title_zh = "channel_invalid", "The channel configuration is not valid", "渠道配置不合法"


class ChannelNameTaken(Conflict):
    code, title_en, title_zh = "channel_name_taken", "A channel with this name exists", "渠道名称已存在"


class FeedTokenInvalid(Unauthenticated):
    code, title_en, title_zh = "feed_token_invalid", "The feed token is wrong or revoked", "日历订阅令牌无效"


class BulletinNotFound(NotFound):
    code, title_en, title_zh = "bulletin_not_found", "Bulletin not found", "通报不存在"


class NotAReportingDeadline(ValidationFailed):
    code = "not_a_reporting_deadline"
    title_en, title_zh = (
        "Bulletins are compiled for the plan's reporting deadlines only",
        "通报只能按方案的报送截止日编制",
    )


class AssignmentNotFound(NotFound):
    code, title_en, title_zh = "assignment_not_found", "Assignment not found", "交办事项不存在"


class AssignmentClosed(Conflict):
    code, title_en, title_zh = (
        "assignment_closed",
        "The task is closed: there is nothing to urge",
        "该任务已办结，无需催办",
    )

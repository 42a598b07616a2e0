"""Pure planning for notify: when to remind, urge and escalate; message templates; delivery policy; the
calendar feed; the monthly bulletin. No I/O and no database: the service layer feeds these and sends."""

from luoshi_notify.planning.bulletin import (
    AssignmentFact,
    BulletinData,
    BulletinRow,
    OverdueTask,
    ReportFact,
    bulletin_docx,
    bulletin_xlsx,
    compile_bulletin,
    summary_text,
)
from luoshi_notify.planning.ics import FeedEvent, build_feed
from luoshi_notify.planning.policy import Preferences, in_quiet_hours, next_allowed, next_digest_at, route
from luoshi_notify.planning.rules import (
    Due,
    Planned,
    RuleSet,
    due_dates_with_notices,
    due_day,
    full_schedule,
    office_zone,
    plan_for,
    send_at,
)
from luoshi_notify.planning.templates import TEMPLATE_KINDS, Rendered, TemplateError, render, sample_context

__all__ = [
    "TEMPLATE_KINDS",
    "AssignmentFact",
    "BulletinData",
    "BulletinRow",
    "Due",
    "FeedEvent",
    "OverdueTask",
    "Planned",
    "Preferences",
    "Rendered",
    "ReportFact",
    "RuleSet",
    "TemplateError",
    "build_feed",
    "bulletin_docx",
    "bulletin_xlsx",
    "compile_bulletin",
    "due_dates_with_notices",
    "due_day",
    "full_schedule",
    "in_quiet_hours",
    "next_allowed",
    "next_digest_at",
    "office_zone",
    "plan_for",
    "render",
    "route",
    "sample_context",
    "send_at",
    "summary_text",
]

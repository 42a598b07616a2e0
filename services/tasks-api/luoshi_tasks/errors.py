"""tasks-api's domain errors: one class per problem, each with its code and both messages."""

from __future__ import annotations

from luoshi.errors import (
    AppError,
    Conflict,
    Forbidden,
    NotFound,
    Unauthenticated,
    ValidationFailed,
)


class UnitNotFound(NotFound):
    code, title_en, title_zh = "unit_not_found", "Unit not found", "单位不存在"


class UnitNameTaken(Conflict):
    code, title_en, title_zh = "unit_name_taken", "A unit with this name exists", "单位名称已存在"


class UnitCycle(ValidationFailed):
    code, title_en, title_zh = "unit_cycle", "A unit cannot be its own ancestor", "单位不能成为自己的上级"


class UserNotFound(NotFound):
    code, title_en, title_zh = "user_not_found", "User not found", "用户不存在"


class UsernameTaken(Conflict):
    code, title_en, title_zh = "username_taken", "This username is taken", "用户名已被占用"


class BadCredentials(Unauthenticated):
    code, title_en, title_zh = "bad_credentials", "Wrong username or password", "用户名或密码错误"


class AccountLocked(AppError):
    status, code = 429, "account_locked"
    title_en, title_zh = "Too many wrong passwords: the account is locked", "密码错误次数过多，账号已锁定"


class SigninThrottled(AppError):
    status, code = 429, "signin_throttled"
    title_en, title_zh = "Too many wrong sign-ins from this address", "该地址登录失败次数过多，请稍后再试"


class PasswordRejected(ValidationFailed):
    code = "password_rejected"
    title_en, title_zh = "The password breaks the password rules", "密码不符合口令规则"


class PasswordChangeRequired(Forbidden):
    code = "password_change_required"
    title_en, title_zh = "The password must be changed first", "请先修改密码"


class CannotDeactivateSelf(Conflict):
    code = "cannot_deactivate_self"
    title_en, title_zh = "An administrator cannot deactivate their own account", "管理员不能停用自己的账号"


class RefreshTokenInvalid(Unauthenticated):
    code = "refresh_token_invalid"
    title_en, title_zh = "The refresh token is not valid: sign in again", "刷新令牌无效，请重新登录"


class UserInactive(Conflict):
    code, title_en, title_zh = "user_inactive", "The user is deactivated", "用户已停用"


class UnitRoleNeedsUnit(ValidationFailed):
    code = "unit_role_needs_unit"
    title_en, title_zh = "A unit user must belong to a unit", "责任单位用户必须归属某个单位"


class ApiKeyNotFound(NotFound):
    code, title_en, title_zh = "api_key_not_found", "API key not found", "API 密钥不存在"


class ServiceOnly(Forbidden):
    code, title_en, title_zh = "service_only", "Only other Luoshi services may call this", "仅限系统内部服务调用"


class UnitNameUnresolved(ValidationFailed):
    code = "unit_name_unresolved"
    title_en, title_zh = "A unit name matches no unit, or more than one", "单位名称无法唯一匹配"


class PlanNotFound(NotFound):
    code, title_en, title_zh = "plan_not_found", "Plan not found", "方案不存在"


class PlanArchived(Conflict):
    code = "plan_archived"
    title_en, title_zh = "The plan is archived: it can be read, not changed", "方案已归档，只能查看，不能修改"


class PlanHasActivity(Conflict):
    code = "plan_has_activity"
    title_en, title_zh = "Work has been done on this plan: archive it instead", "该方案已有办理记录，不能删除，可以归档"


class TaskNotFound(NotFound):
    code, title_en, title_zh = "task_not_found", "Task not found", "任务不存在"


class AssignmentNotFound(NotFound):
    code, title_en, title_zh = "assignment_not_found", "Assignment not found", "交办事项不存在"


class ReportNotFound(NotFound):
    code, title_en, title_zh = "report_not_found", "Report not found", "反馈不存在"


class AttachmentNotFound(NotFound):
    code, title_en, title_zh = "attachment_not_found", "Attachment not found", "附件不存在"


class ExtensionNotFound(NotFound):
    code, title_en, title_zh = "extension_not_found", "Extension request not found", "延期申请不存在"


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"
    title_en, title_zh = "This step is not allowed from the current state", "当前状态下不能执行此操作"


class CommentRequired(ValidationFailed):
    code, title_en, title_zh = "comment_required", "A comment is required", "请填写意见"


class DeadlineUnreadable(ValidationFailed):
    code, title_en, title_zh = "deadline_unreadable", "The deadline cannot be read", "完成时限无法识别"


class ReportNotAllowed(Conflict):
    code, title_en, title_zh = "report_not_allowed", "A report cannot be submitted now", "当前不能提交反馈"


class ReviewNotAllowed(Conflict):
    code, title_en, title_zh = "review_not_allowed", "This report was already reviewed", "该反馈已审核"


class PeriodNotInSchedule(ValidationFailed):
    code = "period_not_in_schedule"
    title_en, title_zh = "Not a reporting deadline of this plan", "不是本方案的报送时间节点"


class ExtensionNotAllowed(Conflict):
    code, title_en, title_zh = "extension_not_allowed", "An extension cannot be asked for now", "当前不能申请延期"


class ExtensionInvalid(ValidationFailed):
    code, title_en, title_zh = (
        "extension_invalid",
        "The new date must be after the current deadline",
        "新期限须晚于现有期限",
    )


class DuplicateTaskNumber(Conflict):
    code, title_en, title_zh = (
        "duplicate_task_number",
        "A task with this number exists in the plan",
        "方案中已有该编号的任务",
    )


class TaskHasReports(Conflict):
    code = "task_has_reports"
    title_en, title_zh = "Units have reported on this; it cannot be removed", "已有单位反馈，不能删除"


class DraftNotFound(NotFound):
    code, title_en, title_zh = "draft_not_found", "Plan draft not found", "方案草稿不存在"


class DocumentTypeUnsupported(AppError):
    status, code = 415, "document_type_unsupported"
    title_en, title_zh = "This kind of document cannot be read", "无法读取此类文件"


class DraftAlreadyAccepted(Conflict):
    code, title_en, title_zh = "draft_accepted", "This draft has already become a plan", "该草稿已生成方案"


class DraftRejected(ValidationFailed):
    code, title_en, title_zh = "draft_invalid", "The draft cannot become a plan", "草稿存在问题，无法生成方案"


class CalendarYearOutOfRange(NotFound):
    code = "calendar_year_out_of_range"
    title_en, title_zh = "The calendar covers 2000 to 2060", "工作日历覆盖 2000 至 2060 年"


class CalendarDaysInvalid(ValidationFailed):
    code = "calendar_days_invalid"
    title_en, title_zh = "The calendar days are not valid for this year", "日历中的日期不属于该年或有重复"


class NoticeUnreadable(ValidationFailed):
    code = "notice_unreadable"
    title_en, title_zh = "The holiday notice cannot be read", "无法识别节假日安排通知"

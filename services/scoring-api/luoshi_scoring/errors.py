"""scoring-api's domain errors: one class per problem, each with its code and both messages."""

from __future__ import annotations

from luoshi.errors import Conflict, NotFound, ValidationFailed


class IndicatorNotFound(NotFound):
    code, title_en, title_zh = "indicator_not_found", "Indicator not found", "指标不存在"


class ValueNotFound(NotFound):
    code, title_en, title_zh = "value_not_found", "Value not found", "指标值不存在"


class AttachmentNotFound(NotFound):
    code, title_en, title_zh = "attachment_not_found", "Attachment not found", "附件不存在"


class SchemeNotFound(NotFound):
    code, title_en, title_zh = "scheme_not_found", "Scheme not found", "考核方案不存在"


class AssessmentNotFound(NotFound):
    code, title_en, title_zh = "assessment_not_found", "Assessment not found", "考核不存在"


class ScorecardNotFound(NotFound):
    code, title_en, title_zh = "scorecard_not_found", "Scorecard not found", "评分表不存在"


class ValueInvalid(ValidationFailed):
    code, title_en, title_zh = "value_invalid", "The value is not valid for this indicator", "指标值不合法"


class ValueExists(Conflict):
    code, title_en, title_zh = "value_exists", "A value for this unit and period exists", "该单位该期已有指标值"


class IndicatorDraft(Conflict):
    code = "indicator_draft"
    title_en, title_zh = "The indicator is a draft: complete it first", "该指标尚为草稿，请先完善"


class ValuesLocked(Conflict):
    code, title_en, title_zh = "values_locked", "The period's assessment is published", "该期考核已发布，数据已锁定"


class AssessmentNotReady(Conflict):
    code, title_en, title_zh = "assessment_not_ready", "The assessment has not finished", "考核尚未完成"


class AssessmentPublished(Conflict):
    code, title_en, title_zh = "assessment_published", "The assessment is already published", "该考核已发布"


class PeriodPublished(Conflict):
    code, title_en, title_zh = (
        "period_published",
        "Another version of this period is published",
        "该期已有发布的考核版本",
    )


class AdjustmentItemUnknown(ValidationFailed):
    code, title_en, title_zh = "adjustment_item_unknown", "The scheme has no such item", "考核方案中没有该加减分项"

"""tasks-api's domain errors: one class per problem, each with its code and both messages."""

from __future__ import annotations

from luoshi.errors import Conflict, Forbidden, NotFound, Unauthenticated, ValidationFailed


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


class UnitRoleNeedsUnit(ValidationFailed):
    code = "unit_role_needs_unit"
    title_en, title_zh = "A unit user must belong to a unit", "责任单位用户必须归属某个单位"


class ApiKeyNotFound(NotFound):
    code, title_en, title_zh = "api_key_not_found", "API key not found", "API 密钥不存在"


class ServiceOnly(Forbidden):
    code, title_en, title_zh = "service_only", "Only other Luoshi services may call this", "仅限系统内部服务调用"

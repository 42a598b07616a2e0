from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr

from luoshi.settings import REPO_ROOT, BaseServiceSettings
from luoshi_tasks.breakdown.sources import SheetLimits
from luoshi_tasks.planparse.documents import DocumentLimits


class TasksSettings(BaseServiceSettings):
    service_name: str = "tasks-api"
    port: int = Field(default=8001, validation_alias=AliasChoices("TASKS_API_PORT", "PORT"))
    jwt_private_key: SecretStr | None = Field(default=None, description="PEM of the RSA key that signs access tokens.")
    jwt_private_key_file: Path = Field(
        default=REPO_ROOT / ".data" / "jwt-private.pem",
        description="Used when JWT_PRIVATE_KEY is empty; created on first start in development.",
    )
    jwt_previous_public_keys: list[str] = Field(
        default_factory=list, description="PEMs of retired signing keys still published in the JWKS."
    )
    access_token_minutes: int = Field(
        default=15,
        ge=1,
        le=1440,
        description="Lifetime of an access token; the console renews it with its refresh token (POST /v1/auth/refresh)",
    )
    cli_token_max_minutes: int = Field(
        default=480,
        ge=1,
        description="Longest lifetime `luoshi token --ttl` may give a token; a longer one is refused",
    )
    refresh_token_minutes: int = Field(
        default=60,
        ge=1,
        description="A session not refreshed for this long ends (登录连接超时自动退出): each refresh token lasts "
        "this long",
    )
    session_max_hours: int = Field(
        default=12, ge=1, description="A session ends this long after its sign-in, however often refreshed"
    )
    signin_max_failures: int = Field(
        default=5, ge=2, le=100, description="Wrong passwords in a row that lock an account (等保 2.0: 登录失败处理)"
    )
    signin_lockout_seconds: int = Field(
        default=900,
        ge=1,
        description="How long a locked account refuses even the right password; an admin may "
        "lift it sooner (POST /v1/users/{id}/unlock)",
    )
    signin_address_max_failures: int = Field(
        default=30,
        ge=1,
        description="Wrong sign-ins from one client address (whatever usernames) within SIGNIN_ADDRESS_WINDOW_SECONDS "
        "after which that address gets 429 signin_throttled until the window ends. The address is the request's "
        "client address: uvicorn (luoshi serve) takes it from X-Forwarded-For only when the peer is listed in "
        "FORWARDED_ALLOW_IPS (127.0.0.1 by default)",
    )
    signin_address_window_seconds: int = Field(
        default=900, ge=1, description="The window SIGNIN_ADDRESS_MAX_FAILURES is counted in"
    )
    password_min_length: int = Field(
        default=10, ge=8, le=128, description="Shortest password a user may set (等保 2.0: 口令复杂度)"
    )
    password_min_classes: int = Field(
        default=3,
        ge=0,
        le=4,
        description="Of lower case, upper case, digits and other characters, how many a password must use",
    )
    password_refuse_common: bool = Field(
        default=True,
        description="Refuse the 20,000 most common passwords (Django's list) and common Chinese ones",
    )
    password_max_age_days: int = Field(
        default=90,
        ge=0,
        description="Days a password lasts (0: for ever); then sign-in answers 403 password_change_required until "
        "it is changed at POST /v1/me/password (等保 2.0: 定期更换)",
    )
    attachment_max_bytes: int = Field(default=10 * 1024 * 1024, description="Largest report attachment")
    import_max_bytes: int = Field(default=20 * 1024 * 1024, description="Largest breakdown table upload")
    # Read by the job worker before a parser gets the bytes (luoshi.filelimits): a small upload can unpack big.
    upload_max_uncompressed_bytes: int = Field(
        default=32 * 1024 * 1024,
        description="Largest unpacked size of an uploaded .docx or .xlsx (the sum its zip directory declares)",
    )
    breakdown_max_cells: int = Field(
        default=100_000, description="Most cells (styled empty ones too) in an imported workbook or .csv"
    )
    document_max_chars: int = Field(default=1_000_000, description="Most characters of text in a plan document")
    draft_max_tasks: int = Field(default=2_000, description="Most tasks a plan draft may have")

    def sheet_limits(self) -> SheetLimits:
        return SheetLimits(max_uncompressed=self.upload_max_uncompressed_bytes, max_cells=self.breakdown_max_cells)

    def document_limits(self) -> DocumentLimits:
        return DocumentLimits(max_uncompressed=self.upload_max_uncompressed_bytes, max_chars=self.document_max_chars)


@lru_cache
def get_settings() -> TasksSettings:
    return TasksSettings()

"""audit logs append-only: no UPDATE, DELETE or TRUNCATE of any service's audit_log, except the purge of lines
older than six months (GB/T 22239-2019 level 3, 8.1.4.3 c: audit records protected from unexpected deletion,
modification or overwriting; the Cybersecurity Law, art. 21: network logs kept at least six months)

Revision ID: 5b7d2e9c4a18
Revises: 3e8a61c2d5f7
Create Date: 2026-12-04 07:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5b7d2e9c4a18"
down_revision: str | None = "3e8a61c2d5f7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMAS = ("tasks", "scoring", "notify")

# `luoshi audit purge` sets luoshi.audit_purge for its own transaction; nothing else may remove a line, and no line
# younger than 180 days may go even then.
GUARD = """
CREATE FUNCTION {schema}.audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('luoshi.audit_purge', true) = 'on'
       AND OLD.at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % of {schema}.audit_log refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def upgrade() -> None:
    for schema in SCHEMAS:
        op.execute(GUARD.format(schema=schema))
        op.execute(
            f"CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON {schema}.audit_log "
            f"FOR EACH ROW EXECUTE FUNCTION {schema}.audit_log_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON {schema}.audit_log "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {schema}.audit_log_append_only()"
        )


def downgrade() -> None:
    for schema in SCHEMAS:
        op.execute(f"DROP TRIGGER audit_log_no_truncate ON {schema}.audit_log")
        op.execute(f"DROP TRIGGER audit_log_append_only ON {schema}.audit_log")
        op.execute(f"DROP FUNCTION {schema}.audit_log_append_only()")

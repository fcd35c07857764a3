"""The register's first schema: register_info, runs, findings, imports, events, run_findings.

Revision ID: 0001
Revises:
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "register_info",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("register_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_version", sa.String(40), nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("out_dir", sa.Text(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("counties", sa.JSON(), nullable=True),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("params_sha256", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("tool_version", sa.String(40), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
    )
    op.create_index("ix_runs_as_of", "runs", ["as_of"])
    op.create_index("ix_runs_fingerprint", "runs", ["fingerprint"])
    op.create_table(
        "findings",
        sa.Column("finding_id", sa.String(16), primary_key=True),
        sa.Column("finding_no", sa.String(40), nullable=False),
        sa.Column("check_id", sa.String(20), nullable=False),
        sa.Column("area", sa.String(40), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("county", sa.String(200), nullable=False),
        sa.Column("project_id", sa.Text(), nullable=True),
        sa.Column("project_name", sa.Text(), nullable=True),
        sa.Column("entity_type", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.Text(), nullable=False),
        sa.Column("entity_name", sa.Text(), nullable=True),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=True),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("cause", sa.String(20), nullable=False),
        sa.Column("first_as_of", sa.Date(), nullable=False),
        sa.Column("last_as_of", sa.Date(), nullable=False),
        sa.Column("first_run_id", sa.Integer(), sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("last_run_id", sa.Integer(), sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("verification", sa.String(20), nullable=False),
        sa.Column("verification_note", sa.Text(), nullable=False),
        sa.Column("responsible_unit", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("rectification", sa.String(20), nullable=False),
        sa.Column("rectified_amount", sa.Float(), nullable=True),
        sa.Column("rectification_note", sa.Text(), nullable=False),
        sa.Column("accountability", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_findings_county", "findings", ["county"])
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(200), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.JSON(), nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id"), nullable=True),
        sa.Column("import_id", sa.Integer(), sa.ForeignKey("imports.id"), nullable=True),
        sa.Column("finding_id", sa.String(16), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_events_finding_id", "events", ["finding_id"])
    op.create_table(
        "run_findings",
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("finding_id", sa.String(16), primary_key=True),
        sa.Column("county", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("cause", sa.String(20), nullable=False),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("verification", sa.String(20), nullable=False),
        sa.Column("rectification", sa.String(20), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("rectified_amount", sa.Float(), nullable=True),
    )


def downgrade() -> None:
    raise NotImplementedError("a register is never downgraded: nothing in it is ever deleted")

"""The register's tables (SQLAlchemy 2 models); the schema itself is made by the Alembic migrations.

* ``register_info``: one row, the register's own id (a workbook exported from another register is
  refused by it) and the row every write locks first (two writers take turns);
* ``runs``: each run recorded (out folder, as_of, counties, input sha256s, a fingerprint of them);
* ``findings``: one row per finding_id, its latest facts, first/last as_of seen and the editable
  fields (:mod:`.fields`); ``version`` counts changes of the editable fields (an exported workbook
  carries it: a row changed since is a conflict);
* ``events``: every change ever made (who, when, source, field, old, new): appended, never updated;
* ``run_findings``: each run's view of each finding of its counties (the trend over runs);
* ``imports``: who imported which workbook, and what it changed.

Nothing is ever deleted from any table.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class RegisterInfo(Base):
    __tablename__ = "register_info"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    register_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by_version: Mapped[str] = mapped_column(String(40))


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(200))
    out_dir: Mapped[str] = mapped_column(Text)
    as_of: Mapped[dt.date] = mapped_column(Date, index=True)
    counties: Mapped[list | None] = mapped_column(JSON, nullable=True)  # None: every county of the data
    inputs: Mapped[list] = mapped_column(JSON)  # [{path, sha256}]
    params_sha256: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    tool_version: Mapped[str] = mapped_column(String(40))
    findings: Mapped[int] = mapped_column(Integer)


class Finding(Base):
    __tablename__ = "findings"

    finding_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    finding_no: Mapped[str] = mapped_column(String(40))
    check_id: Mapped[str] = mapped_column(String(20))
    area: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(20))
    county: Mapped[str] = mapped_column(String(200), index=True)  # "" when the finding has none
    project_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    project_name: Mapped[str | None] = mapped_column(Text, nullable=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(Text)
    entity_name: Mapped[str | None] = mapped_column(Text, nullable=True)
    amount: Mapped[float | None] = mapped_column(Float, nullable=True)  # yuan
    title: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text)
    basis: Mapped[str | None] = mapped_column(Text, nullable=True)
    values: Mapped[dict] = mapped_column(JSON)  # the structured values the detail quotes
    status: Mapped[str] = mapped_column(String(20))  # new | persisting | not_found_again
    cause: Mapped[str] = mapped_column(String(20), default="")
    first_as_of: Mapped[dt.date] = mapped_column(Date)
    last_as_of: Mapped[dt.date] = mapped_column(Date)
    first_run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    last_run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    verification: Mapped[str] = mapped_column(String(20))
    verification_note: Mapped[str] = mapped_column(Text, default="")
    responsible_unit: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    rectification: Mapped[str] = mapped_column(String(20))
    rectified_amount: Mapped[float | None] = mapped_column(Float, nullable=True)  # yuan
    rectification_note: Mapped[str] = mapped_column(Text, default="")
    accountability: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer)


class Import(Base):
    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    imported_by: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str] = mapped_column(String(64))
    changed: Mapped[int] = mapped_column(Integer)  # findings changed
    conflicts: Mapped[list] = mapped_column(JSON)  # finding_ids refused as conflicts


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    by: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20))  # run | import | edit
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"), nullable=True)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), nullable=True)
    finding_id: Mapped[str] = mapped_column(String(16), index=True)
    field: Mapped[str] = mapped_column(String(40))
    old: Mapped[str | None] = mapped_column(Text, nullable=True)
    new: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[int] = mapped_column(Integer)  # the finding's version after this change


class RunFinding(Base):
    __tablename__ = "run_findings"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), primary_key=True)
    finding_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    county: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    cause: Mapped[str] = mapped_column(String(20))
    amount: Mapped[float | None] = mapped_column(Float, nullable=True)
    verification: Mapped[str] = mapped_column(String(20))
    rectification: Mapped[str] = mapped_column(String(20))
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    rectified_amount: Mapped[float | None] = mapped_column(Float, nullable=True)

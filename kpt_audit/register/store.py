"""Opening a register: SQLite file or PostgreSQL URL, schema brought up to date, one writer at a time.

``REG`` is a file path (SQLite, created when missing) or a ``postgresql://`` URL (driven by
psycopg 3).  Opening runs the package's Alembic migrations up to ``head`` inside one
transaction; a register whose schema revision this version does not know was made by a newer
kpt-audit and is refused, as is a database that holds other tables (not a register).

Every write is one transaction (:meth:`Register.write`) that first takes the register's lock:
SQLite's write lock (``BEGIN IMMEDIATE``, waiting ``lock_timeout`` seconds for another writer),
PostgreSQL's row lock on ``register_info`` (``lock_timeout``).  A writer that cannot get it in time
gets one clear :class:`~kpt_audit.errors.RegisterError`; an error or a kill mid-write leaves the
register as it was.
"""
from __future__ import annotations

import datetime as dt
import uuid
from contextlib import contextmanager
from pathlib import Path

from ..errors import RegisterError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_LOCK_TIMEOUT = 30.0  # seconds a writer waits for another one (an import of a few thousand rows)


def is_url(reg) -> bool:
    return "://" in str(reg)


def engine_url(reg) -> str:
    """The SQLAlchemy URL of ``reg``: an absolute SQLite path, or PostgreSQL through psycopg 3."""
    text = str(reg)
    if not is_url(text):
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    scheme, rest = text.split("://", 1)
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        return f"postgresql+psycopg://{rest}"
    if scheme == "sqlite":
        return text
    raise RegisterError(key="register.err.scheme", name=where(text), scheme=scheme)


def where(reg) -> str:
    """The register as named in messages: a file path as given, a URL without its password."""
    text = str(reg)
    if is_url(text) and "@" in text:
        scheme, rest = text.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
    return text


def _alembic_config(connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def _make_engine(url: str, lock_timeout: float):
    from sqlalchemy import create_engine, event

    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": lock_timeout})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection, _record):
            # the driver's own transaction handling is off, so that BEGIN below is the one issued
            # (and DDL is transactional too); foreign keys are checked as on PostgreSQL
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA foreign_keys = ON")

        @event.listens_for(engine, "begin")
        def _begin(connection):
            # a writer takes the write lock at the start: two writers take turns instead of failing at
            # their first write; readers do not wait for writers
            writing = connection.get_execution_options().get("kpt_write")
            connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

        return engine
    return create_engine(url)


def _is_lock_error(exc) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return "locked" in text or "lock timeout" in text or "could not obtain lock" in text or "lock_timeout" in text


class Register:
    """An open register: its engine, its id; :meth:`write` and :meth:`read` give sessions."""

    def __init__(self, reg, engine, register_id: str, lock_timeout: float):
        self.reg = str(reg)
        self.engine = engine
        self.register_id = register_id
        self.lock_timeout = lock_timeout

    @property
    def name(self) -> str:
        return where(self.reg)

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def write(self):
        """A session in one transaction holding the register's lock; committed at the end, rolled back on error."""
        from sqlalchemy import text
        from sqlalchemy.exc import OperationalError
        from sqlalchemy.orm import Session

        try:
            with Session(self.engine.execution_options(kpt_write=True), expire_on_commit=False) as session, \
                    session.begin():
                session.connection()  # begins now, taking SQLite's write lock (BEGIN IMMEDIATE)
                if self.is_postgresql:
                    session.execute(text(f"SET LOCAL lock_timeout = '{int(self.lock_timeout * 1000)}ms'"))
                    session.execute(text("SELECT id FROM register_info WHERE id = 1 FOR UPDATE"))
                yield session
        except OperationalError as exc:
            if _is_lock_error(exc):
                raise RegisterError(key="register.err.busy_waited", name=self.name,
                                    seconds=self.lock_timeout) from exc
            raise

    @contextmanager
    def read(self):
        from sqlalchemy.orm import Session

        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_register(reg, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT, create: bool = True) -> Register:
    """Open ``reg`` (a path or URL), creating or upgrading its schema; :class:`RegisterError` when it cannot be used.

    ``create=False`` refuses a register that does not exist yet (export, import and bulletin read one).
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect, insert, select
    from sqlalchemy.exc import DatabaseError, OperationalError

    from ..version import __version__
    from .models import RegisterInfo

    url = engine_url(reg)
    name = where(reg)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        if path.is_dir():
            raise RegisterError(key="register.err.folder", name=name, example=path / "register.sqlite")
        if not path.exists():
            if not create:
                raise RegisterError(key="register.err.missing", name=name)
            path.parent.mkdir(parents=True, exist_ok=True)
    engine = _make_engine(url, lock_timeout)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            current = MigrationContext.configure(conn).get_current_revision()
        script = ScriptDirectory.from_config(_alembic_config(None))
        head = script.get_current_head()
        if tables and "alembic_version" not in tables:
            others = ", ".join(sorted(tables)[:5])
            raise RegisterError(key="register.err.other_tables", name=name, others=others)
        if current is not None and current not in {s.revision for s in script.walk_revisions()}:
            raise RegisterError(key="register.err.newer", name=name, current=current, head=head)
        if not tables and not create:
            raise RegisterError(key="register.err.empty", name=name)
        if current != head or "register_info" not in tables:
            with engine.execution_options(kpt_write=True).begin() as conn:
                if engine.dialect.name == "postgresql":  # two first runs at once: one creates, the other waits
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(4242120012)")
                command.upgrade(_alembic_config(conn), "head")
                if conn.execute(select(RegisterInfo.id)).first() is None:
                    conn.execute(insert(RegisterInfo).values(id=1, register_id=str(uuid.uuid4()),
                                                             created_at=dt.datetime.now(dt.timezone.utc),
                                                             created_by_version=__version__))
        with engine.connect() as conn:
            register_id = conn.execute(select(RegisterInfo.register_id)).scalar_one()
    except RegisterError:
        engine.dispose()
        raise
    except OperationalError as exc:
        engine.dispose()
        if _is_lock_error(exc):
            raise RegisterError(key="register.err.busy", name=name) from exc
        reason = str(exc.orig).strip()
        raise RegisterError(key="register.err.cannot_open", name=name, reason=reason) from exc
    except DatabaseError as exc:  # e.g. SQLite's "file is not a database"
        engine.dispose()
        reason = str(exc.orig).strip()
        raise RegisterError(key="register.err.not_register", name=name, reason=reason) from exc
    return Register(reg, engine, register_id, lock_timeout)


__all__ = ["Register", "open_register", "engine_url", "where", "is_url"]

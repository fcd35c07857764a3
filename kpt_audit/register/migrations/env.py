"""Alembic's environment for the register: always run by :func:`kpt_audit.register.store.open_register`
on the connection it passes in ``config.attributes["connection"]`` (no alembic.ini, no logging set-up)."""
from alembic import context

from kpt_audit.register.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()

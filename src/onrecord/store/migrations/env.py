"""Alembic environment: onrecord runs migrations itself (store.migrate), on a connection it passes in."""

from alembic import context

from onrecord.store.schema import metadata


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    # Full-text search tables (FTS5 and its shadow tables) are written by hand in the migrations.
    return not (type_ == "table" and name.startswith("documents_fts"))


connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  include_object=include_object)
with context.begin_transaction():
    context.run_migrations()

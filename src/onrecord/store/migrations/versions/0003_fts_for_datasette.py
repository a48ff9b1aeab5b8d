"""Declare the SQLite full-text index as sqlite-utils and Datasette look for it.

Both tools find a table's FTS index by `content="table"` (double quotes) or `content=[table]`
in its CREATE statement; 0001 wrote `content='documents'`, which they do not recognise. The index
is created again in their form and rebuilt from the documents. PostgreSQL is not concerned.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_TRIGGERS = ("insert", "delete", "update")


def _recreate(content: str) -> None:
    for trigger in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS documents_fts_{trigger}")
    op.execute("DROP TABLE IF EXISTS documents_fts")
    op.execute(f"CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content={content}, content_rowid='id', "
               "tokenize='porter unicode61 remove_diacritics 2')")
    op.execute("CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
               "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END")
    op.execute("CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN "
               "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
               "VALUES ('delete', old.id, old.title, old.text); END")
    op.execute("CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN "
               "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
               "VALUES ('delete', old.id, old.title, old.text); "
               "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END")
    op.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _recreate('"documents"')


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _recreate("'documents'")

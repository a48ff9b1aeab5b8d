"""Faster lookups: near-duplicate candidates by band hash alone (the band number is now hashed
in), and corpus entities by the last word of their key (a surname finds full names).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Band hashes written before this revision did not include the band number: they are dropped,
    # and documents stored before it are no longer candidates for near-duplicate links.
    op.execute("DELETE FROM document_bands")
    with op.batch_alter_table('document_bands', schema=None) as batch_op:
        batch_op.drop_index('ix_document_bands_band_hash')
        batch_op.create_index(batch_op.f('ix_document_bands_hash'), ['hash'], unique=False)
    with op.batch_alter_table('corpus_entities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_key', sa.Text(), nullable=True))
    corpus_entities = sa.table('corpus_entities', sa.column('id'), sa.column('key'), sa.column('last_key'))
    connection = op.get_bind()
    rows = connection.execute(sa.select(corpus_entities.c.id, corpus_entities.c.key)).all()
    if rows:
        connection.execute(corpus_entities.update().where(corpus_entities.c.id == sa.bindparam('row_id'))
                           .values(last_key=sa.bindparam('last')),
                           [{'row_id': row_id, 'last': (key.split() or [''])[-1]} for row_id, key in rows])
    with op.batch_alter_table('corpus_entities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_corpus_entities_last_key'), ['last_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('corpus_entities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_corpus_entities_last_key'))
        batch_op.drop_column('last_key')
    op.execute("DELETE FROM document_bands")
    with op.batch_alter_table('document_bands', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_bands_hash'))
        batch_op.create_index('ix_document_bands_band_hash', ['band', 'hash'], unique=False)

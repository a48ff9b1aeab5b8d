"""Corpus-wide lists answered by SQL, one bounded page at a time (entities, speakers, an entity's
profile, statements, events), instead of from records held in memory.

- corpus_entities gets the counters the lists sort on (documents, mentions, statements as
  speaker) and the name shown (the longest name of its entities, alphabetically first among
  equally long ones), kept exact by store.write, with indexes in the lists' order;
- entity_labels holds each entity's aliases and roles, so a profile reads them without parsing
  every stored entity of a much-named person;
- entities get their document's publication date, so that a profile reads an entity's articles
  newest first from an index and stops when its lists are full;
- attribution_names lists the entities named inside each statement (other than its speaker),
  with the corpus entity and date, for "statements by others naming them";
- events get their calendar sort key (the event's date when it is one, else the article's),
  their document's doc_id and the start of their evidence: the order of the events page, read
  from one index;
- documents get an index in "newest first" order, the order of every list.
Existing rows are backfilled.

Revision ID: 0004
Revises: 0003
"""

import json
import re

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# As store.records.event_sort_date: kept here so the migration does not change if that code does.
_FULL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_UNDATED = "9999"
_PAGE = 2000


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for column in ("documents", "mentions", "statements"):
        op.add_column('corpus_entities', sa.Column(column, sa.Integer(), nullable=False, server_default='0'))
    op.add_column('corpus_entities', sa.Column('display_name', sa.Text(), nullable=True))
    op.add_column('entities', sa.Column('published', sa.String(length=10), nullable=True))
    op.add_column('events', sa.Column('date_key', sa.String(length=64), nullable=True))
    op.add_column('events', sa.Column('doc_id', sa.String(length=200), nullable=True))
    op.add_column('events', sa.Column('evidence_start', sa.Integer(), nullable=True))
    op.create_table('entity_labels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('corpus_entity_id', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_entity_labels_entity_id_entities'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entity_labels'))
    )
    op.create_index(op.f('ix_entity_labels_entity_id'), 'entity_labels', ['entity_id'], unique=False)
    op.create_index('ix_entity_labels_corpus_entity_id_kind', 'entity_labels', ['corpus_entity_id', 'kind'],
                    unique=False)
    op.create_table('attribution_names',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attribution_id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('corpus_entity_id', sa.String(length=200), nullable=True),
    sa.Column('published', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['attribution_id'], ['attributions.id'],
                            name=op.f('fk_attribution_names_attribution_id_attributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_attribution_names_entity_id_entities'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attribution_names'))
    )
    op.create_index(op.f('ix_attribution_names_attribution_id'), 'attribution_names', ['attribution_id'],
                    unique=False)
    op.create_index(op.f('ix_attribution_names_entity_id'), 'attribution_names', ['entity_id'], unique=False)
    _backfill_labels()
    _backfill_events()
    _backfill_counters()
    op.execute("UPDATE entities SET published = (SELECT d.published FROM documents d WHERE d.id = entities.document_id)")
    op.execute(
        "INSERT INTO attribution_names (attribution_id, entity_id, corpus_entity_id, published) "
        "SELECT a.id, e.id, e.corpus_entity_id, e.published FROM attributions a "
        "JOIN entities e ON e.document_id = a.document_id "
        "WHERE (a.speaker_entity_id IS NULL OR a.speaker_entity_id != e.id) AND EXISTS (SELECT 1 FROM mentions m "
        "WHERE m.entity_id = e.id AND m.start_char >= a.start_char AND m.end_char <= a.end_char) "
        "ORDER BY a.id, e.position")
    op.create_index('ix_corpus_entities_by_mentions', 'corpus_entities',
                    [sa.text('mentions DESC'), 'display_name'], unique=False)
    op.create_index('ix_corpus_entities_by_statements', 'corpus_entities',
                    [sa.text('statements DESC'), 'display_name'], unique=False)
    op.create_index('ix_corpus_entities_by_type', 'corpus_entities',
                    ['type', sa.text('mentions DESC'), 'display_name'], unique=False)
    op.create_index('ix_events_by_date', 'events', ['date_key', 'doc_id', 'evidence_start', 'position'], unique=False)
    # Newest first with undated articles last: SQLite sorts NULL first, so its index is read
    # backwards; PostgreSQL sorts NULL last ascending, so its index is declared in list order.
    if dialect == "postgresql":
        op.execute("CREATE INDEX ix_documents_newest ON documents (published DESC NULLS LAST, doc_id DESC)")
        for table in ('entities', 'attribution_names'):
            op.execute(f"CREATE INDEX ix_{table}_corpus_entity_id_published ON {table} "
                       "(corpus_entity_id, published DESC NULLS LAST)")
    else:
        op.create_index('ix_documents_newest', 'documents', ['published', 'doc_id'], unique=False)
        for table in ('entities', 'attribution_names'):
            op.create_index(f'ix_{table}_corpus_entity_id_published', table, ['corpus_entity_id', 'published'],
                            unique=False)


def _backfill_labels() -> None:
    connection = op.get_bind()
    entities = sa.table('entities', sa.column('id'), sa.column('corpus_entity_id'), sa.column('data'))
    labels = sa.table('entity_labels', sa.column('entity_id'), sa.column('corpus_entity_id'), sa.column('kind'),
                      sa.column('value'))
    last = 0
    while True:
        page = connection.execute(sa.select(entities.c.id, entities.c.corpus_entity_id, entities.c.data)
                                  .where(entities.c.id > last).order_by(entities.c.id).limit(_PAGE)).all()
        if not page:
            return
        found = []
        for row_id, corpus_id, data in page:
            entity = json.loads(data)
            found += [{'entity_id': row_id, 'corpus_entity_id': corpus_id, 'kind': kind, 'value': value}
                      for kind, field in (('alias', 'aliases'), ('role', 'roles'))
                      for value in dict.fromkeys(entity.get(field) or [])]
        if found:
            connection.execute(labels.insert(), found)
        last = page[-1].id


def _backfill_events() -> None:
    connection = op.get_bind()
    events = sa.table('events', sa.column('id'), sa.column('document_id'), sa.column('time_value'),
                      sa.column('data'), sa.column('date_key'), sa.column('doc_id'), sa.column('evidence_start'))
    documents = sa.table('documents', sa.column('id'), sa.column('published'), sa.column('doc_id'))
    last = 0
    while True:
        page = connection.execute(
            sa.select(events.c.id, events.c.time_value, events.c.data, documents.c.published, documents.c.doc_id)
            .join(documents, documents.c.id == events.c.document_id)
            .where(events.c.id > last).order_by(events.c.id).limit(_PAGE)).all()
        if not page:
            return
        values = []
        for row_id, time_value, data, published, doc_id in page:
            date = time_value if time_value and _FULL_DATE.match(time_value) else published
            evidence = (json.loads(data).get('evidence') or {}).get('start')
            values.append({'row_id': row_id, 'key': date or _UNDATED, 'document': doc_id, 'start': evidence})
        connection.execute(events.update().where(events.c.id == sa.bindparam('row_id'))
                           .values(date_key=sa.bindparam('key'), doc_id=sa.bindparam('document'),
                                   evidence_start=sa.bindparam('start')), values)
        last = page[-1].id


def _backfill_counters() -> None:
    op.execute(
        "UPDATE corpus_entities SET "
        "documents = (SELECT count(DISTINCT e.document_id) FROM entities e WHERE e.corpus_entity_id = corpus_entities.id), "
        "mentions = (SELECT count(*) FROM mentions m JOIN entities e ON e.id = m.entity_id "
        "WHERE e.corpus_entity_id = corpus_entities.id), "
        "statements = (SELECT count(*) FROM attributions a JOIN entities e ON e.id = a.speaker_entity_id "
        "WHERE e.corpus_entity_id = corpus_entities.id), "
        "display_name = coalesce((SELECT e.name FROM entities e WHERE e.corpus_entity_id = corpus_entities.id "
        "ORDER BY length(e.name) DESC, e.name LIMIT 1), name)")


def downgrade() -> None:
    op.drop_index('ix_documents_newest', table_name='documents')
    op.drop_index('ix_entities_corpus_entity_id_published', table_name='entities')
    op.drop_table('attribution_names')
    op.drop_column('entities', 'published')
    op.drop_index('ix_events_by_date', table_name='events')
    for name in ('ix_corpus_entities_by_type', 'ix_corpus_entities_by_statements', 'ix_corpus_entities_by_mentions'):
        op.drop_index(name, table_name='corpus_entities')
    op.drop_index('ix_entity_labels_corpus_entity_id_kind', table_name='entity_labels')
    op.drop_index(op.f('ix_entity_labels_entity_id'), table_name='entity_labels')
    op.drop_table('entity_labels')
    # Plain ALTER TABLE (SQLite >= 3.35 has DROP COLUMN): batch mode would copy corpus_entities,
    # which entities refer to, and the documents' full-text triggers would be lost with events'.
    for column in ('evidence_start', 'doc_id', 'date_key'):
        op.drop_column('events', column)
    for column in ('display_name', 'statements', 'mentions', 'documents'):
        op.drop_column('corpus_entities', column)

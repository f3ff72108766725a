"""search index: the access rule's columns on the rows, kept in step by triggers

Search no longer joins dossiers and documents: each row carries its dossier's status and
access mode (``dossier_mode``) next to its own mode and agency. Triggers on ``dossiers`` and
``documents`` copy a changed status or mode onto the rows at once, so a record never stays
visible under an old mode while its reindex job waits.

On PostgreSQL ``tsv`` and ``tsv_exact`` become plain columns that the indexer fills with
tsvectors built in Python from the same tokens (search.sql.tsvector_literal): the generated
columns made the server parse and unaccent every text again, the slowest step of indexing.
Existing rows are filled here with the former expressions. The GIN over ``tsv_exact`` goes
(that column is only ranked, never matched), and rows keep long texts out of line so that
counting facets over many hits reads a narrow heap.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FTS_COLUMNS = ("f_title", "f_meta", "f_symbol", "f_body", "x_text")
_FOLLOW_DOSSIER = (
    "UPDATE search_entries SET status = new.status, dossier_mode = new.mode, "
    "mode = CASE WHEN kind = 'dossier' THEN new.mode ELSE mode END "
    "WHERE dossier_id = new.id"
)
_FOLLOW_DOCUMENT = "UPDATE search_entries SET mode = new.mode WHERE record_id = new.id"
_TSV = (
    "setweight(to_tsvector('simple', f_unaccent(f_title)), 'A') || "
    "setweight(to_tsvector('simple', f_unaccent(f_meta)), 'B') || "
    "setweight(to_tsvector('simple', f_symbol), 'B') || "
    "setweight(to_tsvector('simple', f_unaccent(f_body)), 'D')"
)
_TSV_EXACT = "to_tsvector('simple', x_text)"
_BACKFILL = (
    "UPDATE search_entries SET status = (SELECT d.status FROM dossiers d "
    "WHERE d.id = search_entries.dossier_id), dossier_mode = (SELECT d.mode FROM dossiers d "
    "WHERE d.id = search_entries.dossier_id) "
    "WHERE EXISTS (SELECT 1 FROM dossiers d WHERE d.id = search_entries.dossier_id)"
)


def _sqlite() -> None:
    op.execute(
        "CREATE TRIGGER dossiers_search_au AFTER UPDATE OF status, mode ON dossiers "
        "WHEN old.status IS NOT new.status OR old.mode IS NOT new.mode "
        f"BEGIN {_FOLLOW_DOSSIER}; END"
    )
    op.execute(
        "CREATE TRIGGER documents_search_au AFTER UPDATE OF mode ON documents "
        f"WHEN old.mode IS NOT new.mode BEGIN {_FOLLOW_DOCUMENT}; END"
    )
    # How many rows hold each term: search narrows broad questions to their rarest words.
    op.execute("CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, row)")
    # Re-tokenise only when the texts change, not when a trigger above moves a status.
    columns = ", ".join(FTS_COLUMNS)
    new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    op.execute("DROP TRIGGER search_entries_au")
    op.execute(
        f"CREATE TRIGGER search_entries_au AFTER UPDATE OF {columns} ON search_entries BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {columns}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO search_fts(rowid, {columns}) VALUES (new.id, {new}); END"
    )


def _postgres() -> None:
    op.execute(
        "CREATE FUNCTION search_entries_follow_dossier() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN {_FOLLOW_DOSSIER}; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE FUNCTION search_entries_follow_document() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN {_FOLLOW_DOCUMENT}; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER dossiers_search_au AFTER UPDATE OF status, mode ON dossiers FOR EACH ROW "
        "WHEN (old.status IS DISTINCT FROM new.status OR old.mode IS DISTINCT FROM new.mode) "
        "EXECUTE FUNCTION search_entries_follow_dossier()"
    )
    op.execute(
        "CREATE TRIGGER documents_search_au AFTER UPDATE OF mode ON documents FOR EACH ROW "
        "WHEN (old.mode IS DISTINCT FROM new.mode) "
        "EXECUTE FUNCTION search_entries_follow_document()"
    )
    op.execute("ALTER TABLE search_entries DROP COLUMN tsv, DROP COLUMN tsv_exact")
    op.execute("ALTER TABLE search_entries ADD COLUMN tsv tsvector, ADD COLUMN tsv_exact tsvector")
    op.execute(f"UPDATE search_entries SET tsv = {_TSV}, tsv_exact = {_TSV_EXACT}")
    op.execute("CREATE INDEX ix_search_entries_tsv ON search_entries USING gin (tsv)")
    # Rows written from now on keep texts and tsvectors in TOAST: the heap holds the short
    # columns that filters, the access rule and facet counts read.
    op.execute("ALTER TABLE search_entries SET (toast_tuple_target = 256)")


def upgrade() -> None:
    op.add_column("search_entries", sa.Column("dossier_mode", sa.String(length=2)))
    op.create_index("ix_search_entries_agency_id", "search_entries", ["agency_id", "kind"])
    op.execute(_BACKFILL)
    op.execute("UPDATE search_entries SET dossier_mode = mode WHERE dossier_mode IS NULL")
    if op.get_bind().dialect.name == "postgresql":
        _postgres()
    else:
        _sqlite()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE search_entries RESET (toast_tuple_target)")
        op.execute("ALTER TABLE search_entries DROP COLUMN tsv, DROP COLUMN tsv_exact")
        op.execute(
            f"ALTER TABLE search_entries ADD COLUMN tsv tsvector GENERATED ALWAYS AS ({_TSV}) "
            f"STORED, ADD COLUMN tsv_exact tsvector GENERATED ALWAYS AS ({_TSV_EXACT}) STORED"
        )
        op.execute("CREATE INDEX ix_search_entries_tsv ON search_entries USING gin (tsv)")
        op.execute(
            "CREATE INDEX ix_search_entries_tsv_exact ON search_entries USING gin (tsv_exact)"
        )
        op.execute("DROP TRIGGER documents_search_au ON documents")
        op.execute("DROP TRIGGER dossiers_search_au ON dossiers")
        op.execute("DROP FUNCTION search_entries_follow_document()")
        op.execute("DROP FUNCTION search_entries_follow_dossier()")
    else:
        op.execute("DROP TABLE search_fts_vocab")
        op.execute("DROP TRIGGER documents_search_au")
        op.execute("DROP TRIGGER dossiers_search_au")
        columns = ", ".join(FTS_COLUMNS)
        new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
        old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
        op.execute("DROP TRIGGER search_entries_au")
        op.execute(
            "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN "
            f"INSERT INTO search_fts(search_fts, rowid, {columns}) "
            f"VALUES ('delete', old.id, {old}); "
            f"INSERT INTO search_fts(rowid, {columns}) VALUES (new.id, {new}); END"
        )
    op.drop_index("ix_search_entries_agency_id", table_name="search_entries")
    # Not batch mode: recreating the table on SQLite would drop the FTS triggers of 0004.
    op.execute("ALTER TABLE search_entries DROP COLUMN dossier_mode")

"""search index: flat entries, FTS5 (SQLite) or tsvector + GIN over f_unaccent (PostgreSQL)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import archive.catalog.base

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

FTS_COLUMNS = ("f_title", "f_meta", "f_symbol", "f_body", "x_text")


def _sqlite_fts() -> None:
    columns = ", ".join(FTS_COLUMNS)
    new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    # Text is stored already folded (search.folding), so the tokenizer only splits and keeps
    # the diacritics of x_text, the unfolded copy used for the exact-match boost.
    op.execute(
        f"CREATE VIRTUAL TABLE search_fts USING fts5({columns}, content='search_entries', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
    )
    op.execute(
        "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
        f"INSERT INTO search_fts(rowid, {columns}) VALUES (new.id, {new}); END"
    )
    op.execute(
        "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {columns}) VALUES ('delete', old.id, {old}); "
        "END"
    )
    op.execute(
        "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {columns}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO search_fts(rowid, {columns}) VALUES (new.id, {new}); END"
    )


def _postgres_fts() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    # unaccent() is only STABLE (its dictionary could change); the wrapper pins the dictionary
    # so that it may be used in generated columns and indexes.
    op.execute(
        "CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE "
        "PARALLEL SAFE STRICT AS "
        "$$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$"
    )
    op.execute(
        "ALTER TABLE search_entries ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple', f_unaccent(f_title)), 'A') || "
        "setweight(to_tsvector('simple', f_unaccent(f_meta)), 'B') || "
        "setweight(to_tsvector('simple', f_symbol), 'B') || "
        "setweight(to_tsvector('simple', f_unaccent(f_body)), 'D')) STORED"
    )
    op.execute(
        "ALTER TABLE search_entries ADD COLUMN tsv_exact tsvector GENERATED ALWAYS AS ("
        "to_tsvector('simple', x_text)) STORED"
    )
    op.execute("CREATE INDEX ix_search_entries_tsv ON search_entries USING gin (tsv)")
    op.execute("CREATE INDEX ix_search_entries_tsv_exact ON search_entries USING gin (tsv_exact)")


def upgrade() -> None:
    op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("agency_code", sa.String(length=35), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("mode", sa.String(length=2), nullable=False),
        sa.Column("maintenance", sa.String(length=2), nullable=True),
        sa.Column("type_name", sa.String(length=10), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("sort_date", sa.String(length=10), nullable=True),
        sa.Column("file_code", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=1000), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=True),
        sa.Column("code_number", sa.String(length=11), nullable=True),
        sa.Column("code_notation", sa.String(length=30), nullable=True),
        sa.Column("issued_date", sa.String(length=10), nullable=True),
        sa.Column("f_title", sa.Text(), nullable=False),
        sa.Column("f_meta", sa.Text(), nullable=False),
        sa.Column("f_symbol", sa.Text(), nullable=False),
        sa.Column("f_body", sa.Text(), nullable=False),
        sa.Column("x_text", sa.Text(), nullable=False),
        sa.Column("indexed_at", archive.catalog.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entries")),
        sa.UniqueConstraint("record_id", name=op.f("uq_search_entries_record_id")),
    )
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_entries_dossier_id"), ["dossier_id"])
        batch_op.create_index("ix_search_entries_agency_year", ["agency_code", "year"])
        batch_op.create_index("ix_search_entries_sort_date", ["sort_date", "record_id"])

    op.create_table(
        "search_rebuilds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("backend", sa.String(length=20), nullable=False),
        sa.Column("token", sa.String(length=200), nullable=False),
        sa.Column("started_at", archive.catalog.base.UTCDateTime(), nullable=False),
        sa.Column("last_dossier_id", sa.String(length=36), nullable=True),
        sa.Column("dossiers_done", sa.Integer(), nullable=False),
        sa.Column("documents_done", sa.Integer(), nullable=False),
        sa.Column("finished_at", archive.catalog.base.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_rebuilds")),
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgres_fts()
    else:
        _sqlite_fts()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS f_unaccent(text) CASCADE")
    else:
        for trigger in ("search_entries_ai", "search_entries_ad", "search_entries_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_rebuilds")
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_search_entries_sort_date")
        batch_op.drop_index("ix_search_entries_agency_year")
        batch_op.drop_index(batch_op.f("ix_search_entries_dossier_id"))
    op.drop_table("search_entries")

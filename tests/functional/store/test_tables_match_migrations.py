"""store/tables/ and the migrations describe one schema: a store migrated from nothing
has exactly the tables, columns, types, indexes and keys the code queries (alembic's
compare_metadata, as warehouse's bin/db-check runs it), on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from panelkey.core.panel import Panel
from panelkey.store import tables


def test_a_migrated_store_matches_the_tables(database_url: str) -> None:
    Panel.open(database_url).close()  # every migration, from an empty store
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, tables.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_every_table_belongs_to_a_family_module() -> None:
    # `tables.<name>` is the whole schema; each table is defined in one family module.
    modules = {t.name: t for t in tables.metadata.sorted_tables}
    for name, table in modules.items():
        assert getattr(tables, name) is table, name

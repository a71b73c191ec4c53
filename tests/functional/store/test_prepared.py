"""Prepared reads (store/prepared.py) on SQLite and PostgreSQL: they see every commit at
once, see an enclosing transaction's own writes, cannot write, and outlive a dispose."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.store import tables
from panelkey.store.database import Database
from panelkey.store.prepared import Prepared


def _by_login(db: Database) -> Prepared:
    a = tables.accounts
    return db.prepare(sa.select(a.c.id, a.c.login).where(a.c.login_key == sa.bindparam("v")))


def test_a_commit_on_another_handle_is_seen_by_the_next_read(database_url: str) -> None:
    reader, writer = Panel.open(database_url), Panel.open(database_url, migrate=False)
    try:
        reader.bootstrap()
        admin = reader.accounts.admin()
        assert admin is not None
        assert reader.accounts.by_login("late") is None  # the reader's connection exists now
        writer.accounts.create(
            admin.identity(), type="customer", login="late", password="pw-late-customer-1"
        )
        found = reader.accounts.by_login("LATE")
        assert found is not None and found.login == "late"
        writer.accounts.delete(admin.identity(), found)
        assert reader.accounts.by_login("late") is None
    finally:
        writer.close()
        reader.close()


def test_inside_atomic_a_read_sees_the_transactions_own_writes(
    panel: Panel, admin: Identity
) -> None:
    with pytest.raises(RuntimeError), panel.db.atomic():
        panel.accounts.create(admin, type="customer", login="inner", password="pw-inner-cust-1")
        seen = panel.accounts.by_login("inner")
        assert seen is not None and seen.login == "inner"
        assert [a.login for a in panel.accounts.list()][-1] == "inner"
        raise RuntimeError("roll back")
    assert panel.accounts.by_login("inner") is None


def test_the_read_connection_refuses_to_write(panel: Panel) -> None:
    with pytest.raises(Exception, match="(?i)read.?only|readonly"):
        panel.db.readers.run("DELETE FROM accounts", ())
    assert panel.accounts.admin() is not None


def test_reads_go_on_after_dispose_and_in_other_threads(panel: Panel) -> None:
    q = _by_login(panel.db)
    assert q.first(v="admin") is not None
    panel.db.dispose()
    assert q.first(v="admin") is not None
    seen: list[object] = []
    worker = threading.Thread(target=lambda: seen.append(q.first(v="admin")))
    worker.start()
    worker.join()
    assert seen and seen[0] is not None


def test_result_types_are_converted_as_sqlalchemy_would(panel: Panel) -> None:
    r = tables.dns_records
    q = panel.db.prepare(sa.select(r.c.modified, r.c.ttl).where(r.c.id == sa.bindparam("v")))
    with panel.db.begin() as conn:
        domain_id = conn.execute(
            tables.domains.insert().values(
                guid="6f1c0a52-1a52-4c43-8e0b-0d7f0c1e9a01", name="typed.example",
                ascii_name="typed.example", owner_id=1, created="2026-01-01T00:00:00Z",
            )
        ).inserted_primary_key[0]  # fmt: skip
        record_id = conn.execute(
            r.insert().values(domain_id=domain_id, type="TXT", host="typed.example.", value="v")
        ).inserted_primary_key[0]
    assert q.first(v=record_id) == (False, 86400)
    assert q.first(v=record_id + 1000) is None


def test_statements_alike_but_for_their_literals_each_keep_their_own(panel: Panel) -> None:
    """Compiled once a process (the second shares the first's SQL), each statement still
    answers with its own literal values, in this store and in one opened after it."""
    a = tables.accounts

    def named(fallback: str) -> sa.Select[tuple[str]]:
        return sa.select(sa.literal(fallback, sa.String)).where(a.c.login == "admin")

    first, second = panel.db.prepare(named("one")), panel.db.prepare(named("two"))
    assert first.sql == second.sql
    assert (first.scalar(), second.scalar()) == ("one", "two")
    other = Panel.open(panel.db.url, migrate=False)
    try:
        assert other.db.prepare(named("three")).scalar() == "three"
    finally:
        other.close()


def test_a_statement_whose_binds_need_converting_is_refused(tmp_path: Path) -> None:
    # SQLite stores dates as text that SQLAlchemy formats: such a read stays on its path.
    db = Database(f"sqlite:///{tmp_path / 'store.db'}")
    a = tables.accounts
    dated = sa.select(a.c.id).where(a.c.created == sa.bindparam("v", type_=sa.DateTime))
    with pytest.raises(ValueError, match="binds need processing"):
        db.prepare(dated)
    db.dispose()


def test_the_filter_columns_are_indexed_also_in_a_store_migrated_from_0013(
    database_url: str,
) -> None:
    from alembic import command
    from alembic.config import Config

    from panelkey.store import database as store_database

    db = Database(database_url)
    db.migrate()
    wanted = {
        ("domains", "owner_id"),
        ("domains", "base_domain_id"),
        ("domains", "name"),
        ("domains", "guid"),
        ("accounts", "owner_id"),
        ("accounts", "login_key"),
        ("accounts", "guid"),
        ("accounts", "external_id"),
        ("dns_records", "domain_id"),
        ("secret_keys", "owner_id"),
        ("secret_keys", "digest"),
    }

    def indexed() -> set[tuple[str, str]]:
        inspector = sa.inspect(db.engine)
        found = set()
        for table in {t for t, _ in wanted}:
            for ix in [*inspector.get_indexes(table), *inspector.get_unique_constraints(table)]:
                found.add((table, ix["column_names"][0]))
        return found

    assert wanted <= indexed()
    cfg = Config()
    cfg.set_main_option("script_location", str(store_database._MIGRATIONS))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0013")
    assert ("domains", "owner_id") not in indexed()
    db.migrate()
    assert wanted <= indexed()
    db.dispose()

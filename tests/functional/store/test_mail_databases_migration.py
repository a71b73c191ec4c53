"""Migration 0012 on a store made before it: the tier-2 (part two) tables appear, with the
two local database servers, and the old subscriptions can hold mail and databases."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from panelkey.core.mail import MailChange
from panelkey.core.panel import Panel
from panelkey.store import database


def _to(conn: sa.Connection, revision: str, down: bool = False) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(database._MIGRATIONS))
    cfg.attributes["connection"] = conn
    (command.downgrade if down else command.upgrade)(cfg, revision)


def test_a_store_at_0011_gets_the_local_servers_and_takes_mail_and_databases(
    database_url: str,
) -> None:
    db = database.Database(database_url)
    with db.engine.begin() as conn:
        _to(conn, "0011")
        assert "db_servers" not in sa.inspect(conn).get_table_names()
        conn.execute(
            sa.text(
                "INSERT INTO accounts (guid, type, login, login_key, password_hash, created) "
                "VALUES ('g', 'admin', 'admin', 'admin', 'x', '2026-01-01T00:00:00Z')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO domains (guid, name, ascii_name, owner_id, created) "
                "VALUES ('d', 'old.example', 'old.example', 1, '2026-01-01T00:00:00Z')"
            )
        )
    db.dispose()
    panel = Panel.open(database_url)
    try:
        servers = [
            (s.id, s.type, s.port, s.is_default, s.is_local) for s in panel.databases.servers()
        ]
        assert servers == [(1, "mysql", 3306, True, True), (2, "postgresql", 5432, True, True)]
        admin = panel.accounts.admin()
        assert admin is not None
        old = panel.domains.by_name(admin.identity(), "old.example")
        assert old is not None
        made = panel.databases.create(admin.identity(), old, name="legacy", type="postgresql")
        assert made.server_id == 2
        mail = panel.mail.create(admin.identity(), old, "info", MailChange(mailbox=True))
        assert mail.mailbox and mail.quota == -1
    finally:
        panel.close()


def test_0012_goes_down_and_up_again(database_url: str) -> None:
    panel = Panel.open(database_url)
    panel.close()
    db = database.Database(database_url)
    with db.engine.begin() as conn:
        _to(conn, "0011", down=True)
        names = set(sa.inspect(conn).get_table_names())
        assert not names & {"mail_names", "databases", "db_users", "db_servers", "certificates"}
    db.dispose()
    panel = Panel.open(database_url)
    try:
        assert [s.type for s in panel.databases.servers()] == ["mysql", "postgresql"]
    finally:
        panel.close()

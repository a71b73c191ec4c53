"""Migration 0005 on a store made before it: zones get settings, records stay user-made."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from panelkey.core.panel import Panel
from panelkey.store import database


def test_a_store_at_0002_upgrades_and_keeps_its_zones(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db = database.Database(url)
    with db.engine.begin() as conn:
        cfg = Config()
        cfg.set_main_option("script_location", str(database._MIGRATIONS))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        conn.execute(sa.text("ALTER TABLE dns_records DROP COLUMN modified"))
        conn.execute(sa.text("ALTER TABLE dns_records DROP COLUMN template_id"))
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
        conn.execute(
            sa.text(
                "INSERT INTO dns_records (domain_id, type, host, value) "
                "VALUES (1, 'A', 'old.example.', '192.0.2.1')"
            )
        )
    db.dispose()
    panel = Panel.open(url)
    try:
        found = panel.dns_zones.lookup("old.example.")
        assert found is not None
        zone, records = found
        assert zone.status == "enabled" and [r.value for r in records] == ["192.0.2.1"]
        assert len(panel.dns_zones.template()) == 10
        admin = panel.accounts.admin()
        assert admin is not None
        domain = panel.domains.get(admin.identity(), 1)
        assert domain is not None
        panel.dns_zones.sync(admin.identity(), domain)
        # The old record is user-made: kept; the template's records are added beside it.
        hosts = [r.host for r in panel.dns.records(admin.identity(), domain)]
        assert hosts.count("old.example.") >= 2 and "www.old.example." in hosts
    finally:
        panel.close()

"""The write path (issue 26): writers queued in one process, the kept SQLite writer, and
the statements compiled once, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from panelkey.core.domains.domains import Domain
from panelkey.core.errors import NotFound
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.store import tables


def _zone(panel: Panel, admin: Identity) -> Domain:
    return panel.domains.create(admin, name="writes.example")


def test_sqlite_writes_keep_full_synchronous_and_wal(tmp_path: Path) -> None:
    panel = Panel.open(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        for _ in range(2):  # the kept connection, first made and then reused
            with panel.db.begin() as conn:
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        panel.close()


def test_writers_of_many_threads_all_commit_with_events_and_serials(
    panel: Panel, admin: Identity
) -> None:
    domain = _zone(panel, admin)
    first = panel.dns_zones.zone(admin, domain).serial
    made: list[int] = []
    failed: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                record = panel.dns.add(admin, domain, type="TXT", host=f"t{n}", value=f"{i}")
                made.append(record.id)
                if i % 3 == 0:
                    panel.dns.delete(admin, record.id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failed.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failed == []
    assert len(set(made)) == 8 * 15
    kept = {r.id for r in panel.dns.records(admin, domain)}
    assert len([i for i in made if i in kept]) == 8 * 10
    e = tables.events
    with panel.db.read() as conn:
        logged = conn.execute(
            sa.select(e.c.action, sa.func.count())
            .where(e.c.obj_class == "dns_zone_rec", e.c.obj_id.in_(made))
            .group_by(e.c.action)
        ).all()
    assert dict(logged) == {"dns_zone_rec_create": 120, "dns_zone_rec_delete": 40}
    # Every write bumped the serial past the last one: 160 writes, 160 steps at least.
    assert panel.dns_zones.zone(admin, domain).serial >= first + 160


def test_a_failed_write_rolls_back_and_the_next_one_commits(panel: Panel, admin: Identity) -> None:
    domain = _zone(panel, admin)
    before = panel.dns.records(admin, domain)
    r = tables.dns_records
    with pytest.raises(RuntimeError), panel.db.begin() as conn:
        conn.execute(r.insert().values(domain_id=domain.id, type="TXT", host="x.", value="v"))
        raise RuntimeError("the caller's own failure")
    assert panel.dns.records(admin, domain) == before
    with pytest.raises(sa.exc.IntegrityError), panel.db.begin() as conn:
        # A statement of the compiled path failing in the database: raised as SQLAlchemy
        # raises its own, and rolled back.
        from panelkey.core.dns.records import _INSERT

        _INSERT.returned(conn, domain_id=999_999, type="TXT", host="y.", value="v", opt="",
                         ttl=1, template_id=None)  # fmt: skip
    record = panel.dns.add(admin, domain, type="TXT", host="after", value="v")
    assert record.id in {x.id for x in panel.dns.records(admin, domain)}


def test_the_serial_of_a_zone_without_a_row_starts_at_once(panel: Panel, admin: Identity) -> None:
    domain = _zone(panel, admin)
    with panel.db.begin() as conn:
        conn.execute(tables.dns_zones.delete().where(tables.dns_zones.c.domain_id == domain.id))
    panel.dns.add(admin, domain, type="TXT", host="s", value="v")
    with panel.db.read() as conn:
        serial = conn.execute(
            sa.select(tables.dns_zones.c.serial).where(tables.dns_zones.c.domain_id == domain.id)
        ).scalar()
    assert serial is not None and serial > 1_700_000_000  # Unix time


def _events_of(panel: Panel, record_id: int) -> list[str]:
    e = tables.events
    with panel.db.read() as conn:
        return list(
            conn.execute(
                sa.select(e.c.action).where(
                    e.c.obj_class == "dns_zone_rec", e.c.obj_id == record_id
                )
            ).scalars()
        )


def test_a_record_out_of_the_actors_reach_is_not_deleted(panel: Panel, admin: Identity) -> None:
    from tests.factories import customer

    owner = customer(panel, "reach-owner")
    other = customer(panel, "reach-other").identity()
    domain = panel.domains.create(admin, name="reach.example", owner=owner)
    record = panel.dns.add(admin, domain, type="TXT", host="r", value="v")
    with pytest.raises(NotFound):
        panel.dns.delete(other, record.id)
    assert record.id in {r.id for r in panel.dns.records(admin, domain)}
    assert _events_of(panel, record.id) == ["dns_zone_rec_create"]
    gone = panel.dns.delete(owner.identity(), record.id)  # its owner's reach holds it
    assert gone == record
    assert _events_of(panel, record.id) == ["dns_zone_rec_create", "dns_zone_rec_delete"]
    with pytest.raises(NotFound):
        panel.dns.delete(admin, record.id)


def test_a_record_added_to_a_zone_deleted_meanwhile_is_refused(
    panel: Panel, admin: Identity
) -> None:
    domain = _zone(panel, admin)
    panel.domains.delete(admin, domain)
    with pytest.raises(NotFound, match="Site does not exist"):
        panel.dns.add(admin, domain, type="TXT", host="late", value="v")
    r = tables.dns_records
    with panel.db.read() as conn:
        left = conn.execute(sa.select(sa.func.count()).where(r.c.domain_id == domain.id)).scalar()
    assert left == 0

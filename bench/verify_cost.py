"""In-process cost of verifying a key with N keys in the store, and a server's memory.

The store is filled with N random digests straight through SQL (the key values behind
them are never made), plus one key made the normal way, which is the one verified.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import statistics
import time
from pathlib import Path

import sqlalchemy as sa

from panelkey.core.access.keys import new_key_value
from panelkey.core.panel import Panel
from panelkey.store import tables

BATCH = 20_000


def fill_store(data_dir: Path, count: int) -> tuple[str, str]:
    """A SQLite store in `data_dir` with `count` keys; returns (url, value of one key)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{data_dir / 'panelkey.db'}"
    os.environ.setdefault("PANELKEY_ADMIN_PASSWORD", "bench-admin-password")
    panel = Panel.open(url)
    panel.bootstrap()
    admin = panel.accounts.admin()
    assert admin is not None
    now = "2026-01-01T00:00:00Z"
    with panel.db.begin() as conn:
        for start in range(0, count - 1, BATCH):
            rows = [
                {
                    "digest": hashlib.sha256(secrets.token_bytes(16)).hexdigest(),
                    "owner_id": admin.id,
                    "addresses": "127.0.0.1",
                    "description": "",
                    "created": now,
                }
                for _ in range(min(BATCH, count - 1 - start))
            ]
            conn.execute(tables.secret_keys.insert(), rows)
    value, _ = panel.keys.create(
        admin.identity(), addresses="127.0.0.1", description="bench", face="cli"
    )
    with panel.db.read() as conn:
        stored = conn.execute(sa.select(sa.func.count()).select_from(tables.secret_keys)).scalar()
    assert stored == count, stored
    panel.close()
    # One huge transaction leaves a huge WAL behind; a store in service is checkpointed as
    # it goes, so measure it in that state.
    raw = sqlite3.connect(data_dir / "panelkey.db")
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    return url, value


def measure(url: str, value: str, rounds: int = 2000) -> dict[str, float]:
    """Median µs of a cached check and of an uncached one (store lookup)."""
    panel = Panel.open(url, migrate=False)
    panel.watch()
    auth = panel.auth
    cold = []
    for _ in range(50):
        auth.invalidate()
        t0 = time.perf_counter_ns()
        auth.check_key(value, "127.0.0.1")
        cold.append((time.perf_counter_ns() - t0) / 1000)
    auth.check_key(value, "127.0.0.1")
    hot = []
    for _ in range(rounds):
        t0 = time.perf_counter_ns()
        for _ in range(100):
            auth.check_key(value, "127.0.0.1")
        hot.append((time.perf_counter_ns() - t0) / 100 / 1000)
    panel.close()
    return {"hot_us": statistics.median(hot), "cold_us": statistics.median(cold)}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


__all__ = ["fill_store", "measure", "new_key_value", "rss_mb"]


def revocation_delays(pg_url: str, count: int = 20) -> list[float]:
    """Milliseconds from a delete's commit on one store handle to the moment another,
    with its own change feed, refuses the key (both on the same PostgreSQL)."""
    os.environ.setdefault("PANELKEY_ADMIN_PASSWORD", "bench-admin-password")
    writer = Panel.open(pg_url)
    writer.bootstrap()
    reader = Panel.open(pg_url, migrate=False)
    reader.watch()
    admin = writer.accounts.admin()
    assert admin is not None
    delays = []
    try:
        for _ in range(count):
            value, info = writer.keys.create(admin.identity(), addresses=None, face="cli")
            reader.auth.check_key(value, "127.0.0.1")  # cached in the reader
            writer.keys.delete(admin.identity(), str(info.id), face="cli")
            t0 = time.perf_counter()
            while reader.auth.check_key_cached(value, "127.0.0.1") is not None:
                if time.perf_counter() - t0 > 5:
                    raise RuntimeError("the reader never learned of the delete")
                time.sleep(0.00005)
            delays.append((time.perf_counter() - t0) * 1000)
    finally:
        reader.close()
        writer.close()
    return delays

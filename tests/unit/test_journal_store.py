"""The journal file: the newest N entries kept, filters, bodies redacted before writing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from panelkey.journal import Journal


def _entry(n: int, face: str = "xml", status: int = 200) -> dict[str, object]:
    body = f"<packet><customer><get/></customer><passwd>pw-{n}</passwd></packet>".encode()
    return {
        "at": f"2026-01-01T00:00:{n:02d}Z",
        "face": face,
        "source": "127.0.0.1",
        "credential": f"key {n}",
        "operation": "GET /api/v2/server" if face == "rest" else "",
        "status": status,
        "errcode": "",
        "outcome": "error" if status >= 400 else "ok",
        "reason": "",
        "duration_ms": 1.5,
        "request": body if face == "xml" else b'{"password": "pw-%d"}' % n,
        "answer": b"<packet/>" if face == "xml" else b"{}",
    }


def test_only_the_newest_entries_are_kept(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.db", size=3)
    for n in range(5):
        journal.add(_entry(n))
    journal.flush()
    journal.add(_entry(5, face="rest", status=401))
    journal.flush()
    kept = journal.entries()
    assert [e.credential for e in kept] == ["key 3", "key 4", "key 5"]
    assert [e.operation for e in kept][:2] == ["customer/get", "customer/get"]
    assert [e.credential for e in journal.entries(face="rest")] == ["key 5"]
    assert [e.credential for e in journal.entries(outcome="error")] == ["key 5"]
    assert [e.credential for e in journal.entries(text="key 4")] == ["key 4"]
    assert journal.get(kept[0].id) == kept[0]
    journal.close()
    raw = sqlite3.connect(tmp_path / "journal.db").execute("SELECT request FROM journal").fetchall()
    assert raw and not any("pw-" in r[0] for r in raw)  # redacted before it was written
    assert (tmp_path / "journal.db").stat().st_mode & 0o777 == 0o600


def test_a_journal_of_size_zero_keeps_nothing(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.db", size=0)
    journal.add(_entry(1))
    journal.flush()
    assert journal.entries() == [] and not (tmp_path / "journal.db").exists()


def test_a_flood_keeps_only_the_newest_waiting_and_flush_says_how_many_came(
    tmp_path: Path,
) -> None:
    journal = Journal(tmp_path / "journal.db", size=3)
    for n in range(50):
        journal.add(_entry(n % 60))
    assert journal.flush() == 50  # the server waits longer before the next flush then
    assert [e.credential for e in journal.entries()] == ["key 47", "key 48", "key 49"]
    assert journal.flush() == 0
    journal.close()

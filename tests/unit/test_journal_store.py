"""The journal file: the newest N entries kept, filters, bodies redacted before writing."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

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


def test_an_entry_is_read_back_as_it_was_written_whatever_its_text(tmp_path: Path) -> None:
    """The batch goes to SQLite as one JSON array: every kind of text and number comes
    back as it went in."""
    journal = Journal(tmp_path / "journal.db", size=10)
    odd = {
        **_entry(1, face="rest"),
        "source": "::ffff:127.0.0.1",
        "credential": 'login jürgen "😀" \\ \x01\t\u2028',
        "reason": "line\nbreak\r and a NUL-free \x7f",
        "duration_ms": 12345.67,
        "status": 599,
        "request": '{"name": "Zoë 😀 \\u0000"}'.encode(),
    }
    journal.add(odd)
    journal.flush()
    (kept,) = journal.entries()
    assert (kept.source, kept.credential, kept.reason) == (
        odd["source"],
        odd["credential"],
        odd["reason"],
    )
    assert (kept.status, kept.duration_ms) == (599, 12345.67)
    assert isinstance(kept.status, int) and isinstance(kept.duration_ms, float)
    assert kept.request == '{"name": "Zoë 😀 \\u0000"}'


def test_rows_made_on_the_loop_and_cancelled_are_all_written_in_order(tmp_path: Path) -> None:
    """The server stopping cancels the journal's flusher while it makes rows: the entries
    it took are written at once, none lost, in their order."""
    journal = Journal(tmp_path / "journal.db", size=1000)
    for n in range(200):
        journal.add(_entry(n % 60))
    waiting, _ = journal.take()

    async def go() -> None:
        preparing = asyncio.create_task(journal.prepare(waiting))
        for _ in range(3):  # a few slices made
            await asyncio.sleep(0)
        preparing.cancel()
        with pytest.raises(asyncio.CancelledError):
            await preparing

    asyncio.run(go())
    assert [e.credential for e in journal.entries(limit=1000)] == [
        f"key {n % 60}" for n in range(200)
    ]
    journal.close()


def test_rows_made_on_the_loop_leave_the_entries_given_unchanged(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.db", size=10)
    given = _entry(3)
    journal.add(given)
    waiting, _ = journal.take()
    journal.put(asyncio.run(journal.prepare(waiting)))
    assert given == _entry(3)  # an entry kept elsewhere is not redacted under its owner
    assert "pw-3" not in journal.entries()[0].request

"""Group commit on SQLite (store/group.py): write calls run in one group share a
transaction and a commit, and each is answered only once a commit covers it."""

from __future__ import annotations

import asyncio
import contextvars
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from panelkey.core.domains.domains import Domain
from panelkey.core.errors import NotFound
from panelkey.core.identity import Identity
from panelkey.core.panel import Panel
from panelkey.store import database, tables


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Panel, Identity, Domain, Path]]:
    path = tmp_path / "p.db"
    panel = Panel.open(f"sqlite:///{path}")
    panel.bootstrap()
    account = panel.accounts.admin()
    assert account is not None
    admin = account.identity()
    domain = panel.domains.create(admin, name="group.example")
    try:
        yield panel, admin, domain, path
    finally:
        panel.close()


def _committed_hosts(path: Path) -> set[str]:
    """What another connection sees: committed rows only."""
    conn = sqlite3.connect(path)
    try:
        return {h for (h,) in conn.execute("SELECT host FROM dns_records")}
    finally:
        conn.close()


class Answers:
    """settle() callbacks of a group's calls, and what each saw committed when settled."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.got: dict[str, tuple[Any, BaseException | None, set[str]]] = {}

    def settle(self, name: str) -> Callable[[Any, BaseException | None], None]:
        def settle(result: Any, error: BaseException | None) -> None:
            self.got[name] = (result, error, _committed_hosts(self.path))

        return settle


def _in_group(panel: Panel, calls: list[tuple[str, Callable[[], Any]]], answers: Answers) -> None:
    """Run `calls` in one write group on a thread of their own, as the lane does."""

    def run() -> None:
        with panel.db.group() as group:
            for name, fn in calls:
                group.run(contextvars.copy_context(), fn, answers.settle(name))

    t = threading.Thread(target=run)
    t.start()
    t.join(30)
    assert not t.is_alive()


def test_calls_share_a_commit_see_each_others_writes_and_answer_after_it(
    store: tuple[Panel, Identity, Domain, Path],
) -> None:
    panel, admin, domain, path = store
    answers = Answers(path)
    seen: dict[str, Any] = {}

    def first() -> int:
        return panel.dns.add(admin, domain, type="TXT", host="one", value="1").id

    def second() -> int:
        # The first call's record, uncommitted: read through the group's transaction.
        seen["records"] = {r.host for r in panel.dns.records(admin, domain)}
        seen["committed"] = _committed_hosts(path)
        return panel.dns.add(admin, domain, type="TXT", host="two", value="2").id

    _in_group(panel, [("first", first), ("second", second)], answers)
    full = {"one.group.example.", "two.group.example."}
    assert "one.group.example." in seen["records"]
    assert "one.group.example." not in seen["committed"]  # one commit, at the end
    for name in ("first", "second"):
        result, error, committed = answers.got[name]
        assert error is None and isinstance(result, int)
        assert full <= committed  # answered only once its write was committed
    events = tables.events
    ids = [answers.got[name][0] for name in ("first", "second")]
    with panel.db.read() as conn:
        logged = conn.execute(
            sa.select(events.c.action).where(
                events.c.obj_class == "dns_zone_rec", events.c.obj_id.in_(ids)
            )
        ).scalars()
        assert list(logged) == ["dns_zone_rec_create"] * 2  # each write's event with it


def test_a_failed_call_rolls_back_its_own_writes_only(
    store: tuple[Panel, Identity, Domain, Path],
) -> None:
    from tests.factories import customer

    panel, admin, domain, path = store
    other = customer(panel, "group-other").identity()
    kept = panel.dns.add(admin, domain, type="TXT", host="kept", value="k")
    answers = Answers(path)

    def refused() -> None:
        panel.dns.delete(other, kept.id)  # deleted, then refused: rolled back

    def fails_inside() -> None:
        with panel.db.begin() as conn:
            conn.execute(
                tables.dns_records.insert().values(
                    domain_id=domain.id, type="TXT", host="undone.", value="u"
                )
            )
            raise RuntimeError("the call's own failure")

    calls = [
        ("before", lambda: panel.dns.add(admin, domain, type="TXT", host="a", value="a").id),
        ("refused", refused),
        ("fails", fails_inside),
        ("after", lambda: panel.dns.add(admin, domain, type="TXT", host="b", value="b").id),
    ]
    _in_group(panel, calls, answers)
    assert isinstance(answers.got["refused"][1], NotFound)
    assert isinstance(answers.got["fails"][1], RuntimeError)
    assert answers.got["before"][1] is None and answers.got["after"][1] is None
    hosts = _committed_hosts(path)
    assert {"kept.group.example.", "a.group.example.", "b.group.example."} <= hosts
    assert "undone." not in hosts


def test_a_transaction_begun_elsewhere_in_a_call_commits_the_group_first(
    store: tuple[Panel, Identity, Domain, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    panel, admin, domain, path = store
    # The flusher must not be what frees the lock here.
    monkeypatch.setattr("panelkey.store.database._GROUP_SLOW_S", 60.0)
    answers = Answers(path)
    counted: list[int] = []

    def direct() -> None:
        # Straight on the engine: another connection, which must not wait 30 s for the
        # group's lock, and must see what the group wrote.
        with panel.db.engine.begin() as conn:
            counted.append(
                conn.execute(
                    sa.select(sa.func.count()).where(tables.dns_records.c.host.like("c%"))
                ).scalar_one()
            )

    started = time.monotonic()
    _in_group(
        panel,
        [("add", lambda: panel.dns.add(admin, domain, type="TXT", host="c1", value="c")),
         ("direct", direct)],
        answers,
    )  # fmt: skip
    assert time.monotonic() - started < 5
    assert counted == [1]
    assert answers.got["direct"][1] is None


def test_a_call_slow_outside_the_store_holds_neither_answers_nor_the_lock(
    store: tuple[Panel, Identity, Domain, Path],
) -> None:
    panel, admin, domain, path = store
    answers = Answers(path)
    release = threading.Event()
    elsewhere: list[float] = []

    def slow() -> None:
        # Meanwhile the first call is answered, and another thread writes.
        deadline = time.monotonic() + 10
        while "quick" not in answers.got and time.monotonic() < deadline:
            time.sleep(0.01)
        t = threading.Thread(
            target=lambda: (
                panel.dns.add(admin, domain, type="TXT", host="other", value="o"),
                elsewhere.append(time.monotonic()),
            )
        )
        t.start()
        t.join(10)
        release.set()

    quick = ("quick", lambda: panel.dns.add(admin, domain, type="TXT", host="q", value="q"))
    _in_group(panel, [quick, ("slow", slow)], answers)
    assert release.is_set() and elsewhere  # neither waited for the slow call to end
    assert "q.group.example." in answers.got["quick"][2]
    assert "other.group.example." in _committed_hosts(path)


def test_key_caches_are_dropped_again_after_the_groups_commit(
    store: tuple[Panel, Identity, Domain, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    panel, admin, _domain, path = store
    # The group stays open while the other thread reads, however long a loaded machine
    # takes to run it: the flusher would commit a group left open 10 ms (and drop the
    # caches then, as it must), which is not what this test is about.
    monkeypatch.setattr(database, "_GROUP_SLOW_S", 30.0)
    value, _key = panel.keys.create(admin, addresses=["127.0.0.1"], description="g", face="cli")
    dropped: list[set[str]] = []
    panel.db.change_hooks.append(dropped.append)
    answers = Answers(path)

    def revoke() -> None:
        panel.keys.delete(admin, value, face="cli")
        # A request in between, on another thread: reads the key before the commit.
        cached: list[object] = []
        t = threading.Thread(target=lambda: cached.append(panel.auth.check_key(value, "127.0.0.1")))
        t.start()
        t.join(10)
        assert dropped == []

    _in_group(panel, [("revoke", revoke)], answers)
    assert answers.got["revoke"][1] is None
    assert dropped == [{"key"}]
    assert panel.auth.check_key_cached(value, "127.0.0.1") is None  # asked again, not cached


def test_writes_queued_on_the_lane_are_grouped_and_all_committed(
    store: tuple[Panel, Identity, Domain, Path],
) -> None:
    panel, admin, domain, path = store
    seen_at_answer: list[bool] = []

    def add(n: int) -> str:
        return panel.dns.add(admin, domain, type="TXT", host=f"l{n}", value="v").host

    async def main() -> None:
        async def one(n: int) -> None:
            host = await panel.db.writes.run(lambda: add(n))
            seen_at_answer.append(host in _committed_hosts(path))

        await asyncio.gather(*(one(n) for n in range(40)))

    asyncio.run(main())
    assert seen_at_answer == [True] * 40
    assert len([h for h in _committed_hosts(path) if h.startswith("l")]) == 40


def test_a_group_failing_by_a_bug_of_its_own_answers_every_call_it_held(
    store: tuple[Panel, Identity, Domain, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No call waits forever for a group that broke (logged, and the lane goes on)."""
    from panelkey.store.group import WriteGroup

    panel, admin, domain, path = store
    ran = WriteGroup.run

    def broken(self: WriteGroup, context: Any, fn: Callable[[], Any], settle: Any) -> None:
        if self.conn is None:  # the group's first call: broken before it is run or held
            raise RuntimeError("a bug of the group's own")
        ran(self, context, fn, settle)

    monkeypatch.setattr(WriteGroup, "run", broken)

    def add(n: int) -> str:
        return panel.dns.add(admin, domain, type="TXT", host=f"b{n}", value="v").host

    async def main() -> list[Any]:
        calls = [panel.db.writes.run(lambda n=n: add(n)) for n in range(20)]
        return await asyncio.wait_for(asyncio.gather(*calls, return_exceptions=True), 20)

    answers = asyncio.run(main())
    assert len(answers) == 20
    failed = [a for a in answers if isinstance(a, RuntimeError)]
    assert failed  # the calls the broken groups held
    monkeypatch.undo()
    # The lane went on: a write after it is answered and committed.
    after = asyncio.run(asyncio.wait_for(panel.db.writes.run(lambda: add(99)), 20))
    assert after.startswith("b99.") and after in _committed_hosts(path)

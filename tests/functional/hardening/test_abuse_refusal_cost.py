"""A flood's repeated refusals cost next to nothing (issue 24, item 8): once the audit
has an entry for a source's refusals in this interval, each further one is counted into
it on the event loop, with no thread, no store and no log line; the entry's count still
says how many there were."""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from panelkey.core.access.audit import AUTH_FAILED, OVERFLOW_SOURCE
from panelkey.core.access.throttle import Limits, Throttle
from panelkey.core.identity import Reason, Refused
from panelkey.core.panel import Panel

SOURCE = "203.0.113.5"


class NoThreads(ThreadPoolExecutor):
    """An event loop's executor that refuses work: what runs under it needs no thread."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        raise AssertionError(f"a thread was asked for: {fn!r}")


def _throttled_entries(panel: Panel) -> list[Any]:
    panel.auth.flush_usage()
    return [
        e
        for e in panel.audit.entries(failures_only=True)
        if e.source_ip == SOURCE and e.reason == Reason.LOCKED_OUT.value
    ]


def test_a_throttled_sources_repeated_refusals_need_no_thread(panel: Panel) -> None:
    auth = panel.auth
    auth.lockout_delay = 0
    auth.throttle = Throttle(Limits(failures=1))  # wrong keys: 10 a minute per source
    auth.throttle.keys.FRESH = 0.0

    async def wrong_keys(count: int) -> list[Refused]:
        found = []
        for _ in range(count):
            verdict = await auth.key_verdict(str(uuid.uuid4()), SOURCE, "xml")
            assert isinstance(verdict, Refused)
            found.append(verdict)
        return found

    async def flood() -> list[Refused]:
        # Until throttled, and the throttle's first refusal (an audit entry: a thread).
        first = await wrong_keys(12)
        assert first[-1].reason is Reason.LOCKED_OUT
        asyncio.get_running_loop().set_default_executor(NoThreads())
        return await wrong_keys(50)

    loop = asyncio.new_event_loop()
    try:
        repeats = loop.run_until_complete(flood())
    finally:
        loop.close()
    assert {v.reason for v in repeats} == {Reason.LOCKED_OUT}
    entries = _throttled_entries(panel)
    assert len(entries) == 1
    assert entries[0].count >= 51  # the entry's first refusal, and the 50 counted into it


def test_repeat_counts_only_into_an_entry_that_exists(panel: Panel) -> None:
    audit = panel.audit
    kind = {"face": "xml", "reason": "unknown key"}
    assert not audit.repeat(AUTH_FAILED, source_ip=SOURCE, **kind)  # none yet: to write
    assert audit.refusal(AUTH_FAILED, source_ip=SOURCE, **kind)
    assert all(audit.repeat(AUTH_FAILED, source_ip=SOURCE, **kind) for _ in range(5))
    assert not audit.repeat(AUTH_FAILED, source_ip="203.0.113.6", **kind)
    audit.flush()
    (entry,) = [e for e in audit.entries(failures_only=True) if e.source_ip == SOURCE]
    assert entry.count == 6


def test_repeat_counts_into_the_entry_of_many_sources_past_the_bound(panel: Panel) -> None:
    audit = panel.audit
    audit.refusal_entries = 2
    kind = {"face": "rest", "reason": "unknown key"}
    for n in range(3):  # two entries of their own, the third source starts the overflow
        audit.refusal(AUTH_FAILED, source_ip=f"198.51.100.{n}", **kind)
    assert all(audit.repeat(AUTH_FAILED, source_ip=f"198.51.101.{n}", **kind) for n in range(7))
    audit.flush()
    (many,) = [e for e in audit.entries(failures_only=True) if e.source_ip == OVERFLOW_SOURCE]
    assert many.count == 8

"""httpguard's connection limits: sized from the descriptor limit, a bound per address,
a reserve a few addresses cannot take, and a refusal logged once per address per interval."""

from __future__ import annotations

import resource
from collections.abc import Iterator

import pytest

from panelkey.httpguard import RESERVE_SHARE, Limits, RefusalLog, admit, raise_fd_limit

LIMITS = Limits(capacity=100, bound=6, reserve=25)


@pytest.mark.parametrize(
    ("fd_limit", "configured", "capacity", "bound", "reserve"),
    [
        (1024, 256, 896, 56, 224),  # the common default: a sixteenth, not 256, per address
        (1024, 10, 896, 10, 224),  # a smaller setting wins
        (160, 256, 96, 6, 24),
        (20000, 256, 17500, 256, 4375),  # a high limit: the setting is the bound
        (40, 256, 8, 1, 2),  # never below one connection per address
    ],
)
def test_limits_are_sized_from_the_descriptor_limit(
    fd_limit: int, configured: int, capacity: int, bound: int, reserve: int
) -> None:
    assert Limits.sized(fd_limit, configured) == Limits(capacity, bound, reserve)


@pytest.mark.parametrize(
    ("open_total", "held", "exempt", "admitted"),
    [
        (0, 0, False, True),
        (74, 5, False, True),  # under the bound, out of the reserve
        (10, 6, False, False),  # at the bound
        (75, 0, False, True),  # in the reserve: a new address gets in
        (75, RESERVE_SHARE - 1, False, True),
        (75, RESERVE_SHARE, False, False),  # in the reserve: no more for a holder of two
        (99, 0, False, True),  # the last connection goes to a new address
        (100, 0, False, False),  # full: nobody
        (10, 60, True, True),  # a trusted proxy is past the bound and the reserve
        (99, 60, True, True),
        (100, 0, True, False),  # but not past the capacity
    ],
)
def test_admit(open_total: int, held: int, exempt: bool, admitted: bool) -> None:
    why = admit(open_total, held, LIMITS, exempt=exempt)
    assert (why is None) is admitted, why


def test_a_handful_of_addresses_at_their_bound_leave_the_reserve_to_others() -> None:
    """Fifteen addresses opening all they may fill the worker up to its reserve and
    barely into it: the rest stays for other addresses."""
    held: dict[str, int] = {}
    total = 0
    for n in range(15):
        address = f"flood-{n}"
        while admit(total, held.get(address, 0), LIMITS) is None:
            held[address] = held.get(address, 0) + 1
            total += 1
    # Twelve fill the 75 outside the reserve; the last three get a share of it each.
    assert total <= LIMITS.capacity - LIMITS.reserve + 3 * RESERVE_SHARE
    others = 0
    while admit(total, 0, LIMITS) is None:  # each a new address with one connection
        total += 1
        others += 1
    assert total == LIMITS.capacity
    assert others >= LIMITS.reserve - 3 * RESERVE_SHARE


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_refusal_is_logged_once_per_address_per_interval() -> None:
    clock = Clock()
    log = RefusalLog(60, clock)
    first = log.refused("192.0.2.1", "3 already open")
    assert first == "connections from 192.0.2.1 refused: 3 already open"
    clock.now += 30
    assert [log.refused("192.0.2.1", "3 already open") for _ in range(5)] == [None] * 5
    assert log.refused("192.0.2.2", "3 already open") is not None  # another address
    clock.now += 30
    again = log.refused("192.0.2.1", "3 already open")
    assert again == (
        "connections from 192.0.2.1 refused: 3 already open; 5 more refused since the last line"
    )
    assert log.refused("192.0.2.1", "3 already open") is None


def test_the_refusal_log_forgets_quiet_addresses_past_its_size() -> None:
    clock = Clock()
    log = RefusalLog(60, clock)
    for n in range(5000):
        log.refused(f"10.0.{n // 256}.{n % 256}", "x")
    assert len(log._seen) <= 4096  # bounded, though every address is still in its interval
    clock.now += 61
    assert log.refused("10.0.0.1", "x") is not None


@pytest.fixture
def lowered() -> Iterator[int]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    low = min(256, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (low, hard))
    yield hard
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_the_soft_descriptor_limit_is_raised_to_the_hard_one(lowered: int) -> None:
    want = min(lowered, 1 << 20)
    assert raise_fd_limit() == want
    assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == want

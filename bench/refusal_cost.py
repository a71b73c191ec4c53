"""What one request of each of issue 24's floods costs the server, in process: the CPU of
the whole process (the event loop, its threads, and the journal's flush of the entries
the requests left) per request, over a fresh SQLite store, with no sockets and no
neighbours in the way. `loginLockoutDelay` is 0 here: the wait costs no CPU anyway.

    python -m bench.refusal_cost            # every case, 2,000 requests each (the filter 200)
    python -m bench.refusal_cost --case filter -n 300

Cases: `key` a cached valid key (server/get_protos, the yardstick); `wrong-key` random
wrong keys from one source, throttled after the first 50; `filter` a packet with a
20,000-item filter (270 KB), refused 1024; `spray` wrong passwords for admin over REST
Basic from one source, locked out after the first 5 (only the locked-out ones measured).
"""

from __future__ import annotations

import argparse
import base64
import random
import time
from collections.abc import Callable

from bench.inprocess import InProcess, fresh
from bench.store import AGENT

PROTOS = "<packet><server><get_protos/></server></packet>"
FILTER_ITEMS = 20_000
Request = tuple[str, str, str, dict[str, str]]  # method, path, body, headers


def cases(rig: InProcess) -> dict[str, Callable[[], Request]]:
    ids = "".join(f"<id>{n}</id>" for n in range(1, FILTER_ITEMS + 1))
    big = (
        f"<packet><customer><get><filter>{ids}</filter>"
        "<dataset><gen_info/></dataset></get></customer></packet>"
    )

    def wrong_key() -> Request:
        return "POST", AGENT, PROTOS, {"key": f"{random.getrandbits(128):032x}"}

    def spray() -> Request:
        basic = base64.b64encode(f"admin:spray-{random.getrandbits(32):x}".encode()).decode()
        return "GET", "/api/v2/server", "", {"authorization": f"Basic {basic}"}

    return {
        "key": lambda: ("POST", AGENT, PROTOS, rig.keyed),
        "wrong-key": wrong_key,
        "filter": lambda: ("POST", AGENT, big, rig.keyed),
        "spray": spray,
    }


def cost(rig: InProcess, make: Callable[[], Request], n: int, warm: int) -> float:
    """µs of the process's CPU per request, the journal's flush of them included; the
    best of three runs of `n` (after `warm` requests, which throttle or lock out)."""
    requests = [make() for _ in range(warm + 3 * n)]  # made before: not measured
    for method, path, body, headers in requests[:warm]:
        rig.call(method, path, body, headers)
    rig.journal.flush()
    best = float("inf")
    for run in range(3):
        started = time.process_time()
        for method, path, body, headers in requests[warm + run * n : warm + (run + 1) * n]:
            rig.call(method, path, body, headers)
        rig.journal.flush()
        best = min(best, time.process_time() - started)
    return best / n * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", default="all")
    parser.add_argument("-n", type=int, default=2000)
    args = parser.parse_args()
    names = ["key", "wrong-key", "filter", "spray"] if args.case == "all" else [args.case]
    for name in names:
        # A store of its own for each: a throttle or a lockout of 127.0.0.1 stays.
        with fresh("sqlite", "panelkey-refusals-") as rig:
            rig.panel.auth.lockout_delay = 0
            n = max(args.n // 10, 20) if name == "filter" else args.n
            warm = 60 if name in ("wrong-key", "spray") else 10
            used = cost(rig, cases(rig)[name], n, warm)
            print(f"{name}: {used:,.0f} µs of CPU a request", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Password checks when keys are made (issue 26): an administrator making keys over REST
with Basic auth, each call timed, beside calls of the same administrator that make none.

    python -m bench.key_calls URL PASSWORD [COUNT]

Sequential, on one keep-alive connection: for each of COUNT rounds a `GET /api/v2/server`
(makes no key), then a `POST /api/v2/auth/keys` (makes one), both with Basic auth. Every
key made is a key write; were the verified password forgotten with it, the next call
would pay a full argon2 check (about 150 ms) instead of a cached one.
"""

from __future__ import annotations

import statistics
import sys
import time

import httpx


def measure(url: str, password: str, count: int = 120) -> dict[str, list[float]]:
    """{"none": ms of each call that made no key, "key": ms of each call that made one}."""
    times: dict[str, list[float]] = {"none": [], "key": []}
    with httpx.Client(base_url=url, auth=("admin", password), verify=False, timeout=30) as c:  # noqa: S501 - our own self-signed certificate
        c.get("/api/v2/server").raise_for_status()  # the password verified once, cached
        for n in range(count):
            started = time.perf_counter()
            c.get("/api/v2/server").raise_for_status()
            times["none"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            made = c.post("/api/v2/auth/keys", json={"description": f"bench {n}"})
            times["key"].append((time.perf_counter() - started) * 1000)
            if made.status_code != 201:
                raise SystemExit(f"POST /api/v2/auth/keys: HTTP {made.status_code}: {made.text}")
    return times


def summary(times: dict[str, list[float]]) -> tuple[str, float, float]:
    """A line of the results; the median call making a key and its 95th percentile, each
    over the median call making none."""
    none = statistics.median(times["none"])
    key = statistics.median(times["key"])
    p95 = statistics.quantiles(times["key"], n=20)[-1]
    text = (
        f"{len(times['key'])} keys made over REST with Basic auth, sequentially: a call making "
        f"a key median {key:.1f} ms, 95th percentile {p95:.1f} ms, slowest "
        f"{max(times['key']):.1f} ms; a call making none (GET /api/v2/server) median "
        f"{none:.1f} ms, slowest {max(times['none']):.1f} ms"
    )
    return text, key / none, p95 / none


if __name__ == "__main__":
    found = measure(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 120)
    line, median, p95 = summary(found)
    print(f"{line}; over the median call making none: median {median:.2f}, p95 {p95:.2f}")

"""Every string field at its maximum length and at 1 MiB, timed on a real server (issue 24).

The tests prove what each such request is answered (tests/functional/rest/test_field_bounds.py,
tests/functional/xml/test_field_bounds.py); the time is measured here, not asserted there.
The tables are the tests' own, walked from the route table and the registry, so that a field
or an operation added later is timed without a change here:

    REST   every string of every route's body schema (through `$ref`, lists, `anyOf`, free
           members), at its `maxLength` and at 1 MiB, the body's other required members filled
    XML    every operation of the registry, its happy packet's first text at the length
           budgets.py gives that element (FIELD_LENGTHS, else `maxFieldLength`) and at 1 MiB

One server (one worker, SQLite, `--log-level warning`), its body budget raised to 4 MiB so
that a 1 MiB value reaches the field checks instead of being refused unread, and the
cheapest password hashes (an account's argon2 hash takes 150-600 ms by design, which is
not a field's check: the abuse section and the spray measure it); requests one
at a time on one keep-alive connection. The row is the slowest request of each kind, with
what it was; the target is the bound a request may hold a worker (BOUND).
`python -m bench.field_bounds` prints the rows alone.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
from lxml import etree

from bench.abuse import AGENT, Row, _make_key, _server
from panelkey.config import load_settings
from panelkey.rest.jsonschema import ref
from panelkey.xmlapi.budgets import FIELD_LENGTHS
from tests.functional.rest.test_field_bounds import FIELDS, place, url_of
from tests.functional.xml.test_field_bounds import EVERY_ROW
from tests.functional.xml.xml_helpers import packet

MIB = 1024 * 1024
BOUND = 0.25  # seconds: the worst a request of any field may take, sent alone
ROOMY = 4 * MIB  # the body budget: a 1 MiB value reaches the field checks


def _xml_with_text(operator: str, operation: str, good: str, length: int | None) -> str:
    """The operation's happy packet (inner of the packet), its first text `length` long
    (None: the length budgets.py gives that element)."""
    filled = re.sub(r"{\w+}", "1", good)  # the ids the row's earlier packets would name
    op = etree.fromstring(f"<{operation}>{filled}</{operation}>")
    leaves = [e for e in op.iter() if len(e) == 0 and (e.text or "").strip()]
    target = leaves[0] if leaves else op
    if length is None:
        length = FIELD_LENGTHS.get(str(target.tag), load_settings({}, environ={}).max_field_length)
    target.text = "a" * length
    return f"<{operator}>{etree.tostring(op, encoding='unicode')}</{operator}>"


def _requests(key: str) -> Iterator[tuple[str, str, Callable[[httpx.Client], httpx.Response]]]:
    """(kind, what, send) for every field at both lengths."""
    rest = {"X-API-Key": key}
    for route, at, schema in FIELDS:
        where = f"{route.method} {route.path} {'.'.join(at)}"
        for kind, length in (("maximum", int(schema["maxLength"])), ("1 MiB", MIB)):
            body = place(ref(str(route.body)), at, "a" * length)

            def send(c: httpx.Client, r: Any = route, b: Any = body) -> httpx.Response:
                return c.request(r.method, "/api/v2" + url_of(r), headers=rest, json=b)

            yield f"REST, {kind}", where, send
    xml = {"KEY": key, "Content-Type": "text/xml"}
    for case in EVERY_ROW:
        for kind, size in (("maximum", None), ("1 MiB", MIB)):
            body = packet(
                _xml_with_text(case.operator, case.operation, case.good, size), case.version
            )

            def post(c: httpx.Client, b: bytes = body) -> httpx.Response:
                return c.post(AGENT, headers=xml, content=b)

            yield f"XML, {kind}", case.id, post


def run(work: Path, env: dict[str, str]) -> list[Row]:
    """Time every request of `_requests` on a server of its own; one row per kind."""
    env = {k: v for k, v in env.items() if k != "PANELKEY_DATA_DIR"}
    env.setdefault("PANELKEY_ADMIN_PASSWORD", "bench-admin-password")
    ini = f"[panelkey]\nmaxBodySize = {ROOMY}\n\n[ext-rest-api]\nallowPlainHttpAccess = on\n"
    worst: dict[str, tuple[float, str, int]] = {}
    counts: dict[str, int] = {}
    statuses: dict[str, set[int]] = {}
    cheap = {"PANELKEY_PASSWORD_HASH_PROFILE": "cheapest"}
    with _server(work / "field-bounds", env, cheap, ini=ini) as (_proc, http, _https, env_f):
        key = _make_key(env_f)
        with httpx.Client(base_url=f"http://127.0.0.1:{http}", timeout=120) as client:
            for kind, what, send in _requests(key):
                started = time.perf_counter()
                answer = send(client)
                took = time.perf_counter() - started
                counts[kind] = counts.get(kind, 0) + 1
                statuses.setdefault(kind, set()).add(answer.status_code)
                if took > worst.get(kind, (0.0, "", 0))[0]:
                    worst[kind] = (took, what, answer.status_code)
    rows: list[Row] = []
    for kind in sorted(worst):
        took, what, status = worst[kind]
        seen = ", ".join(str(s) for s in sorted(statuses[kind]))
        rows.append(
            (
                f"{kind} length: every string field, one request each, the slowest",
                f"{took * 1000:,.0f} ms ({what}, HTTP {status}); {counts[kind]:,} requests, "
                f"HTTP statuses {seen}",
                f"<= {BOUND * 1000:.0f} ms, no 5xx",
                took <= BOUND and max(statuses[kind]) < 500,
            )
        )
    return rows


def main() -> int:
    import os

    work = Path(tempfile.mkdtemp(prefix="panelkey-fields-"))
    try:
        for what, result, target, met in run(work, dict(os.environ)):
            print(f"| {what} | {result} | {target} | {'yes' if met else 'no'} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

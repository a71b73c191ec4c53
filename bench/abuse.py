"""The abuse section of the benchmark: panelkey keeps serving while it is abused.

    legitimate key traffic under a 32-connection wrong-password flood, as a ratio to the
        same traffic alone (target >= 0.8)
    CPU per refused attempt during that flood
    the worst latency of a key request while maximal packets run (target <= 0.25 s)
    the largest answer any budget allows, and the largest one measured
    legitimate key traffic under each attack of issue 24, as a ratio to alone (>= 0.8):
        idle TLS handshakes and half-sent heads, long REST fields, a password spray,
        refusal floods through a trusted proxy, large REST answers (and the server's
        peak RSS), a wrong-key flood, XML packets with a 20,000-item filter, a store
        outage for writes
    the slowest request of every string field at its maximum length and at 1 MiB
        (bench/field_bounds.py)

Runs its own panelkey servers (one worker, SQLite, default abuse limits) so that nothing
the other sections do changes what is measured here. `run` returns the Markdown section;
`python -m bench.abuse [--quick]` prints it alone. Every attacker sends to 127.0.0.0/8 and
stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
AGENT = "/enterprise/control/agent.php"
PROTOS = "<packet><server><get_protos/></server></packet>"
LEGIT_CONNECTIONS = 16
FLOOD_CONNECTIONS = 32
ADMIN_CONNECTIONS = 4  # one admin's scripts: long fields, big lists, big filters
WARMUP = 2.0
# Legitimate traffic comes from 127.0.0.1, which is also the trusted proxy (exempt from
# the per-source connection bound, as a reverse proxy in front of panelkey would be);
# attackers come from other loopback addresses, or through the proxy with X-Forwarded-For.
PANEL_INI = "[panelkey]\ntrustedProxies = 127.0.0.1\n\n[ext-rest-api]\nallowPlainHttpAccess = on\n"
IDLE_TLS = 1000  # TCP connections to the HTTPS port that never send a ClientHello
HALF_HEADS = 200  # half-sent heads from each of five addresses
SPRAY_SOURCES = 20
FILTER_ITEMS = 20_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _lua(headers: dict[str, str], body: str) -> str:
    lines = ['wrk.method = "POST"']
    lines += [f"wrk.headers[ [==[{k}]==] ] = [==[{v}]==]" for k, v in headers.items()]
    lines.append(f"wrk.body = [==[{body}]==]")
    return "\n".join(lines) + "\n"


def _lua_cycle(requests: list[tuple[str, str, dict[str, str], str]]) -> str:
    """A wrk script sending these (method, path, headers, body) requests in turn."""

    def table(headers: dict[str, str]) -> str:
        return "{" + ", ".join(f"[ [==[{k}]==] ] = [==[{v}]==]" for k, v in headers.items()) + "}"

    made = [
        f"  reqs[{n}] = wrk.format([==[{m}]==], [==[{p}]==], {table(h)}, [==[{b}]==])"
        for n, (m, p, h, b) in enumerate(requests, 1)
    ]
    return (
        "local reqs = {}\nlocal i = 0\ninit = function(args)\n"
        + "\n".join(made)
        + "\nend\nrequest = function() i = i % #reqs + 1; return reqs[i] end\n"
    )


def _wrk(
    url: str, script: Path, seconds: float, connections: int, timeout: int = 2
) -> subprocess.Popen[str]:
    """wrk for `seconds`; an answer slower than `timeout` seconds is counted a timeout."""
    return subprocess.Popen(
        ["wrk", "-t1", f"-c{connections}", f"-d{int(seconds)}s", f"--timeout={timeout}s"]
        + ["-s", str(script), url],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _result(proc: subprocess.Popen[str]) -> tuple[float, int]:
    """(requests/s, requests) of a finished wrk."""
    run = _run_of(proc)
    return run.rps, run.requests


@dataclass
class WrkRun:
    rps: float
    requests: int
    worst: float  # seconds: wrk's largest latency
    refused: int  # non-2xx answers and socket errors
    cpu: float = 0.0  # the server's CPU during the run, in cores


_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _run_of(proc: subprocess.Popen[str]) -> WrkRun:
    out, _ = proc.communicate()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    if not rps or not total:
        raise SystemExit(f"wrk said: {out}")
    latency = re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s|m)\b", out)
    worst = float(latency.group(1)) * _UNITS[latency.group(2)] if latency else 0.0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    refused = int(non2xx.group(1)) if non2xx else 0
    refused += sum(int(g) for g in errors.groups()) if errors else 0
    return WrkRun(float(rps.group(1)), int(total.group(1)), worst, refused)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (a worker, if any)."""
    total = 0.0
    pids = [pid]
    while pids:
        p = pids.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                pids += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return total


@contextmanager
def _server(
    data: Path, env: dict[str, str], extra: dict[str, str] | None = None, ini: str = PANEL_INI
) -> Iterator[tuple[subprocess.Popen[bytes], int, int, dict[str, str]]]:
    """A panelkey server of its own data folder: (process, http port, https port, env)."""
    data.mkdir(parents=True, exist_ok=True)
    (data / "panel.ini").write_text(ini)
    env = dict(env, PANELKEY_DATA_DIR=str(data), **(extra or {}))
    https, http = _free_port(), _free_port()
    proc = subprocess.Popen(
        [str(BIN / "panelkey"), "serve", "--https-port", str(https), "--http-port", str(http)]
        + ["--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        for port in (http, https):
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise SystemExit("an abuse server did not start") from None
                    time.sleep(0.05)
        yield proc, http, https, env
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _make_key(env: dict[str, str]) -> str:
    made = subprocess.run(
        [str(BIN / "secret_key"), "-c", "-ip-address", "127.0.0.1", "-description", "abuse"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return made.stdout.strip()


# -- attackers wrk cannot be: a process of their own (`python -m bench.abuse attack`) --------


def _attacker(**params: Any) -> subprocess.Popen[str]:
    """Start an attacker process; it stops by itself after params["seconds"]."""
    return subprocess.Popen(
        [sys.executable, "-m", "bench.abuse", "attack", json.dumps(params)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _attacked(proc: subprocess.Popen[str]) -> dict[str, Any]:
    """What a finished attacker did (its last line)."""
    out, _ = proc.communicate(timeout=120)
    try:
        return dict(json.loads(out.strip().splitlines()[-1]))
    except (IndexError, ValueError):
        raise SystemExit(f"the attacker said: {out}") from None


async def _hold(port: int, tls_port: int, seconds: float) -> dict[str, int]:
    """IDLE_TLS connections to the HTTPS port from 127.0.0.50 that never send a
    ClientHello, and HALF_HEADS connections from each of 127.0.0.51-55 that send part of a
    head and never the rest; each is held until the end, and one the server closes or
    refuses is opened again a second later."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    counts = {"opened": 0, "closed_by_server": 0, "refused": 0, "held_at_end": 0}
    half = f"POST {AGENT} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n".encode()

    async def slot(source: str, to: int, head: bytes) -> None:
        while (left := deadline - loop.time()) > 0:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", to, local_addr=(source, 0)), left
                )
            except (OSError, TimeoutError):
                counts["refused"] += 1
                await asyncio.sleep(1)
                continue
            counts["opened"] += 1
            try:
                writer.write(head)
                await asyncio.wait_for(reader.read(1), max(0.0, deadline - loop.time()))
                counts["closed_by_server"] += 1
            except TimeoutError:
                counts["held_at_end"] += 1
            except OSError:
                counts["closed_by_server"] += 1
            writer.close()
            await asyncio.sleep(1)

    slots = [slot("127.0.0.50", tls_port, b"") for _ in range(IDLE_TLS)]
    for n in range(51, 56):
        slots += [slot(f"127.0.0.{n}", port, half) for _ in range(HALF_HEADS)]
    await asyncio.gather(*slots)
    return counts


async def _flood(
    port: int, sources: list[str], per_source: int, kind: str, seconds: float
) -> dict[str, Any]:
    """Requests back to back on keep-alive connections bound to `sources`: "spray" sends
    wrong passwords for admin (Basic, REST), "wrong-key" random wrong KEYs (XML)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    statuses: dict[str, int] = {}
    errors = 0

    def request() -> bytes:
        if kind == "spray":
            basic = base64.b64encode(f"admin:spray-{random.getrandbits(32):x}".encode()).decode()
            return (
                "GET /api/v2/server HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Basic {basic}\r\n\r\n"
            ).encode()
        body = PROTOS.encode()
        return (
            f"POST {AGENT} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n"
            f"KEY: {random.getrandbits(128):032x}\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body

    async def connection(source: str) -> None:
        nonlocal errors
        while deadline - loop.time() > 0:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0)),
                    deadline - loop.time(),
                )
            except (OSError, TimeoutError):
                errors += 1
                await asyncio.sleep(0.1)
                continue
            try:
                while (left := deadline - loop.time()) > 0:
                    writer.write(request())
                    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), left)
                    status = head.split(b" ", 2)[1].decode()
                    statuses[status] = statuses.get(status, 0) + 1
                    length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
                    await reader.readexactly(int(length.group(1)) if length else 0)
                    if not length or re.search(rb"(?i)\r\nconnection: *close", head):
                        break
            except TimeoutError:
                pass  # the end came while a request waited: no error
            except (OSError, asyncio.IncompleteReadError):
                errors += 1
            writer.close()

    await asyncio.gather(*(connection(s) for s in sources for _ in range(per_source)))
    return {"answers": sum(statuses.values()), "statuses": statuses, "errors": errors}


def _lock_store(path: str, seconds: float) -> dict[str, Any]:
    """A store outage that touches nothing but this benchmark's own SQLite file: another
    process holds its write lock (an exclusive transaction) for `seconds`, so that every
    write waits (up to the 30 s busy timeout) while reads go on from the WAL. Taking the
    file whole is not possible in WAL mode while the server has it open."""
    import sqlite3

    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        held = time.monotonic()
        time.sleep(seconds)
        conn.execute("ROLLBACK")
        return {"locked_for": round(time.monotonic() - held, 1)}
    finally:
        conn.close()


def _attack_main(params: dict[str, Any]) -> None:
    if params["kind"] == "lock":
        done: dict[str, Any] = _lock_store(params["path"], params["seconds"])
    elif params["kind"] == "hold":
        done = asyncio.run(_hold(params["port"], params["tls_port"], params["seconds"]))
    else:
        done = asyncio.run(
            _flood(
                params["port"],
                params["sources"],
                params["per_source"],
                params["kind"],
                params["seconds"],
            )
        )
    print(json.dumps(done), flush=True)


def _customers(url: str, key: str, count: int, per_packet: int = 10) -> None:
    """`count` customers with the longest description the budgets allow."""
    description = "d" * 1024
    for start in range(0, count, per_packet):  # maxPasswordsPerPacket: 10 by default
        ops = "".join(
            f"<customer><add><gen_info><pname>Abuse {n}</pname><login>abuse{n}</login>"
            f"<passwd>pw-abuse-{n}-x</passwd><description>{description}</description>"
            "</gen_info></add></customer>"
            for n in range(start, min(count, start + per_packet))
        )
        r = httpx.post(url, headers={"KEY": key}, content=f"<packet>{ops}</packet>", timeout=120)
        if r.status_code != 200 or b"<status>error</status>" in r.content:
            raise SystemExit(f"could not make the customers: {r.text[:400]}")


def _worst_latency_during(
    url: str, key: str, hammer: Path | None, seconds: float
) -> tuple[float, int]:
    """The slowest of sequential key requests while wrk (one connection, a process of its
    own) sends the packet of the `hammer` script back to back (None: nothing else runs);
    and how many of those packets were answered."""
    busy = _wrk(url, hammer, seconds + 1, 1) if hammer is not None else None
    time.sleep(0.3)
    worst = 0.0
    deadline = time.monotonic() + seconds
    with httpx.Client(timeout=60) as client:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            r = client.post(url, headers={"KEY": key}, content=PROTOS.encode())
            worst = max(worst, time.perf_counter() - started)
            assert b"<status>ok</status>" in r.content, r.text
            time.sleep(0.005)
    return worst, (_result(busy)[1] if busy is not None else 0)


Row = tuple[str, str, str, bool | None]  # (measure, result, target, met; None: no target)


def run(work: Path, env: dict[str, str], *, quick: bool, only: str = "") -> str:
    """Measure and return the Markdown section (see the module); with `only`, just the
    attacks whose names hold it (for trying one fix; the section's rows are then few)."""
    from panelkey.config import load_settings

    seconds = 3.0 if quick else 8.0
    rounds = 1 if quick else 3
    env = {k: v for k, v in env.items() if k != "PANELKEY_DATA_DIR"}
    env.setdefault("PANELKEY_ADMIN_PASSWORD", "bench-admin-password")
    limits = load_settings({}, environ=env)
    # One server for the flood, the packets and the attacks that leave no state behind
    # for 127.0.0.1; the spray gets a fresh one (lockouts and familiar sources), and so do
    # the big lists (thousands of customers, made with the cheapest password hashes).
    rows: list[Row] = []
    with _server(work / "abuse", env) as (proc, http, https, env_a):
        url = f"http://127.0.0.1:{http}{AGENT}"
        if only:
            key = _make_key(env_a)
        else:
            rows, key = _measure(work, env_a, proc.pid, url, seconds, quick)
        rows += _attacks(work, proc.pid, key, http, https, seconds, rounds, only)
    if not only or only in "a password spray":
        with _server(work / "abuse-spray", env) as (proc, http, _https, env_b):
            rows += _spray(work, env_b, proc.pid, http, seconds, rounds)
    extra = {"PANELKEY_PASSWORD_HASH_PROFILE": "cheapest", "PANELKEY_MAX_PASSWORD_HASHES": "1000"}
    if not only or only in "admin connections reading GET /api/v2/clients":
        with _server(work / "abuse-lists", env, extra) as (proc, http, _https, env_c):
            count = 1000 if quick else 3000
            rows += _big_lists(work, env_c, proc.pid, http, seconds, rounds, count)
    if not only or only in "every string field":
        from bench import field_bounds  # it uses this module's server: imported late

        rows += field_bounds.run(work, env)
    return _section(rows, limits, seconds, rounds)


@dataclass
class Attack:
    name: str  # "under <name>" in the row
    start: Callable[[float], Callable[[], str]]  # starts it for so many seconds; the
    # function it returns waits for its end and says what it did


@dataclass
class Measured:
    alone: list[WrkRun] = field(default_factory=list)
    under: dict[str, list[WrkRun]] = field(default_factory=dict)
    said: dict[str, str] = field(default_factory=dict)
    # what `alongside` returned during each run: "" for the runs alone, else the attack
    beside: dict[str, list[Any]] = field(default_factory=dict)


def _under_attacks(
    pid: int,
    url: str,
    legit: Path,
    attacks: list[Attack],
    seconds: float,
    rounds: int,
    alongside: Callable[[float], Any] | None = None,
) -> tuple[list[Row], Measured]:
    """Key traffic (wrk, LEGIT_CONNECTIONS) alone, then under each attack in turn, for
    `rounds` rounds; each attack starts WARMUP seconds before the measure. `alongside`, if
    given, runs in a thread during every measure (more legitimate traffic). The server's
    CPU is read around each measure: on this shared machine a fall in key traffic with
    the server no busier is the neighbours' (or the attacker's own) load, not the server's."""
    m = Measured(under={a.name: [] for a in attacks})

    def measure(name: str) -> WrkRun:
        got: list[Any] = []
        side = (
            threading.Thread(target=lambda: got.append(alongside(seconds)))
            if alongside is not None
            else None
        )
        used, started = _cpu_seconds(pid), time.monotonic()
        wrk = _wrk(url, legit, seconds, LEGIT_CONNECTIONS)
        if side is not None:
            side.start()
        done = _run_of(wrk)
        done.cpu = (_cpu_seconds(pid) - used) / (time.monotonic() - started)
        if side is not None:
            side.join()
            m.beside.setdefault(name, []).append(got[0])
        return done

    for _ in range(rounds):
        m.alone.append(measure(""))
        for a in attacks:
            finish = a.start(seconds + WARMUP + 1)
            time.sleep(WARMUP)
            m.under[a.name].append(measure(a.name))
            m.said[a.name] = finish()
            print(
                f"abuse: under {a.name}: key traffic {m.under[a.name][-1].rps:,.0f} req/s "
                f"(alone {m.alone[-1].rps:,.0f}), server CPU {m.under[a.name][-1].cpu:.0%} "
                f"(alone {m.alone[-1].cpu:.0%}); {m.said[a.name]}",
                flush=True,
            )
    base = statistics.median(r.rps for r in m.alone)
    worst_alone = max(r.worst for r in m.alone)
    cpu_alone = statistics.median(r.cpu for r in m.alone)
    rows: list[Row] = []
    for a in attacks:
        runs = m.under[a.name]
        rps = statistics.median(r.rps for r in runs)
        refused = sum(r.refused for r in runs)
        ratio = rps / base
        result = (
            f"{ratio:.2f} ({rps:,.0f} / {base:,.0f} req/s); worst key latency "
            f"{max(r.worst for r in runs) * 1000:,.0f} ms (alone {worst_alone * 1000:,.0f} ms); "
            f"server CPU {statistics.median(r.cpu for r in runs):.0%} of a core "
            f"(alone {cpu_alone:.0%})"
        )
        if refused:
            result += f"; {refused:,} key requests failed"
        rows.append(
            (
                f"key traffic under {a.name}, ratio to alone",
                f"{result}; attack: {m.said[a.name]}",
                ">= 0.8",
                ratio >= 0.8 and refused == 0,
            )
        )
    return rows, m


def _wrk_attack(url: str, script: Path, connections: int) -> Callable[[float], Callable[[], str]]:
    def start(seconds: float) -> Callable[[], str]:
        # An attacker waits for its answers however slow (wrk's default gives up after
        # 2 s, and its requests would count as neither answered nor refused).
        proc = _wrk(url, script, seconds, connections, timeout=60)

        def finish() -> str:
            r = _run_of(proc)
            return f"{r.requests:,} requests answered, {r.refused:,} of them refused"

        return finish

    return start


def _process_attack(**params: Any) -> Callable[[float], Callable[[], str]]:
    def start(seconds: float) -> Callable[[], str]:
        proc = _attacker(seconds=seconds, **params)

        def finish() -> str:
            done = _attacked(proc)
            if "locked_for" in done:
                return f"the store held by another process for {done['locked_for']} s"
            if "held_at_end" in done:
                return (
                    f"{done['held_at_end']:,} connections held to the end, "
                    f"{done['opened']:,} opened, {done['closed_by_server']:,} closed by "
                    f"the server, {done['refused']:,} connects failed"
                )
            statuses = ", ".join(f"{n:,} {s}" for s, n in sorted(done["statuses"].items()))
            return (
                f"{done['answers']:,} requests answered ({statuses}), "
                f"{done['errors']:,} connection errors"
            )

        return finish

    return start


def _attacks(
    work: Path,
    pid: int,
    key: str,
    http: int,
    https: int,
    seconds: float,
    rounds: int,
    only: str = "",
) -> list[Row]:
    """Issue 24's attacks that leave 127.0.0.1 untouched, on the first server."""
    base = f"http://127.0.0.1:{http}/"
    url = f"http://127.0.0.1:{http}{AGENT}"
    legit = work / "abuse-legit.lua"  # written here too: with --only, _measure has not run
    legit.write_text(_lua({"KEY": key, "Content-Type": "text/xml"}, PROTOS))
    long = "a" * 65536 + "!"  # ends with a character the patterns exclude
    rest = {"X-API-Key": key, "Content-Type": "application/json"}
    client = {"name": "Long", "login": "long", "password": "pw-long-1-x", "type": "customer"}
    fields = work / "abuse-fields.lua"
    fields.write_text(
        _lua_cycle(
            [
                ("POST", "/api/v2/clients", rest, json.dumps(dict(client, email=long + "@x.y"))),
                ("POST", "/api/v2/auth/keys", rest, json.dumps({"ip": "127.0.0.1," * 6000})),
                ("POST", "/api/v2/auth/keys", rest, json.dumps({"expires": "2030-01-01" + long})),
                ("POST", "/api/v2/auth/keys", rest, json.dumps({"scope": [long]})),
            ]
        )
    )
    ids = "".join(f"<id>{n}</id>" for n in range(1, FILTER_ITEMS + 1))
    big_filter = work / "abuse-filter.lua"
    filter_body = (
        f"<packet><customer><get><filter>{ids}</filter>"
        "<dataset><gen_info/></dataset></get></customer></packet>"
    )
    big_filter.write_text(_lua({"KEY": key, "Content-Type": "text/xml"}, filter_body))
    first = httpx.post(url, headers={"KEY": key}, content=filter_body, timeout=60)
    print(f"abuse: a {FILTER_ITEMS:,}-item filter: HTTP {first.status_code} {first.text[:160]!r}")
    refusals = work / "abuse-refusals.lua"
    refusals.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = [==[{PROTOS}]==]\n"
        "local r = math.random\n"
        "request = function()\n"
        '  local h = {["Content-Type"] = "text/xml",\n'
        '    ["X-Forwarded-For"] = "10." .. r(0, 255) .. "." .. r(0, 255) .. "." .. r(1, 254),\n'
        '    ["KEY"] = string.format("%08x%08x%08x%08x", r(0, 2147483647), r(0, 2147483647),\n'
        "      r(0, 2147483647), r(0, 2147483647))}\n"
        "  return wrk.format(nil, nil, h, nil)\n"
        "end\n"
    )
    attacks = [
        Attack(
            f"{ADMIN_CONNECTIONS} connections of an admin key POSTing 64k-character "
            "fields (client email; key ip, expires, scope)",
            _wrk_attack(base, fields, ADMIN_CONNECTIONS),
        ),
        Attack(
            f"{ADMIN_CONNECTIONS} connections sending XML with a {FILTER_ITEMS:,}-item filter",
            _wrk_attack(url, big_filter, ADMIN_CONNECTIONS),
        ),
        Attack(
            f"a wrong-key flood from one address ({FLOOD_CONNECTIONS} connections from "
            "127.0.0.8, a random wrong KEY each request)",
            _process_attack(
                kind="wrong-key", port=http, sources=["127.0.0.8"], per_source=FLOOD_CONNECTIONS
            ),
        ),
        Attack(
            f"a refusal flood from many addresses ({FLOOD_CONNECTIONS} connections through "
            "the trusted proxy, a random X-Forwarded-For and wrong KEY each request)",
            _wrk_attack(url, refusals, FLOOD_CONNECTIONS),
        ),
        Attack(
            "a store outage for writes (another process holds the SQLite store's write "
            "lock; the keys in use are cached, their last use waits to be written)",
            _process_attack(kind="lock", path=str(work / "abuse" / "panelkey.db")),
        ),
        Attack(
            f"{IDLE_TLS:,} idle TLS handshakes from 127.0.0.50 and {HALF_HEADS} half-sent "
            "heads from each of 127.0.0.51-55",
            _process_attack(kind="hold", port=http, tls_port=https),
        ),
    ]
    held = attacks[-1].name
    attacks = [a for a in attacks if only in a.name]
    if not attacks:
        return []

    def connects(seconds: float) -> tuple[int, int, float]:
        """New HTTPS connections, one key request each, 0.1 s apart: wrk's connections are
        opened once, so this is the legitimate client that must still get in."""
        ok = total = 0
        worst = 0.0
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                with httpx.Client(verify=False, timeout=10) as c:  # noqa: S501 - our own self-signed certificate
                    r = c.post(
                        f"https://127.0.0.1:{https}{AGENT}", headers={"KEY": key}, content=PROTOS
                    )
                ok += b"<status>ok</status>" in r.content
            except httpx.HTTPError:
                pass
            worst = max(worst, time.perf_counter() - started)
            total += 1
            time.sleep(0.1)
        return ok, total, worst

    rows, m = _under_attacks(pid, url, legit, attacks, seconds, rounds, alongside=connects)
    if held not in m.beside:
        return rows
    under: list[tuple[int, int, float]] = m.beside[held]
    alone: list[tuple[int, int, float]] = m.beside[""]
    ok, total = sum(u[0] for u in under), sum(u[1] for u in under)
    rows.append(
        (
            "new HTTPS connections from 127.0.0.1 (one key request each, 0.1 s apart) while "
            "those connections are held (a trusted proxy: only the server-wide bounds apply)",
            f"{ok:,} of {total:,} answered; worst {max(u[2] for u in under) * 1000:,.0f} ms "
            f"(alone: {sum(a[0] for a in alone):,} of {sum(a[1] for a in alone):,}, worst "
            f"{max(a[2] for a in alone) * 1000:,.0f} ms)",
            "all answered",
            ok == total,
        )
    )
    return rows


def _spray(
    work: Path, env: dict[str, str], pid: int, http: int, seconds: float, rounds: int
) -> list[Row]:
    """A password spray from SPRAY_SOURCES addresses while the admin logs in from its
    familiar address (127.0.0.1) and keys are used."""
    key = _make_key(env)
    url = f"http://127.0.0.1:{http}{AGENT}"
    legit = work / "abuse-spray-legit.lua"
    legit.write_text(_lua({"KEY": key, "Content-Type": "text/xml"}, PROTOS))
    server = f"http://127.0.0.1:{http}/api/v2/server"
    admin = ("admin", env["PANELKEY_ADMIN_PASSWORD"])
    first = httpx.get(server, auth=admin, timeout=30)  # the admin's familiar address
    if first.status_code != 200:
        raise SystemExit(f"the admin could not log in: {first.status_code} {first.text[:200]}")

    def logins(seconds: float) -> tuple[int, int, float]:
        ok = total = 0
        worst = 0.0
        deadline = time.monotonic() + seconds
        with httpx.Client(timeout=30) as c:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                r = c.get(server, auth=admin)
                worst = max(worst, time.perf_counter() - started)
                total += 1
                ok += r.status_code == 200
                time.sleep(0.1)
        return ok, total, worst

    sources = [f"127.0.0.{n}" for n in range(10, 10 + SPRAY_SOURCES)]
    name = (
        f"a password spray (wrong passwords for admin, REST Basic, 2 connections from each "
        f"of {SPRAY_SOURCES} addresses 127.0.0.10-{9 + SPRAY_SOURCES})"
    )
    attack = Attack(name, _process_attack(kind="spray", port=http, sources=sources, per_source=2))
    rows, m = _under_attacks(pid, url, legit, [attack], seconds, rounds, alongside=logins)
    under: list[tuple[int, int, float]] = m.beside[name]
    alone: list[tuple[int, int, float]] = m.beside[""]
    ok, total = sum(u[0] for u in under), sum(u[1] for u in under)
    rows.append(
        (
            "the admin's password logins from its familiar address during the spray "
            "(sequential REST Basic, 0.1 s apart)",
            f"{ok:,} of {total:,} answered 200; worst {max(u[2] for u in under) * 1000:,.0f} ms "
            f"(alone: {sum(a[0] for a in alone):,} of {sum(a[1] for a in alone):,}, worst "
            f"{max(a[2] for a in alone) * 1000:,.0f} ms)",
            "all 200",
            ok == total,
        )
    )
    return rows


def _big_lists(
    work: Path, env: dict[str, str], pid: int, http: int, seconds: float, rounds: int, count: int
) -> list[Row]:
    """ADMIN_CONNECTIONS admins reading /api/v2/clients of `count` customers; the peak RSS."""
    key = _make_key(env)
    url = f"http://127.0.0.1:{http}{AGENT}"
    legit = work / "abuse-lists-legit.lua"
    legit.write_text(_lua({"KEY": key, "Content-Type": "text/xml"}, PROTOS))
    made = time.monotonic()
    _customers(url, key, count, per_packet=500)  # 500 descriptions fit maxBodySize
    listing = httpx.get(
        f"http://127.0.0.1:{http}/api/v2/clients", headers={"X-API-Key": key}, timeout=120
    )
    if listing.status_code != 200:
        raise SystemExit(f"/api/v2/clients: {listing.status_code} {listing.text[:300]}")
    size = len(listing.content)
    print(
        f"abuse: {count:,} customers made in {time.monotonic() - made:.1f} s; list {size:,} bytes"
    )
    lists = work / "abuse-lists.lua"
    lists.write_text(_lua_cycle([("GET", "/api/v2/clients", {"X-API-Key": key}, "")]))
    before = _rss_mb(pid)
    wrk_start = _wrk_attack(f"http://127.0.0.1:{http}/", lists, ADMIN_CONNECTIONS)
    peaks: list[float] = []

    def start(seconds: float) -> Callable[[], str]:
        stop = threading.Event()
        peak = [_rss_mb(pid)]

        def sample() -> None:
            while not stop.wait(0.05):
                peak[0] = max(peak[0], _rss_mb(pid))

        sampler = threading.Thread(target=sample)
        sampler.start()
        finish = wrk_start(seconds)

        def done() -> str:
            said = finish()
            stop.set()
            sampler.join()
            peaks.append(peak[0])
            return said

        return done

    name = (
        f"{ADMIN_CONNECTIONS} admin connections reading GET /api/v2/clients of {count:,} "
        f"customers ({size / 1e6:.1f} MB each answer)"
    )
    rows, _ = _under_attacks(pid, url, legit, [Attack(name, start)], seconds, rounds)
    rows.append(
        (
            "server RSS during those reads (peak, sampled every 50 ms)",
            f"{max(peaks):,.0f} MB (before them {before:,.0f} MB)",
            "",
            None,
        )
    )
    return rows


def _measure(
    work: Path, env: dict[str, str], pid: int, url: str, seconds: float, quick: bool
) -> tuple[list[Row], str]:
    """The wrong-password flood, the packets' latency, the largest answer; and the key."""
    from panelkey.config import load_settings

    limits = load_settings({}, environ=env)
    rounds = 1 if quick else 3
    key = _make_key(env)
    legit = work / "abuse-legit.lua"
    legit.write_text(_lua({"KEY": key, "Content-Type": "text/xml"}, PROTOS))
    flood = work / "abuse-flood.lua"
    flood.write_text(
        _lua({"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": "wrong-password"}, PROTOS)
    )

    # Rounds alternate (alone, then under the flood) so that the machine's drift hits both;
    # the flood starts WARMUP seconds early: its first attempts hash, then it is locked out.
    alones: list[float] = []
    unders: list[float] = []
    for _ in range(rounds):
        alones.append(_result(_wrk(url, legit, seconds, LEGIT_CONNECTIONS))[0])
        flooding = _wrk(url, flood, seconds + WARMUP + 1, FLOOD_CONNECTIONS)
        time.sleep(WARMUP)
        unders.append(_result(_wrk(url, legit, seconds, LEGIT_CONNECTIONS))[0])
        _result(flooding)
        print(f"abuse: key traffic alone {alones[-1]:,.0f}, flooded {unders[-1]:,.0f} req/s")
    alone, under = statistics.median(alones), statistics.median(unders)
    ratio = under / alone
    # The flood alone, for the CPU each refusal costs.
    cpu_before = _cpu_seconds(pid)
    _, refused = _result(_wrk(url, flood, seconds, FLOOD_CONNECTIONS))
    cpu_per_refusal = (_cpu_seconds(pid) - cpu_before) / max(1, refused)
    print(f"abuse: {refused} refusals, {cpu_per_refusal * 1e6:,.0f} µs CPU each", flush=True)

    maximal = work / "abuse-maximal.lua"
    maximal.write_text(
        _lua(
            {"KEY": key},
            "<packet><server>" + "<get_protos/>" * limits.max_operations + "</server></packet>",
        )
    )
    hostile = work / "abuse-hostile.lua"
    hostile.write_text(
        _lua({"KEY": key}, "<packet><server>" + "<get_protos/>" * 70_000 + "</server></packet>")
    )
    worst_idle, _ = _worst_latency_during(url, key, None, seconds)
    worst_max, sent_max = _worst_latency_during(url, key, maximal, seconds)
    worst_hostile, sent_hostile = _worst_latency_during(url, key, hostile, seconds)
    print(
        f"abuse: worst key latency {worst_max * 1000:.0f} ms during maximal packets, "
        f"{worst_hostile * 1000:.0f} ms during 70,000-operation packets",
        flush=True,
    )

    _customers(url, key, 20 if quick else 60)
    get_all = (
        "<packet>"
        + "<customer><get><filter/><dataset><gen_info/></dataset></get></customer>"
        * limits.max_operations
        + "</packet>"
    )
    biggest = len(httpx.post(url, headers={"KEY": key}, content=get_all, timeout=120).content)
    error_size = 260  # one operation's 1024 answer past the limit, about
    bound = limits.max_answer + limits.max_operations * error_size
    print(f"abuse: largest answer measured {biggest:,} bytes, bound {bound:,}", flush=True)

    rows: list[Row] = [
        (
            f"key traffic under a {FLOOD_CONNECTIONS}-connection wrong-password flood, "
            "ratio to alone",
            f"{ratio:.2f} ({under:,.0f} / {alone:,.0f} req/s)",
            ">= 0.8",
            ratio >= 0.8,
        ),
        (
            "CPU per refused attempt during the flood",
            f"{cpu_per_refusal * 1e6:,.0f} µs ({refused:,} refusals)",
            "",
            None,
        ),
        (
            "worst key-request latency with nothing else running (this machine's floor)",
            f"{worst_idle * 1000:.0f} ms",
            "",
            None,
        ),
        (
            f"worst key-request latency while {limits.max_operations}-operation packets run",
            f"{worst_max * 1000:.0f} ms ({sent_max} packets)",
            "<= 250 ms",
            worst_max <= 0.25,
        ),
        (
            "worst key-request latency while 70,000-operation packets (910 KB) are refused",
            f"{worst_hostile * 1000:.0f} ms ({sent_hostile} packets)",
            "<= 250 ms",
            worst_hostile <= 0.25,
        ),
        (
            "largest answer the budgets allow (maxAnswerSize + one 1024 per further operation)",
            f"{bound:,} bytes; measured {biggest:,} bytes for "
            f"{limits.max_operations} customer/get of every customer",
            "",
            None,
        ),
    ]
    return rows, key


def _section(rows: list[Row], limits: Any, seconds: float, rounds: int) -> str:
    out = [
        "",
        "## Abuse",
        "",
        f"`bench/abuse.py`: servers of their own (one worker, SQLite, default limits, "
        "`trustedProxies = 127.0.0.1`); "
        f"{seconds:.0f} s runs, {rounds} round(s) alternating alone and attacked, medians; "
        f"key traffic is wrk with {LEGIT_CONNECTIONS} connections from 127.0.0.1 sending "
        "`server/get_protos` with a KEY; the flood is wrk with "
        f"{FLOOD_CONNECTIONS} connections sending wrong passwords for `admin` from the same "
        "address (locked out after "
        f"{limits.lockout_failures} failures, then answered after {limits.lockout_delay} s "
        f"without hashing), started {WARMUP:.0f} s before the measure; latency is the slowest "
        "of sequential key requests while wrk (one connection) sends packets back to back.",
        "",
        "The attacks of issue 24 follow (each started "
        f"{WARMUP:.0f} s before the measure; in each round the key traffic runs once alone, "
        "then under each attack in turn; worst key latency is wrk's largest; beside every "
        "measure of the first server's attacks, a client opens a new HTTPS connection every "
        "0.1 s, for the row on held connections). Attackers wrk "
        "cannot be (connections held open, requests from other loopback addresses) are "
        "`python -m bench.abuse attack`, a process of their own. The spray runs on a fresh "
        "server (lockouts and familiar sources would leak), the big lists on another (its "
        "customers made with the cheapest password hashes, which the lists do not read). The "
        "store outage is another process holding the write lock of the first server's own "
        "SQLite file (the one PostgreSQL is shared with other work, and SQLite in WAL mode "
        "cannot be taken whole while the server holds it open): reads go on, writes wait; "
        "the tests stop a store under a running server. Every string field at its maximum "
        "length and at 1 MiB is `bench/field_bounds.py` (its docstring says how).",
        "",
        "| measure | result | target | met |",
        "| --- | --- | --- | --- |",
    ]
    for what, result, target, met in rows:
        shown = "" if met is None else ("yes" if met else "no")
        out.append(f"| {what} | {result} | {target} | {shown} |")
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description="panelkey's abuse benchmark alone")
    parser.add_argument("--quick", action="store_true", help="one round of 3 s runs")
    parser.add_argument(
        "--only",
        default="",
        metavar="TEXT",
        help="only the attacks whose names hold TEXT (e.g. 'refusal flood'), for trying a fix",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: scripts/bench installs it (apt-get install wrk)")
    work = Path(tempfile.mkdtemp(prefix="panelkey-abuse-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANELKEY_")}
    try:
        print(run(work, env, quick=args.quick, only=args.only))
    finally:
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["attack"]:
        _attack_main(json.loads(sys.argv[2]))
    else:
        raise SystemExit(main())

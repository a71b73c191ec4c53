"""The abuse section of the benchmark: panelkey keeps serving while it is abused.

    legitimate key traffic under a 32-connection wrong-password flood, as a ratio to the
        same traffic alone (target >= 0.8)
    CPU per refused attempt during that flood
    the worst latency of a key request while maximal packets run (target <= 0.25 s)
    the largest answer any budget allows, and the largest one measured

Runs its own panelkey (one worker, SQLite, default abuse limits) so that nothing the
other sections do changes what is measured here. `run` returns the Markdown section.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
AGENT = "/enterprise/control/agent.php"
PROTOS = "<packet><server><get_protos/></server></packet>"
LEGIT_CONNECTIONS = 16
FLOOD_CONNECTIONS = 32
WARMUP = 2.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _lua(headers: dict[str, str], body: str) -> str:
    lines = ['wrk.method = "POST"']
    lines += [f"wrk.headers[ [==[{k}]==] ] = [==[{v}]==]" for k, v in headers.items()]
    lines.append(f"wrk.body = [==[{body}]==]")
    return "\n".join(lines) + "\n"


def _wrk(url: str, script: Path, seconds: float, connections: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["wrk", "-t1", f"-c{connections}", f"-d{int(seconds)}s", "-s", str(script), url],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _result(proc: subprocess.Popen[str]) -> tuple[float, int]:
    """(requests/s, requests) of a finished wrk."""
    out, _ = proc.communicate()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    if not rps or not total:
        raise SystemExit(f"wrk said: {out}")
    return float(rps.group(1)), int(total.group(1))


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _customers(url: str, key: str, count: int) -> None:
    """`count` customers with the longest description the budgets allow."""
    description = "d" * 1024
    for start in range(0, count, 10):  # at most 10 passwords to hash in one packet
        ops = "".join(
            f"<customer><add><gen_info><pname>Abuse {n}</pname><login>abuse{n}</login>"
            f"<passwd>pw-abuse-{n}-x</passwd><description>{description}</description>"
            "</gen_info></add></customer>"
            for n in range(start, min(count, start + 10))
        )
        r = httpx.post(url, headers={"KEY": key}, content=f"<packet>{ops}</packet>", timeout=120)
        if b"<status>error</status>" in r.content:
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


def run(work: Path, env: dict[str, str], *, quick: bool) -> str:
    """Measure and return the Markdown section (see the module)."""
    seconds = 3.0 if quick else 8.0
    data = work / "abuse"
    data.mkdir(parents=True, exist_ok=True)
    env = dict(env, PANELKEY_DATA_DIR=str(data))
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
        while True:
            try:
                socket.create_connection(("127.0.0.1", http), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("the abuse server did not start") from None
                time.sleep(0.05)
        return _measure(work, env, proc.pid, f"http://127.0.0.1:{http}{AGENT}", seconds, quick)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _measure(
    work: Path, env: dict[str, str], pid: int, url: str, seconds: float, quick: bool
) -> str:
    from panelkey.config import load_settings

    limits = load_settings({}, environ=env)
    rounds = 1 if quick else 3
    made = subprocess.run(
        [str(BIN / "secret_key"), "-c", "-ip-address", "127.0.0.1", "-description", "abuse"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    key = made.stdout.strip()
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

    rows = [
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
    out = [
        "",
        "## Abuse",
        "",
        f"`bench/abuse.py`: a server of its own (one worker, SQLite, default limits); {seconds:.0f} s "
        f"runs, {rounds} round(s) alternating alone and flooded, medians; key traffic is wrk with {LEGIT_CONNECTIONS} connections sending "
        "`server/get_protos` with a KEY; the flood is wrk with "
        f"{FLOOD_CONNECTIONS} connections sending wrong passwords for `admin` from the same "
        "address (locked out after "
        f"{limits.lockout_failures} failures, then answered after {limits.lockout_delay} s "
        f"without hashing), started {WARMUP:.0f} s before the measure; latency is the slowest "
        "of sequential key requests while wrk (one connection) sends packets back to back.",
        "",
        "| measure | result | target | met |",
        "| --- | --- | --- | --- |",
    ]
    for what, result, target, met in rows:
        shown = "" if met is None else ("yes" if met else "no")
        out.append(f"| {what} | {result} | {target} | {shown} |")
    return "\n".join(out) + "\n"

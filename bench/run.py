"""panelkey's benchmark: requests/s against a bare baseline measured in the same run.

    scripts/bench            # full: 3 alternating rounds of 8 s, 100 / 10,000 / 1,000,000 keys
    scripts/bench --quick    # under a minute: 1 round of 2 s, 100 / 10,000 keys

Starts panelkey (one worker, SQLite) and the baseline (bench/baseline_app.py: a bare
Starlette app on the same uvicorn, httptools and uvloop, answering the same bytes), drives
each with wrk over plain HTTP and HTTPS, alternating runs so drift hits all alike, prints
each result as requests/s and as a ratio to the baseline of the same scheme, and writes
the table with the exact command and versions to docs/performance.md.
"""

from __future__ import annotations

import argparse
import base64
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import httpx

from bench import abuse, key_calls
from bench import store as store_bench
from bench.verify_cost import fill_store, revocation_delays, rss_mb

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ADMIN_PASSWORD = "bench-admin-password"
AGENT = "/enterprise/control/agent.php"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"a server exited early ({proc.args})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"port {port} never opened")


BASELINE = "baseline GET /api/v2/server (no auth, no store)"
REST_KEY = "REST GET /api/v2/server, X-API-Key"
REST_BASIC = "REST GET /api/v2/server, Basic"
PROTOS = "XML server/get_protos, KEY"
PROTOS_VARIED = "XML server/get_protos, KEY, every body different (no answer reuse)"
GET_INFO = "XML secret_key/get_info (one key), KEY"
WARM_UP_SECONDS = 2  # whole seconds: wrk reads no "2.0s"
# (scheme, scenario, {"baseline" or a configuration: (requests/s, ratio, µs CPU a request)})
Row = tuple[str, str, dict[str, tuple[float, float, float]]]


@dataclass
class Scenario:
    name: str
    target: str  # "baseline" or "panelkey"
    method: str
    path: str
    headers: dict[str, str]
    body: str = ""
    vary: bool = False  # a different body every request (an XML comment with a counter)


def lua(s: Scenario) -> str:
    """A wrk script that sends this scenario's request."""

    def q(text: str) -> str:
        return "[==[" + text + "]==]"

    lines = [f"wrk.method = {q(s.method)}"]
    for name, value in s.headers.items():
        lines.append(f"wrk.headers[ {q(name)} ] = {q(value)}")
    if s.body and s.vary:
        head, tail = s.body.split("<server>", 1)
        lines.append("local n = 0")
        lines.append(
            f"request = function() n = n + 1; return wrk.format(nil, nil, nil, {q(head)} .. "
            f'"<!-- " .. n .. " -->" .. {q("<server>" + tail)}) end'
        )
    elif s.body:
        lines.append(f"wrk.body = {q(s.body)}")
    return "\n".join(lines) + "\n"


def run_wrk(url: str, script: Path, seconds: float, connections: int) -> float:
    return wrk_counts(url, script, seconds, connections)[0]


def wrk_counts(url: str, script: Path, seconds: float, connections: int) -> tuple[float, int]:
    """Requests a second, and requests in all, of one wrk run."""
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if not match or not total:
        raise SystemExit(f"wrk said: {out}")
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses; the scenario is wrong:\n{out}")
    return float(match.group(1)), int(total.group(1))


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system, every thread) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def probe(url: str, s: Scenario) -> None:
    """One request of the scenario, so that a wrong one fails loudly before wrk runs."""
    r = httpx.request(s.method, url, headers=s.headers, content=s.body or None, verify=False)  # noqa: S501 - our own self-signed certificate
    if r.status_code != 200 or b"<status>error</status>" in r.content:
        raise SystemExit(f"{s.name} at {url}: HTTP {r.status_code}: {r.text[:500]}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="one short round; 100 and 10,000 keys")
    parser.add_argument(
        "--no-docs",
        action="store_true",
        help="do not write docs/performance.md (--quick never does)",
    )
    parser.add_argument(
        "--log-level",
        default=None,
        help="measure only this --log-level (warning: quiet, no access log) instead of both "
        "the default configuration and the quiet one; writes nothing",
    )
    parser.add_argument(
        "--requests-only",
        action="store_true",
        help="only the requests table (no key costs, revocation, abuse or store parts); "
        "writes nothing",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: scripts/bench installs it (apt-get install wrk)")
    rounds, seconds, connections = (1, 2, 32) if args.quick else (3, 8, 32)
    key_counts = [100, 10_000] if args.quick else [100, 10_000, 1_000_000]
    command = "scripts/bench" + (" --quick" if args.quick else "")
    work = Path(tempfile.mkdtemp(prefix="panelkey-bench-"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        return _bench(
            work,
            procs,
            rounds,
            seconds,
            connections,
            key_counts,
            command,
            args.no_docs or args.quick or args.requests_only or args.log_level is not None,
            args.log_level,
            args.requests_only,
        )
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)


def _start_panelkey(
    work: Path, name: str, log_args: list[str], env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], dict[str, int], dict[str, str], str]:
    """One panelkey server with a data folder of its own: the process, its ports
    (http, https), its environment and a key made for 127.0.0.1."""
    data = work / f"data-{name}"
    data.mkdir()
    (data / "panel.ini").write_text("[ext-rest-api]\nallowPlainHttpAccess = on\n")
    env = dict(env, PANELKEY_DATA_DIR=str(data), PANELKEY_ADMIN_PASSWORD=ADMIN_PASSWORD)
    ports = {"https": free_port(), "http": free_port()}
    server_log = (work / f"server-{name}.log").open("wb")  # a file, as a service's log would be
    proc = subprocess.Popen(
        [str(BIN / "panelkey"), "serve", "--https-port", str(ports["https"]),
         "--http-port", str(ports["http"]), *log_args],
        env=env, stdout=subprocess.DEVNULL, stderr=server_log,
    )  # fmt: skip
    server_log.close()  # the server has its own copy
    wait_port(ports["https"], proc)
    wait_port(ports["http"], proc)
    made = subprocess.run(
        [str(BIN / "secret_key"), "-c", "-ip-address", "127.0.0.1", "-description", "bench"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return proc, ports, env, made.stdout.strip()


def _bench(
    work: Path,
    procs: list[subprocess.Popen[bytes]],
    rounds: int,
    seconds: float,
    connections: int,
    key_counts: list[int],
    command: str,
    no_docs: bool,
    log_level: str | None = None,
    requests_only: bool = False,
) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANELKEY_")}
    # The figure of record is panelkey as `panelkey serve` starts it, the access log on;
    # the quiet configuration (--log-level warning) is measured beside it, alternately.
    configs: dict[str, list[str]] = (
        {"default": [], "quiet": ["--log-level", "warning"]}
        if log_level is None
        else {f"--log-level {log_level}": ["--log-level", log_level]}
    )
    servers: dict[str, tuple[subprocess.Popen[bytes], dict[str, int], str]] = {}
    for name, log_args in configs.items():
        proc, pk_ports, pk_env, pk_key = _start_panelkey(
            work, name.replace(" ", "").replace("-", ""), log_args, env
        )
        procs.append(proc)
        servers[name] = (proc, pk_ports, pk_key)
    first = next(iter(servers))
    pk, pk_ports, key = servers[first]
    env = dict(env, PANELKEY_DATA_DIR=str(work / f"data-{first.replace(' ', '').replace('-', '')}"))
    env["PANELKEY_ADMIN_PASSWORD"] = ADMIN_PASSWORD
    key_id = "1"
    server_body = httpx.get(
        f"http://127.0.0.1:{pk_ports['http']}/api/v2/server", headers={"X-API-Key": key}
    )
    server_body.raise_for_status()
    (work / "server.json").write_bytes(server_body.content)
    data_dir = Path(env["PANELKEY_DATA_DIR"])
    cert, tls_key = data_dir / "tls" / "cert.pem", data_dir / "tls" / "key.pem"
    b_ports = {"http": free_port(), "https": free_port()}
    baseline = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.baseline_app",
            str(work / "server.json"),
            str(b_ports["http"]),
            str(b_ports["https"]),
            str(cert),
            str(tls_key),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    procs.append(baseline)
    wait_port(b_ports["http"], baseline)
    wait_port(b_ports["https"], baseline)

    basic = base64.b64encode(f"admin:{ADMIN_PASSWORD}".encode()).decode()
    protos = "<packet><server><get_protos/></server></packet>"
    get_info = f"<packet><secret_key><get_info><filter><key>{key_id}</key></filter></get_info></secret_key></packet>"
    KEY = "{key}"  # each server's own key, filled in per server
    scenarios = [
        Scenario(BASELINE, "baseline", "GET", "/api/v2/server", {}),
        Scenario(REST_KEY, "panelkey", "GET", "/api/v2/server", {"X-API-Key": KEY}),
        Scenario(REST_BASIC, "panelkey", "GET", "/api/v2/server", {"Authorization": f"Basic {basic}"}),
        Scenario(PROTOS, "panelkey", "POST", AGENT, {"KEY": KEY, "Content-Type": "text/xml"}, protos),
        Scenario(PROTOS_VARIED, "panelkey", "POST", AGENT, {"KEY": KEY, "Content-Type": "text/xml"},
                 protos, vary=True),
        Scenario(GET_INFO, "panelkey", "POST", AGENT, {"KEY": KEY, "Content-Type": "text/xml"},
                 get_info),
    ]  # fmt: skip
    # (scenario index, target) -> requests/s and µs of server CPU a request, per round;
    # target is "baseline" or a configuration's name.
    runs: list[tuple[int, str, Path, dict[str, int], int, dict[str, str]]] = []
    for i, s in enumerate(scenarios):
        targets = ["baseline"] if s.target == "baseline" else list(servers)
        for target in targets:
            if target == "baseline":
                ports, pid, value = b_ports, baseline.pid, ""
            else:
                ports, pid, value = servers[target][1], servers[target][0].pid, servers[target][2]
            headers = {k: v.replace(KEY, value) for k, v in s.headers.items()}
            script = work / f"s{i}-{len(runs)}.lua"
            script.write_text(
                lua(Scenario(s.name, s.target, s.method, s.path, headers, s.body, s.vary))
            )
            runs.append((i, target, script, ports, pid, headers))
    results: dict[tuple[int, str, str], list[float]] = {}
    # The server's CPU a request: on a busy machine requests/s fall with the neighbours'
    # load, the CPU each request costs far less.
    cpu: dict[tuple[int, str, str], list[float]] = {}
    # Every run once, unrecorded, before the rounds: a server's first seconds of a kind
    # of request (its journal file growing to its size, its caches and threads filling)
    # were the slowest round of every panelkey scenario, and of none of the baseline's.
    for scheme in ("http", "https"):
        for i, _target, script, ports, _pid, headers in runs:
            s = scenarios[i]
            url = f"{scheme}://127.0.0.1:{ports[scheme]}{s.path}"
            probe(url, Scenario(s.name, s.target, s.method, s.path, headers, s.body))
            wrk_counts(url, script, WARM_UP_SECONDS, connections)
    for round_no in range(rounds):
        for scheme in ("http", "https"):
            for i, target, script, ports, pid, _headers in runs:
                s = scenarios[i]
                url = f"{scheme}://127.0.0.1:{ports[scheme]}{s.path}"
                used = cpu_seconds(pid)
                rps, total = wrk_counts(url, script, seconds, connections)
                cpu.setdefault((i, target, scheme), []).append(
                    (cpu_seconds(pid) - used) / total * 1e6
                )
                results.setdefault((i, target, scheme), []).append(rps)
                print(
                    f"round {round_no + 1} {scheme:5} {target:8} {s.name}: {rps:,.0f} req/s, "
                    f"{cpu[(i, target, scheme)][-1]:.0f} µs CPU a request",
                    flush=True,
                )
    pk_rss = rss_mb(pk.pid)

    # rows: (scheme, scenario, {target: (req/s, ratio, µs CPU)}) for the baseline and each
    # configuration, ratios against the baseline of the same scheme in the same run.
    rows: list[Row] = []
    for scheme in ("http", "https"):
        base = statistics.median(results[(0, "baseline", scheme)])
        for i, s in enumerate(scenarios):
            by: dict[str, tuple[float, float, float]] = {}
            for target in ["baseline"] if s.target == "baseline" else list(servers):
                rps = statistics.median(results[(i, target, scheme)])
                by[target] = (rps, rps / base, statistics.median(cpu[(i, target, scheme)]))
            rows.append((scheme, s.name, by))
    if requests_only or log_level is not None:
        print(f"\n{command} {' '.join(configs)}, {rounds} rounds:\n")
        print(_requests_table(rows, list(servers), cpu=True))
        return 0
    default = next(iter(servers))
    ratio = {(scheme, name): by[default][1] for scheme, name, by in rows if default in by}
    rate = {(scheme, name): by[default][0] for scheme, name, by in rows if default in by}
    key_rest = {sc: rate[(sc, REST_KEY)] for sc in ("http", "https")}
    basic_rest = {sc: rate[(sc, REST_BASIC)] for sc in ("http", "https")}

    # Password checks while keys are made (issue 26): on the default server, alone.
    calls = key_calls.measure(f"http://127.0.0.1:{pk_ports['http']}", ADMIN_PASSWORD, 120)
    calls_text, calls_median, calls_p95 = key_calls.summary(calls)
    print(calls_text, flush=True)

    cost_rows = []
    for count in key_counts:
        url, value = fill_store(work / f"keys-{count}", count)
        # Best of three fresh processes: on a shared machine noise only ever adds time.
        runs = [measure_apart(url, value) for _ in range(3)]
        cost = {k: min(r[k] for r in runs) for k in runs[0]}
        rss = None
        if count == max(key_counts):
            rss = _server_rss(work / f"keys-{count}", value, env)
        cost_rows.append((count, cost["hot_us"], cost["cold_us"], rss))
        print(
            f"verify with {count:,} keys: cached {cost['hot_us']:.2f} µs, store lookup "
            f"{cost['cold_us']:.1f} µs" + (f", server RSS {rss:.0f} MB" if rss else ""),
            flush=True,
        )

    table = _table(
        rows, cost_rows, key_rest, basic_rest, ratio, pk_rss, rounds, seconds, connections, command,
        list(servers),
    )  # fmt: skip
    table += (
        "\n## Password checks while keys are made (bench/key_calls.py)\n\n"
        f"{calls_text}. The call making a key is a write (its transaction committed with "
        "`synchronous=FULL`, its audit row, the change feed), the other a read; a verified "
        "password forgotten at each key write would add a full argon2 check (about 150 ms) "
        "to the next call.\n\n"
        "| target | measured | met |\n| --- | --- | --- |\n"
        f"| a call making a key within 2x of a call making none (medians) | "
        f"{calls_median:.2f}x (95th percentile {calls_p95:.2f}x) | "
        f"{'yes' if calls_median <= 2 else 'no'} |\n"
    )
    revocation = _revocation()
    if revocation:
        table += (
            "\n## Revocation between servers (PostgreSQL LISTEN/NOTIFY)\n\n"
            "Two store handles, each with its own change feed, on one PostgreSQL: a key cached by "
            "the reader is deleted through the writer, and the reader is watched until it lets "
            f"the key go. Over {len(revocation)} keys, counted from the moment the delete "
            f"returned: median {statistics.median(revocation):.2f} ms, max "
            f"{max(revocation):.2f} ms. Over HTTP, between two servers, see docs/scaling.md.\n"
        )
    table += abuse.run(work, env, quick=rounds == 1)  # its own server: bench/abuse.py
    table += store_bench.run(quick=rounds == 1)  # issue 15, own servers: bench/store.py
    for findings in sorted((ROOT / "bench" / "findings").glob("*.md")):
        table += "\n" + findings.read_text()  # what was measured once, and why it changed
    print("\n" + table)
    if not no_docs:
        (ROOT / "docs" / "performance.md").write_text(table)
        print("written to docs/performance.md")
    return 0


def measure_apart(url: str, value: str) -> dict[str, float]:
    """`measure` in a fresh process, as a server would be, not this one that filled the store."""
    import json

    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, sys; from bench.verify_cost import measure; "
            "print(json.dumps(measure(sys.argv[1], sys.argv[2])))",
            url,
            value,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout))


def _revocation() -> list[float]:
    """Revocation delays on PostgreSQL, or [] (said aloud) where none answers."""
    import uuid
    from urllib.parse import quote

    import sqlalchemy as sa

    url = os.environ.get(
        "PANELKEY_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    schema = f"pk_bench_{uuid.uuid4().hex[:8]}"
    try:
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # noqa: BLE001 - no PostgreSQL: skip this part, and say so
        print(f"revocation delay not measured: no PostgreSQL at {url} ({exc.__class__.__name__})")
        return []
    try:
        sep = "&" if "?" in url else "?"
        delays = revocation_delays(f"{url}{sep}options={quote(f'-csearch_path={schema}')}")
        print(
            f"revocation across store handles: median {statistics.median(delays):.2f} ms, max {max(delays):.2f} ms"
        )
        return delays
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


def _server_rss(data_dir: Path, value: str, env: dict[str, str]) -> float:
    """RSS of a panelkey server on the big store, after it has verified a key."""
    https, http = free_port(), free_port()
    env = dict(env, PANELKEY_DATA_DIR=str(data_dir))
    proc = subprocess.Popen(
        [
            str(BIN / "panelkey"),
            "serve",
            "--https-port",
            str(https),
            "--http-port",
            str(http),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_port(http, proc)
        for _ in range(200):
            r = httpx.post(
                f"http://127.0.0.1:{http}{AGENT}",
                headers={"KEY": value},
                content=b"<packet><server><get_protos/></server></packet>",
            )
            assert b"<status>ok</status>" in r.content, r.text
        return rss_mb(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)


def _requests_table(rows: list[Row], configs: list[str], *, cpu: bool = True) -> str:
    """The requests table: each configuration's requests/s and ratio beside the baseline's."""
    head = "| scheme | scenario |"
    rule = "| --- | --- |"
    for c in configs:
        head += f" {c} req/s | ratio |" + (f" {c} µs CPU |" if cpu else "")
        rule += " ---: | ---: |" + (" ---: |" if cpu else "")
    out = [head, rule]
    for scheme, name, by in rows:
        line = f"| {scheme} | {name} |"
        for c in configs:
            rps, r, used = by.get(c, by.get("baseline", (0.0, 0.0, 0.0)))
            line += f" {rps:,.0f} | {r:.2f} |" + (f" {used:.0f} |" if cpu else "")
        out.append(line)
    return "\n".join(out) + "\n"


def _table(
    rows,
    cost_rows,
    key_rest,
    basic_rest,
    ratio,
    pk_rss,
    rounds,
    seconds,
    connections,
    command,
    configs,
) -> str:  # type: ignore[no-untyped-def]
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()[
        0
    ]
    out = [
        "# Performance",
        "",
        f"Produced by `{command}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        f"Machine: {os.cpu_count()} cores ({cpu}), {platform.platform()}; Python {platform.python_version()}, "
        f"uvicorn {version('uvicorn')}, starlette {version('starlette')}, httptools {version('httptools')}, "
        f"uvloop {version('uvloop')}, lxml {version('lxml')}, SQLAlchemy {version('sqlalchemy')}; {wrk_version}.",
        "",
        f"wrk: 1 thread, {connections} connections, {seconds} s per run, {rounds} round(s), runs alternating "
        "between the baseline and every scenario on each configuration, after one unrecorded "
        f"{WARM_UP_SECONDS:g} s run of each (a server's first seconds of a kind of request are its "
        "slowest); medians shown. One "
        "panelkey worker, SQLite store, in two configurations side by side: **default**, as "
        "`panelkey serve` starts with no options (log level info: an access-log line a request, "
        "written to a file as a service's log would be), the figure of record; and **quiet**, "
        "`--log-level warning` (no access log). "
        "Baseline: `bench/baseline_app.py`, a bare Starlette app on the same uvicorn (httptools, uvloop) "
        "answering the same bytes as panelkey's `GET /api/v2/server`, with no authentication and no store. "
        "Ratios are against the baseline of the same scheme in the same run; on this shared "
        "machine runs of the same scenario differ by up to about 10%, so ratios a little above "
        "1 mean 'as fast as the baseline', not faster.",
        "",
        _requests_table(rows, configs),
        "The CPU columns are the server's CPU a request (user and system, every thread, from "
        "`/proc/<pid>/stat` around each run, divided by wrk's count): on a shared machine "
        "requests a second fall with the neighbours' load, the CPU a request far less.",
    ]
    out += [
        "",
        "In-process key verification (`Authenticator.check_key`, SQLite store, checkpointed): median "
        "per call over 2,000 batches of 100, in a fresh process; best of three such processes.",
        "",
        "| keys in store | cached check (µs) | store lookup, cache empty (µs) | server RSS (MB) |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for count, hot, cold, rss in cost_rows:
        out.append(f"| {count:,} | {hot:.2f} | {cold:.1f} | {f'{rss:.0f}' if rss else '-'} |")
    flat = cost_rows[-1][1] / cost_rows[0][1]
    out += ["", "## Targets", "", "| target | measured | met |", "| --- | --- | --- |"]

    def line(target: str, measured: str, ok: bool) -> None:
        out.append(f"| {target} | {measured} | {'yes' if ok else 'no'} |")

    for scheme in ("http", "https"):
        r = ratio[(scheme, REST_KEY)]
        line(f"default: REST with X-API-Key >= 0.90 of baseline ({scheme})", f"{r:.2f}", r >= 0.90)
        r = ratio[(scheme, PROTOS)]
        line(
            f"default: XML get_protos with KEY >= 0.60 of baseline ({scheme})",
            f"{r:.2f}",
            r >= 0.60,
        )
        r = ratio[(scheme, PROTOS_VARIED)]
        line(
            f"default: XML get_protos, every body different, >= 0.60 of baseline ({scheme})",
            f"{r:.2f}",
            r >= 0.60,
        )
        r = basic_rest[scheme] / key_rest[scheme]
        line(f"Basic auth >= 0.50 of key auth ({scheme})", f"{r:.2f}", r >= 0.50)
    line(
        f"verification at {cost_rows[-1][0]:,} keys within 1.1x of 100 keys",
        f"{flat:.2f}x",
        flat <= 1.1,
    )
    line(
        "verification median under 2 µs",
        f"{max(c[1] for c in cost_rows):.2f} µs",
        max(c[1] for c in cost_rows) < 2,
    )
    big_rss = cost_rows[-1][3]
    if big_rss is not None:
        line(
            f"server RSS with {cost_rows[-1][0]:,} keys under 200 MB",
            f"{big_rss:.0f} MB",
            big_rss < 200,
        )
    out.append(f"\nRSS of the benchmarked server after the load runs: {pk_rss:.0f} MB.\n")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())

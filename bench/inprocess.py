"""The store scenarios called in process, straight on the ASGI app: for finding where the
time goes, with no sockets, no wrk and no noise from other processes in the way.

    python -m bench.inprocess --scenario customer-get -n 2000            # µs per request
    python -m bench.inprocess --scenario get-rec --profile pyinstrument  # where it goes
    python -m bench.inprocess --scenario all --store postgresql
    python -m bench.inprocess --scenario add-del --profile cprofile  # a write, and its del

The app is the one a worker serves (server.PanelkeyApp inside the JournalMiddleware,
with the journal on), over a fresh store filled as bench/store.py fills it.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.store import ADMIN_PASSWORD, AGENT, Store, fill, pg_available


class InProcess:
    """panelkey's ASGI app over a fresh store; `call` sends one request and returns the body."""

    def __init__(self, kind: str, work: Path) -> None:
        os.environ["PANELKEY_ADMIN_PASSWORD"] = ADMIN_PASSWORD
        from panelkey.config import LivePanelIni, load_settings
        from panelkey.context import Context
        from panelkey.core.panel import Panel
        from panelkey.journal import AccessLog, Journal
        from panelkey.server import api_app

        self.store = Store(kind, work)
        (work / "data").mkdir(parents=True, exist_ok=True)
        (work / "data" / "panel.ini").write_text("[ext-rest-api]\nallowPlainHttpAccess = on\n")
        settings = load_settings(
            {"data_dir": str(work / "data"), "database_url": self.store.url}, environ={}
        )
        self.panel = Panel.open(settings.database_url)
        self.panel.bootstrap()
        self.panel.watch()
        ctx = Context(self.panel, settings, LivePanelIni(settings.panel_ini))
        self.journal = Journal(settings.data_dir / "journal.db", settings.journal_size)
        # The worker's app (server.api_app); the access log off unless logging is at info,
        # and never flushed here.
        self.access = AccessLog()
        self.app = api_app(ctx, self.journal, self.access)
        basic = base64.b64encode(f"admin:{ADMIN_PASSWORD}".encode()).decode()
        self.admin = {"authorization": f"Basic {basic}", "content-type": "text/xml"}
        self.loop = asyncio.new_event_loop()
        admin = self.panel.accounts.admin()
        assert admin is not None
        value, _ = self.panel.keys.create(
            admin.identity(), addresses=["127.0.0.1"], description="bench", face="cli"
        )
        self.key = value
        self.keyed = {"key": value, "x-api-key": value, "content-type": "text/xml"}

    async def _call(self, method: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
        path, _, query = path.partition("?")
        scope = {
            "type": "http",
            "method": method,
            "path": path,
            "query_string": query.encode(),
            "scheme": "http",
            "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 8880),
            "headers": [(k.encode(), v.encode()) for k, v in headers.items()]
            + [(b"content-length", str(len(body)).encode())],
        }
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        out: list[bytes] = []

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body":
                out.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return b"".join(out)

    def call(
        self, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
    ) -> bytes:
        return self.loop.run_until_complete(
            self._call(method, path, headers or self.keyed, body.encode())
        )

    def xml(self, packet: str) -> str:
        answer = self.call("POST", AGENT, packet, self.admin).decode()
        if "<status>error</status>" in answer:
            raise SystemExit(f"set-up packet failed: {answer[:800]}")
        return answer

    def fill(self) -> int:
        return fill(self.xml)

    def close(self) -> None:
        self.loop.close()
        self.journal.close()
        self.panel.close()
        self.store.drop()


@contextlib.contextmanager
def fresh(kind: str, prefix: str = "panelkey-inproc-") -> Iterator[InProcess]:
    """An `InProcess` over a store of its own in a new folder, closed and removed after."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    rig = InProcess(kind, work)
    try:
        yield rig
    finally:
        rig.close()
        shutil.rmtree(work, ignore_errors=True)


def scenarios(site: int) -> dict[str, tuple[str, str, str]]:
    """name -> (method, path, body); the read scenarios of bench/store.py, and `add-del`:
    a `dns/add_rec` and the `del_rec` of what it made, as one step (timed as one)."""
    from bench.store import read_cases

    found = {c.short: (c.pk_method, c.pk_path, c.pk_body) for c in read_cases(site)}
    found["add-del"] = ("PAIR", AGENT, str(site))
    return found


def _pair(rig: InProcess, site: str, n: int) -> bytes:
    """dns/add_rec then del_rec of the new record; the del's answer."""
    import re

    added = rig.call("POST", AGENT, f"<packet><dns><add_rec><site-id>{site}</site-id><type>TXT"
                     f"</type><host>_p</host><value>v{n}</value></add_rec></dns></packet>")  # fmt: skip
    new_id = re.search(rb"<id>(\d+)</id>", added)
    if new_id is None:
        return added
    return rig.call("POST", AGENT, "<packet><dns><del_rec><filter><id>"
                    f"{new_id.group(1).decode()}</id></filter></del_rec></dns></packet>")  # fmt: skip


def timed(rig: InProcess, method: str, path: str, body: str, n: int) -> float:
    """µs per request over n requests, each XML body different (a counter in a comment);
    for `add-del`, µs of the whole process (the write runs in a thread) per pair."""
    if method == "PAIR":
        _pair(rig, body, 0)
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            for i in range(n):
                answer = _pair(rig, body, i)
                if b"<status>ok</status>" not in answer:
                    raise SystemExit(f"add-del: {answer[:400]!r}")
            best = min(best, time.process_time() - started)
        return best / n * 1e6
    vary = body.startswith("<packet>")
    make: Callable[[int], str] = (
        (lambda i: f"<packet><!-- {i} -->{body[8:]}") if vary else (lambda _i: body)
    )
    first = rig.call(method, path, make(0))
    if b"<status>error</status>" in first or b'"code":' in first[:20]:
        raise SystemExit(f"{path}: {first[:400]!r}")
    # CPU time of this thread, best of three: on a busy machine wall time measures the
    # neighbours; threads panelkey starts (none on these paths) would not be counted.
    best = float("inf")
    for _ in range(3):
        started = time.thread_time()
        for i in range(n):
            rig.call(method, path, make(i))
        best = min(best, time.thread_time() - started)
    return best / n * 1e6


def cpu_per_request(kind: str, n: int) -> dict[str, float]:
    """{scenario: µs of CPU per request} for every read scenario, in a fresh store, and
    {"bare " + scenario: ...} for bench/store_baseline_app.py's answer to it, called in
    process the same way: a comparison no neighbour on the machine can blur."""
    from bench import store_baseline_app
    from bench.store import read_cases

    with fresh(kind) as rig:
        cases = read_cases(rig.fill())
        out = {c.short: timed(rig, c.pk_method, c.pk_path, c.pk_body, n) for c in cases}
        panelkey = rig.app
        rig.app = store_baseline_app.make_app(store_baseline_app.Store(rig.store.url))
        for c in cases:
            out["bare " + c.short] = timed(rig, c.bare_method, c.bare_path, c.pk_body, n)
        rig.app = panelkey
        return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--scenario", default="all")
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--profile", choices=("none", "pyinstrument", "cprofile"), default="none")
    args = parser.parse_args()
    if args.store == "postgresql" and (why := pg_available()):
        raise SystemExit(why)
    with fresh(args.store) as rig:
        site = rig.fill()
        table = scenarios(site)
        names = [n for n in table if n != "add-del"] if args.scenario == "all" else [args.scenario]
        for name in names:
            method, path, body = table[name]
            if args.profile == "none":
                unit = "pair (process CPU)" if name == "add-del" else "request"
                print(f"{name:14} {timed(rig, method, path, body, args.n):8.1f} µs CPU/{unit}")
            elif args.profile == "pyinstrument":
                from pyinstrument import Profiler

                timed(rig, method, path, body, 50)
                with Profiler(interval=0.0001) as prof:
                    timed(rig, method, path, body, args.n)
                print(prof.output_text(unicode=True, color=False, show_all=False))
            else:
                import cProfile
                import pstats

                timed(rig, method, path, body, 50)
                prof = cProfile.Profile()
                prof.enable()
                timed(rig, method, path, body, args.n)
                prof.disable()
                pstats.Stats(prof).sort_stats("tottime").print_stats(35)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Instructions a request costs in process, counted by valgrind (callgrind): a figure no
neighbour on the machine can move, for deciding whether a change to the request path
pays when the machine is too busy for wrk and CPU times to tell.

    python -m bench.instructions            # every region, 1,000 requests each
    python -m bench.instructions -n 300 --region protos-varied

Each region sends its requests to the worker's app (server.api_app) as bench/inprocess.py
does, the access log on (into /dev/null) and drained at the region's end (its lines made
on the loop and counted; their write, in a thread, is not); only the region
is counted (collection is switched on inside `sys.call_tracing`, which nothing else
calls). The harness's own cost (a trivial ASGI app called the same way) is taken off
every row. The journal's flush is a row of its own, per entry written: under load the
journal writes at most `journalSize` entries a second (server.py), however many requests
came. Instructions are not time (cache misses and the kernel's part are not in them),
but on one machine a change that takes instructions off the path takes time off it.
Needs valgrind (apt-get install valgrind).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.inprocess import AGENT

PROTOS = "<packet><server><get_protos/></server></packet>"
# name -> (what it is, method, path, body, with the key)
REGIONS: dict[str, tuple[str, str, str, str, bool]] = {
    "harness": ("a trivial ASGI app (taken off every row)", "GET", "/api/v2/server", "", False),
    "bare": ("bench's bare Starlette app, GET /api/v2/server", "GET", "/api/v2/server", "", False),
    "rest-key": ("REST GET /api/v2/server, X-API-Key", "GET", "/api/v2/server", "", True),
    "protos": ("XML server/get_protos, KEY", "POST", AGENT, PROTOS, True),
    "protos-varied": ("XML server/get_protos, KEY, every body different", "POST", AGENT, "", True),
    "journal": ("the journal's flush, per entry written (get_protos)", "POST", AGENT, "", True),
}


def _inside(names: list[str], n: int) -> None:
    """Run under callgrind: each region once to warm up, then once counted."""
    import logging

    from bench.baseline_app import make_app
    from bench.inprocess import InProcess
    from panelkey.journal import LogFormatter

    work = Path(tempfile.mkdtemp(prefix="panelkey-instr-"))
    rig = InProcess("sqlite", work)
    handler = logging.StreamHandler(open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the run
    handler.setFormatter(LogFormatter())
    logging.getLogger().handlers[:] = [handler]
    logging.getLogger().setLevel(logging.INFO)
    panelkey = rig.app
    bare = make_app(rig.call("GET", "/api/v2/server"))

    async def trivial(_scope: Any, _receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"x"})

    count = [0]

    def body_of(name: str) -> bytes:
        count[0] += 1
        if name in ("protos-varied", "journal"):
            return f"<packet><!-- {count[0]} --><server><get_protos/></server></packet>".encode()
        return REGIONS[name][3].encode()

    async def requests(name: str) -> None:
        _, method, path, _, keyed = REGIONS[name]
        headers = rig.keyed if keyed else {}
        for _ in range(n):
            await rig._call(method, path, headers, body_of(name))

    async def region(name: str) -> None:
        if name == "journal":
            waiting, _ = rig.journal.take()
            rig.journal.put(await rig.journal.prepare(waiting))
            return
        rig.app = {"harness": trivial, "bare": bare}.get(name, panelkey)
        await requests(name)
        await rig.access.drain()
        rig.journal.take()  # only the journal's own region writes entries

    async def fill_journal() -> None:
        rig.app = panelkey
        await requests("journal")
        await rig.access.drain()  # not counted: outside any region

    run: Callable[[Any], Any] = rig.loop.run_until_complete
    for name in names:
        if name == "journal":
            run(fill_journal())
            run(region(name))
            run(fill_journal())
        else:
            run(region(name))
        sys.call_tracing(run, (region(name),))
    rig.close()
    shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("-n", type=int, default=1000, help="requests a region")
    parser.add_argument("--region", action="append", choices=[r for r in REGIONS if r != "harness"])
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    names = ["harness", *(args.region or [r for r in REGIONS if r != "harness"])]
    if args.inside:
        _inside(names, args.n)
        return 0
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is missing: apt-get install valgrind")
    with tempfile.TemporaryDirectory(prefix="panelkey-callgrind-") as out:
        subprocess.run(
            ["valgrind", "--tool=callgrind", "--collect-atstart=no",
             "--toggle-collect=sys_call_tracing", "--dump-after=sys_call_tracing",
             f"--callgrind-out-file={out}/cg", sys.executable, "-m", "bench.instructions",
             "--inside", "-n", str(args.n), *(f"--region={r}" for r in names[1:])],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        dumps = sorted(Path(out).glob("cg.*"), key=lambda p: int(p.suffix[1:]))
        totals = [_total(p) for p in dumps]
    if len(totals) != len(names):
        raise SystemExit(f"expected {len(names)} regions counted, found {len(totals)}")
    per = {name: total / args.n for name, total in zip(names, totals, strict=True)}
    harness = per.pop("harness")
    bare = per.get("bare", 0) - harness if "bare" in per else None
    print(f"instructions a request, the harness's {harness:,.0f} taken off ({args.n} a region)")
    print("| region | instructions | of the bare app |\n| --- | ---: | ---: |")
    for name, value in per.items():
        own = value if name == "journal" else value - harness
        ratio = f"{bare / own:.2f}" if bare and name != "journal" else ""
        print(f"| {REGIONS[name][0]} | {own:,.0f} | {ratio} |")
    return 0


def _total(dump: Path) -> int:
    for line in dump.read_text().splitlines():
        found = re.match(r"(?:summary|totals): (\d+)", line)
        if found:
            return int(found.group(1))
    raise SystemExit(f"{dump}: no totals")


if __name__ == "__main__":
    raise SystemExit(main())

"""Runs panelkey's console scripts for the tests, their imports paid once per test
process.

A real start spends most of its second and a half of CPU importing panelkey and what it
uses (SQLAlchemy, uvicorn, lxml, ...); a command such as `secret_key -c` most of its
second. This helper process imports them once; for each server a test starts, and each
command it runs as a process, it forks a child, which runs the installed script's entry
point (`panelkey`, `secret_key`, `plesk`) with that process's argv, environment, working
folder, standard input and output files, in a session of its own, exactly as the
process `Popen` would start. Nothing runs here before a fork but those imports and the
core's reads built over stores never opened: no thread, no event loop, no open store, no
socket (prometheus_client is not imported: a server with metrics sets its folder before
it is).

Protocol, one JSON line each way on stdin/stdout: `{"script", "argv", "env", "cwd",
"stdin", "stdout", "stderr", "status"}` (stdin a file to read or null; stdout and stderr
files appended to, the same one for a server's log) is answered by `{"pid"}`; when a
child ends, its exit code (as `Popen.returncode` gives it) is written to its `status`
file. On end of input every child still running is sent SIGTERM, and this process ends.

tests/conftest.py `Server` uses it for servers on a migrated store (`ForkedProcess` is
the handle a test sees as `proc`), and tests/functional/cli/conftest.py `run_process` for
commands; tests about starting itself, and one command of each script, keep a process
started from nothing.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import select
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from typing import NoReturn

from panelkey.cli.warm import exit_with, requests_in

# What `panelkey serve` imports before it listens, and what its worker imports lazily.
# (Found with `python -X importtime` on a served request: what a real server imports.)
PRELOAD = (
    "panelkey.cli.panelkey",
    "panelkey.cli.secret_key",
    "panelkey.cli.plesk",
    "panelkey.server",
    "panelkey.console.browse",
    "panelkey.console.curl",
    "panelkey.console.pages",
    "panelkey.console.testing",
    "uvicorn.lifespan.on",
    "uvicorn.loops.auto",
    "uvicorn.protocols.http.auto",
    "uvicorn.protocols.websockets.auto",
    "uvloop",
    "cryptography.hazmat.backends.openssl.backend",
    "swagger_ui_bundle",
)


SCRIPTS = ("panelkey", "secret_key", "plesk")  # each `panelkey.cli.<script>:main`


def _preload() -> dict[str, Callable[[], object]]:
    """Import what a server and the commands import; each script's entry point."""
    # The script's folder first on the path, as for the installed script (not tests/).
    sys.path[0] = os.path.dirname(sys.executable)
    for name in PRELOAD:
        importlib.import_module(name)
    _build_reads()
    return {script: sys.modules[f"panelkey.cli.{script}"].main for script in SCRIPTS}


def _build_reads() -> None:
    """Build and compile the core's reads for both kinds of store (store/prepared.py
    `built`), as the first store a process opens does: some 35 ms of CPU that each forked
    server and command would pay again. The stores are never opened: no connection is
    made, no thread started (the SQLite one's empty file goes with its folder)."""
    from panelkey.core.panel import Panel
    from panelkey.store.database import Database

    folder = tempfile.mkdtemp(prefix="panelkey-zygote-reads-")
    try:
        for url in (
            f"sqlite:///{folder}/never-opened.db",
            "postgresql+psycopg://unused@127.0.0.1/unused",
        ):
            db = Database(url)
            Panel(db)
            db.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _redirect(fd: int, path: object, flags: int) -> None:
    opened = os.open(os.devnull if path is None else str(path), flags, 0o644)
    os.dup2(opened, fd)
    os.close(opened)


def _run_child(entry: Callable[[], object], request: dict[str, object]) -> NoReturn:
    """In the forked child: become the process `request` describes."""

    def run() -> object:
        os.setsid()
        written = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        _redirect(0, request["stdin"], os.O_RDONLY)
        _redirect(1, request["stdout"], written)
        _redirect(2, request["stderr"], written)
        if request["cwd"] is not None:
            os.chdir(str(request["cwd"]))
        env = request["env"]
        assert isinstance(env, dict)
        os.environ.clear()
        os.environ.update(env)
        argv = request["argv"]
        assert isinstance(argv, list)
        sys.argv = [str(a) for a in argv]
        return entry()

    exit_with(run)


def _reap(running: dict[int, str]) -> None:
    """Write the exit code of every child that ended to its status file."""
    while running:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        path = running.pop(pid, None)
        if path is not None:
            with open(path + ".part", "w") as f:
                f.write(str(os.waitstatus_to_exitcode(status)))
            os.replace(path + ".part", path)


def main() -> None:
    entries = _preload()
    assert "prometheus_client" not in sys.modules, "a server with metrics needs it unimported"
    running: dict[int, str] = {}
    requests = sys.stdin.buffer
    answers = sys.stdout
    pending = b""
    while True:
        ready, _, _ = select.select([requests], [], [], 0.02)
        _reap(running)
        if not ready:
            continue
        chunk = os.read(requests.fileno(), 65536)
        if not chunk:
            break
        requests_read, pending = requests_in(pending + chunk)
        for request in requests_read:
            pid = os.fork()
            if pid == 0:
                _run_child(entries[str(request["script"])], request)
            running[pid] = str(request["status"])
            answers.write(json.dumps({"pid": pid}) + "\n")
            answers.flush()
    for pid in running:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)


if __name__ == "__main__":
    main()

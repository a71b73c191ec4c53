"""`panelkey` commands for the pytest plugin, forked from one process that imported
them once.

A `panelkey seed`, `fault add` or `snapshot restore` started as a process of its own
spends most of its second importing panelkey and what it uses. The plugin
(pytest_plugin.py) starts this process once, at its first command, with the server's
environment: it imports the `panelkey` command, then for each command forks a child
that runs its `main` with the command's arguments, working folder and standard input,
its output in two files, as `python -m panelkey.cli.panelkey` would; the child's exit
code is the command's. Nothing runs here before a fork but the imports: no thread, no
store, no socket.

Protocol, one JSON line each way on stdin/stdout: `{"argv", "cwd", "stdin", "stdout",
"stderr"}` (`stdin` a file to read, `stdout` and `stderr` files to write) is answered
by `{"code"}` once the command has ended. The process ends at the end of its input.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any, NoReturn

from panelkey.cli import panelkey


def _redirect(fd: int, path: str, flags: int) -> None:
    opened = os.open(path, flags, 0o600)
    os.dup2(opened, fd)
    os.close(opened)


def _child(request: dict[str, Any]) -> NoReturn:
    """In the forked child: run the command, then end with its exit code."""

    def run() -> object:
        _redirect(0, str(request["stdin"]), os.O_RDONLY)
        _redirect(1, str(request["stdout"]), os.O_WRONLY | os.O_TRUNC)
        _redirect(2, str(request["stderr"]), os.O_WRONLY | os.O_TRUNC)
        os.chdir(str(request["cwd"]))
        # argv[0] as `python -m panelkey.cli.panelkey` sets it
        sys.argv = [str(panelkey.__file__), *map(str, request["argv"])]
        return panelkey.main()

    exit_with(run)


def exit_with(run: Callable[[], object]) -> NoReturn:
    """In a forked child: `run()`, then end the process as the interpreter would have
    ended it, had `run` been its main: the exit status of what it returned or raised
    (SystemExit), a traceback and 1 for anything else; its output flushed first."""
    code = 1
    try:
        try:
            code = exit_code(run())
        except SystemExit as exc:
            code = exit_code(exc.code)
    except BaseException:  # noqa: BLE001 - as the interpreter shows an uncaught one
        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(code)


def exit_code(value: object) -> int:
    """The exit status `sys.exit(value)` gives a process (a message goes to stderr)."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    print(value, file=sys.stderr)
    return 1


def requests_in(pending: bytes) -> tuple[list[dict[str, Any]], bytes]:
    """The whole JSON lines `pending` begins with, parsed, and the part line after them."""
    *lines, rest = pending.split(b"\n")
    return [json.loads(line) for line in lines], rest


def main() -> None:
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    answers = os.fdopen(os.dup(1), "w")
    pending = b""
    while True:
        chunk = requests.read(65536)
        if not chunk:
            return
        requests_read, pending = requests_in(pending + chunk)
        for request in requests_read:
            pid = os.fork()
            if pid == 0:
                _child(request)
            _, status = os.waitpid(pid, 0)
            answers.write(json.dumps({"code": os.waitstatus_to_exitcode(status)}) + "\n")
            answers.flush()


if __name__ == "__main__":
    main()

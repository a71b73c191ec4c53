"""panelkey's pytest plugin: a real panelkey server for an integration's own test suite.

Installed with panelkey (entry point `pytest11`), so a project that installs panelkey
can write, with no conftest::

    def test_my_billing_module(panelkey_server):
        key = panelkey_server.make_key(description="ci")
        my_module.provision(url=panelkey_server.url, key=key, ca=panelkey_server.cert_path)

The server is started once per test session, on free ports, with a throwaway data
folder and a SQLite store; `reset()` empties it between tests when a test needs that.
Its lockouts (wrong passwords, wrong keys) are off, so that a suite's own tests of
refusals never lock the suite out; `panelkey_lockouts = true` in the pytest ini file (or
`start_server(..., lockouts=True)`) turns them on, and `unlock()` lifts them.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import select
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

START_SECONDS = 60.0
COMMAND_SECONDS = 120.0


class PanelkeyServerError(RuntimeError):
    """The server did not start, or a command against its store failed."""


@dataclass
class PanelkeyServer:
    """A running `panelkey serve`: where it listens and how to reach its store."""

    url: str
    http_url: str
    admin_password: str
    cert_path: str
    data_dir: Path
    env: dict[str, str]
    pid: int
    _proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _commands: _Commands | None = field(default=None, repr=False, compare=False)
    _commands_lock: threading.Lock = field(
        default_factory=threading.Lock, repr=False, compare=False
    )

    @property
    def admin_login(self) -> str:
        return "admin"

    def ssl_context(self) -> ssl.SSLContext:
        """Trusts exactly this server's certificate."""
        return ssl.create_default_context(cafile=self.cert_path)

    def make_key(self, **options: Any) -> str:
        """A new secret key, made through REST `POST /api/v2/auth/keys` as the admin.

        Options are the request's fields (`ips`, `ip`, `login`, `description`, and the
        panelkey extensions such as `expires`, `scope`, `rate`); with no `ip`/`ips` the
        key is bound to 127.0.0.1, where the tests run. Returns the key's value."""
        body = dict(options)
        if "ip" not in body and "ips" not in body:
            body["ips"] = ["127.0.0.1"]
        answer = self._rest("POST", "/api/v2/auth/keys", body)
        return str(answer["key"])

    def seed(self, data: Mapping[str, Any]) -> str:
        """Load seed data (the mapping a seed file holds, docs/testing.md) into the store.
        Raises PanelkeyServerError naming the bad entry; then nothing was loaded."""
        with tempfile.NamedTemporaryFile("w", suffix=".json", dir=self.data_dir, delete=False) as f:
            json.dump(data, f)
        try:
            return self._command("seed", f.name)
        finally:
            os.unlink(f.name)

    def unlock(self, login: str | None = None, source: str | None = None) -> None:
        """Lift lockouts (`panelkey unlock`): of `login`, of `source`, or all of them."""
        args = [*(("--login", login) if login else ()), *(("--source", source) if source else ())]
        self._command("unlock", *args)

    def reset(self) -> None:
        """Empty the store back to its first start (the admin and its password stay)."""
        self._command("reset", "--yes")

    # -- faults and snapshots (docs/testing.md) ------------------------------------------

    def fault(
        self,
        operation: str,
        *,
        errcode: int | None = None,
        errtext: str = "",
        http_status: int | None = None,
        delay: float = 0.0,
        drop: bool = False,
        times: int | None = None,
        ratio: float = 1.0,
        key: int | str | None = None,
        login: str | None = None,
    ) -> dict[str, Any]:
        """Make `operation` (`webspace/add`, `POST /api/v2/clients`) fail on purpose, on
        the running server at once: answer `errcode`/`errtext`, `http_status`, or `drop`
        the connection, after `delay` seconds; the next `times` calls, or a `ratio` share
        of them; only for one `key` (its id, or its value) or `login`. Returns the rule."""
        args = ["fault", "add", "--json", "--operation", operation, "--errtext", errtext]
        for flag, value in (
            ("--errcode", errcode),
            ("--http-status", http_status),
            ("--times", times),
            ("--login", login),
        ):
            if value is not None:
                args += [flag, str(value)]
        args += ["--delay", f"{delay}s", "--ratio", str(ratio)] + (["--drop"] if drop else [])
        stdin = ""
        if isinstance(key, int):
            args += ["--key", str(key)]
        elif key is not None:
            args += ["--key", "-"]  # a key's value goes on stdin, never in the arguments
            stdin = key
        rule: dict[str, Any] = json.loads(self._command_with(stdin, *args))
        return rule

    def faults(self) -> list[dict[str, Any]]:
        """The fault rules not yet spent, oldest first, with their `hits`."""
        lines = self._command("fault", "list", "--json").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def clear_faults(self) -> None:
        """Remove every fault rule."""
        self._command("fault", "clear")

    def snapshot(self, name: str) -> None:
        """Save the whole store under `name` (replacing one of that name)."""
        self._command("snapshot", "save", name)

    def restore(self, name: str) -> None:
        """Put the whole store back as `snapshot(name)` saved it; the running server sees
        it at once."""
        self._command("snapshot", "restore", name)

    def _command_with(self, stdin: str, *args: str) -> str:
        """`panelkey <args>` on the server's store, `stdin` its input: its output, or
        PanelkeyServerError with what it printed on stderr."""
        with self._commands_lock:
            if self._commands is None and hasattr(os, "fork"):
                self._commands = _Commands(self.env)
            if self._commands is not None:
                try:
                    code, out, err = self._commands.run(args, stdin)
                except _CommandsGone:
                    self._commands = None
                else:
                    return _command_output(args, code, out, err)
        done = subprocess.run(
            [sys.executable, "-m", "panelkey.cli.panelkey", *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=COMMAND_SECONDS,
        )
        return _command_output(args, done.returncode, done.stdout, done.stderr)

    def stop(self) -> None:
        with self._commands_lock:
            if self._commands is not None:
                self._commands.close()
                self._commands = None
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def _command(self, *args: str) -> str:
        return self._command_with("", *args)

    def _rest(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - our own server, https only
            self.url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        token = f"{self.admin_login}:{self.admin_password}".encode()
        request.add_header("Authorization", "Basic " + base64.b64encode(token).decode())
        try:
            with urllib.request.urlopen(request, context=self.ssl_context(), timeout=30) as r:  # noqa: S310
                return json.loads(r.read() or b"null")
        except urllib.error.HTTPError as exc:
            raise PanelkeyServerError(
                f"{method} {path}: {exc.code} {exc.read().decode(errors='replace')}"
            ) from None


def _command_output(args: tuple[str, ...], code: int, out: str, err: str) -> str:
    if code != 0:
        raise PanelkeyServerError(err.strip() or f"panelkey {args[0]} failed")
    return out


class _CommandsGone(Exception):
    """The commands' process could not be started or has ended."""


class _Commands:
    """The server's `panelkey` commands, forked from one process that imported them
    once (panelkey/cli/warm.py): a command costs a few hundredths of a second instead of
    the second a new interpreter spends on its imports. The process is a child of this
    one with the server's environment, started at the first command; nothing of
    panelkey is imported here."""

    def __init__(self, env: Mapping[str, str]) -> None:
        # the commands' input and output: beside the server's data folder, not in it
        self._folder = Path(tempfile.mkdtemp(prefix="panelkey-commands-"))
        try:
            with open(self._folder / "warm.log", "wb") as log:
                self._proc = subprocess.Popen(
                    [sys.executable, "-m", "panelkey.cli.warm"],
                    env=dict(env),
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    start_new_session=True,  # ended with the commands it runs
                )
        except OSError as exc:
            raise _CommandsGone(str(exc)) from None

    def run(self, args: tuple[str, ...], stdin: str) -> tuple[int, str, str]:
        """(exit code, stdout, stderr) of `panelkey <args>` given `stdin`."""
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        paths = {name: self._folder / name for name in ("stdin", "stdout", "stderr")}
        paths["stdin"].write_text(stdin)
        for name in ("stdout", "stderr"):
            paths[name].write_bytes(b"")
        request = {"argv": list(args), "cwd": os.getcwd(), **{k: str(v) for k, v in paths.items()}}
        try:
            proc.stdin.write((json.dumps(request) + "\n").encode())
            proc.stdin.flush()
        except OSError:
            self.close()
            raise _CommandsGone("the commands' process has ended") from None
        ready, _, _ = select.select([proc.stdout], [], [], COMMAND_SECONDS)
        line = proc.stdout.readline() if ready else b""
        if not ready:
            self.close()
            raise subprocess.TimeoutExpired(["panelkey", *args], COMMAND_SECONDS)
        if not line:
            self.close()
            raise _CommandsGone("the commands' process has ended")
        code = int(json.loads(line)["code"])
        read = {n: paths[n].read_text(errors="replace") for n in ("stdout", "stderr")}
        return code, read["stdout"], read["stderr"]

    def close(self) -> None:
        """End the process (and any command still running)."""
        proc = self._proc
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        shutil.rmtree(self._folder, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_PORT_ATTEMPTS = 5
_PORT_TAKEN = "cannot listen for HTTP on 127.0.0.1:"  # startup.listen_failure's line
_IN_USE = "Address already in use"


def _serve(
    data_dir: Path, env: dict[str, str], ready: Path, extra_args: tuple[str, ...]
) -> subprocess.Popen[bytes]:
    # The child keeps its own copy of the log's descriptor; ours is closed at once.
    with open(data_dir / "server.log", "wb") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "panelkey.cli.panelkey",
                "serve",
                "--https-port",
                "0",
                "--http-port",
                str(_free_port()),
                "--ready-file",
                str(ready),
                *extra_args,
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _failed_start(proc: subprocess.Popen[bytes], data_dir: Path, ready: Path) -> str | None:
    """None once the server listens (its ready file written); else, the server stopped,
    its log."""
    deadline = time.monotonic() + START_SECONDS
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            return (data_dir / "server.log").read_text(errors="replace")
        time.sleep(0.05)
    return None


def start_server(
    data_dir: Path, extra_args: tuple[str, ...] = (), *, lockouts: bool = False
) -> PanelkeyServer:
    """Start `panelkey serve` on free ports over `data_dir` and wait until it listens.
    `lockouts`: lock out sources and logins after wrong passwords and throttle wrong
    keys, as a production server does (off by default: see the module docstring)."""
    password = secrets.token_urlsafe(18)
    ready = data_dir / "ready.json"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PANELKEY_") and k != "PROMETHEUS_MULTIPROC_DIR"
    }
    env.update(PANELKEY_DATA_DIR=str(data_dir), PANELKEY_ADMIN_PASSWORD=password)
    # A test suite waits for every argon2 hash it causes; argon2-cffi's test profile.
    env["PANELKEY_PASSWORD_HASH_PROFILE"] = "cheapest"  # noqa: S105 - a profile name
    if not lockouts:
        # 0 turns each count off; the source's also turns wrong-key throttling off.
        env.update(PANELKEY_LOCKOUT_FAILURES="0", PANELKEY_LOCKOUT_LOGIN_FAILURES="0")
    # The HTTP port is picked here (0 turns plain HTTP off), so another process may take
    # it before the server binds it: then the server is started again on another.
    for attempt in range(1, _PORT_ATTEMPTS + 1):
        proc = _serve(data_dir, env, ready, extra_args)
        failed = _failed_start(proc, data_dir, ready)
        if failed is None:
            break
        if not (_PORT_TAKEN in failed and _IN_USE in failed) or attempt == _PORT_ATTEMPTS:
            raise PanelkeyServerError(f"panelkey serve did not start:\n{failed}")
    facts = json.loads(ready.read_text())
    return PanelkeyServer(
        url=facts["https_url"],
        http_url=facts.get("http_url", ""),
        admin_password=password,
        cert_path=facts["cert_path"],
        data_dir=data_dir,
        env=env,
        pid=int(facts["pid"]),
        _proc=proc,
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "panelkey_lockouts",
        "panelkey_server locks out after wrong passwords and throttles wrong keys",
        type="bool",
        default=False,
    )


@pytest.fixture(scope="session")
def panelkey_server(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Iterator[PanelkeyServer]:
    """A real panelkey server for the whole test session (HTTPS and plain HTTP)."""
    lockouts = bool(pytestconfig.getini("panelkey_lockouts"))
    server = start_server(tmp_path_factory.mktemp("panelkey"), lockouts=lockouts)
    try:
        yield server
    finally:
        server.stop()

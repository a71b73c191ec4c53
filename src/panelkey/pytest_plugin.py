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
import json
import os
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

START_SECONDS = 60.0


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
        done = subprocess.run(
            [sys.executable, "-m", "panelkey.cli.panelkey", *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise PanelkeyServerError(done.stderr.strip() or f"panelkey {args[0]} failed")
        return done.stdout

    def stop(self) -> None:
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
        done = subprocess.run(
            [sys.executable, "-m", "panelkey.cli.panelkey", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise PanelkeyServerError(done.stderr.strip() or f"panelkey {args[0]} failed")
        return done.stdout

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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
    # The child keeps its own copy of the log's descriptor; ours is closed at once.
    with open(data_dir / "server.log", "wb") as log:
        proc = subprocess.Popen(
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
    deadline = time.monotonic() + START_SECONDS
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            output = (data_dir / "server.log").read_text(errors="replace")
            raise PanelkeyServerError(f"panelkey serve did not start:\n{output}")
        time.sleep(0.05)
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

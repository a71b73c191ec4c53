"""`panelkey serve` as a process: first start, second start, listeners, bad panel.ini."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ADMIN_PASSWORD, MigratedTemplates, free_port, outside_env, run_tool
from tests.functional.cli.conftest import run_process

BIN = Path(sys.executable).parent


_started: list[subprocess.Popen[str]] = []


@pytest.fixture(autouse=True)
def _kill_leftovers():  # type: ignore[no-untyped-def]
    yield
    while _started:
        proc = _started.pop()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stdout:
            proc.stdout.close()


def start(
    data_dir: Path, *extra: str, admin_password: str | None = None
) -> tuple[subprocess.Popen[str], int, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANELKEY_")}
    if admin_password:
        env["PANELKEY_ADMIN_PASSWORD"] = admin_password
    https, http = free_port(), free_port()
    proc = subprocess.Popen(
        [
            str(BIN / "panelkey"),
            "serve",
            "--data-dir",
            str(data_dir),
            "--https-port",
            str(https),
            "--http-port",
            str(http),
            *extra,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    _started.append(proc)
    return proc, https, http


def migrated(data_dir: Path, templates: MigratedTemplates) -> Path:
    """`data_dir` holding a migrated store whose admin password is ADMIN_PASSWORD, for a
    test that is not about a first start."""
    data_dir.mkdir(parents=True, mode=0o700)
    templates.fill(f"sqlite:///{data_dir / 'panelkey.db'}")
    return data_dir


def read_until_listening(proc: subprocess.Popen[str]) -> list[str]:
    lines: list[str] = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if line.startswith("TLS certificate:"):
            return lines
    raise AssertionError(f"no start banner: {lines}")


def read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def wait_port(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"port {port} never opened")


def stop(proc: subprocess.Popen[str]) -> int:
    proc.send_signal(signal.SIGTERM)
    return proc.wait(15)


def test_first_start_creates_everything_and_second_start_reuses_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh"
    proc, https, http = start(data_dir)
    banner = read_until_listening(proc)
    text = "\n".join(banner)
    password = re.search(r"password \(shown once\): (\S+)", text)
    assert password, text
    assert f"https://127.0.0.1:{https}" in text and f"http://127.0.0.1:{http}" in text
    fingerprint = re.search(r"SHA-256 ([0-9A-F:]+)", text)
    assert fingerprint
    wait_port(https)
    wait_port(http)
    context = ssl.create_default_context(cafile=str(data_dir / "tls" / "cert.pem"))
    with (
        socket.create_connection(("127.0.0.1", https)) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        tls.sendall(b"GET /nowhere HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        answer = read_all(tls)
    assert answer.startswith(b"HTTP/1.1 404") and b'"code": 404' in answer
    with socket.create_connection(("127.0.0.1", http)) as plain:
        plain.sendall(b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert read_all(plain).startswith(b"HTTP/1.1 404")
    assert stop(proc) == 0
    for name in ("panelkey.db", "tls/cert.pem", "tls/key.pem"):
        assert (data_dir / name).exists(), name
    for name in ("panelkey.db", "tls/key.pem"):
        assert (data_dir / name).stat().st_mode & 0o077 == 0, name

    again, https2, _ = start(data_dir)
    banner2 = "\n".join(read_until_listening(again))
    assert "password" not in banner2
    assert fingerprint.group(1) in banner2
    wait_port(https2)
    assert stop(again) == 0
    assert password.group(1) not in (data_dir / "panelkey.db").read_bytes().decode("latin-1")


@pytest.mark.parametrize(
    ("ini", "named"),
    [
        ("[api]\nenabled = maybe\n", "line 2"),
        ("; comment\n\n[api]\nallowedIPs = 10.0.0.1, 300.0.0.1\n", "line 4"),
        ("[ext-rest-api\n", "line 1"),
        ("[panelkey]\nhttpsPort = eighty\n", "line 2"),
    ],
)
def test_malformed_panel_ini_stops_the_start_naming_the_line(
    tmp_path: Path, ini: str, named: str
) -> None:
    data_dir = tmp_path / "bad"
    data_dir.mkdir()
    (data_dir / "panel.ini").write_text(ini)
    proc, _, _ = start(data_dir, admin_password="x")
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode != 0
    assert "panel.ini" in out and named in out, out


def test_given_certificate_is_used(tmp_path: Path, migrated_templates: MigratedTemplates) -> None:
    from panelkey.tls import ensure_self_signed, fingerprint

    cert, key = ensure_self_signed(tmp_path / "own")
    data = migrated(tmp_path / "data", migrated_templates)
    proc, https, _ = start(
        data, "--tls-cert", str(cert), "--tls-key", str(key), admin_password=ADMIN_PASSWORD
    )
    banner = "\n".join(read_until_listening(proc))
    assert fingerprint(cert) in banner
    wait_port(https)
    assert stop(proc) == 0
    assert not (tmp_path / "data" / "tls").exists()


def test_plain_http_listener_can_be_turned_off(
    tmp_path: Path, migrated_templates: MigratedTemplates
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANELKEY_")}
    https = free_port()
    proc = subprocess.Popen(
        [
            str(BIN / "panelkey"),
            "serve",
            "--data-dir",
            str(migrated(tmp_path / "d", migrated_templates)),
            "--https-port",
            str(https),
            "--http-port",
            "0",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    _started.append(proc)
    banner = "\n".join(read_until_listening(proc))
    assert "http://" not in banner
    assert stop(proc) == 0


def test_version_and_help() -> None:
    out = run_process(["panelkey", "--version"], outside_env())
    assert out.returncode == 0 and out.stdout.startswith("panelkey ")
    for command in ("serve", "admin", "audit"):  # the same command's main, in this process
        helped = run_tool(outside_env(), "panelkey", command, "--help")
        assert helped.returncode == 0 and "--data-dir" in helped.stdout
        assert "--database-url" in helped.stdout


def test_admin_set_password_reads_stdin(
    tmp_path: Path, migrated_templates: MigratedTemplates
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANELKEY_")}
    env["PANELKEY_DATA_DIR"] = str(migrated(tmp_path / "d", migrated_templates))
    out = run_process(["panelkey", "admin", "--set-password"], env, stdin="second\n")
    assert out.returncode == 0, out.stderr
    assert "second" not in out.stdout + out.stderr
    from panelkey.config import load_settings
    from panelkey.core.identity import Verified
    from panelkey.core.panel import Panel

    panel = Panel.open(load_settings(environ=env).database_url)
    assert isinstance(panel.auth.check_password("admin", "second"), Verified)
    assert not isinstance(panel.auth.check_password("admin", ADMIN_PASSWORD), Verified)
    panel.close()


def test_ready_file_tells_a_test_suite_where_the_server_is(
    tmp_path: Path, migrated_templates: MigratedTemplates
) -> None:
    ready = tmp_path / "ready.json"
    data = migrated(tmp_path / "data", migrated_templates)
    proc, _, http = start(
        data, "--https-port", "0", "--ready-file", str(ready), admin_password=ADMIN_PASSWORD
    )
    lines = read_until_listening(proc)
    wait_for = time.monotonic() + 20
    while not ready.exists() and time.monotonic() < wait_for:
        time.sleep(0.05)
    facts = json.loads(ready.read_text())
    assert facts["pid"] == proc.pid
    assert facts["http_port"] == http
    assert facts["https_port"] not in (0, http)
    assert facts["https_url"] == f"https://127.0.0.1:{facts['https_port']}"
    assert facts["admin_password"] == ADMIN_PASSWORD
    assert Path(facts["cert_path"]).is_file()
    assert ready.stat().st_mode & 0o777 == 0o600
    assert f"https://127.0.0.1:{facts['https_port']}" in "\n".join(lines)
    ctx = ssl.create_default_context(cafile=facts["cert_path"])
    raw = socket.create_connection(("127.0.0.1", facts["https_port"]), timeout=10)
    with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        tls.sendall(b"GET /api/v2/server HTTP/1.0\r\nHost: x\r\n\r\n")
        assert read_all(tls).startswith(b"HTTP/1.1 401")
    assert stop(proc) == 0


def test_start_prints_one_line_per_listener_and_no_migration_chatter(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc, _, _ = start(data, admin_password="pw-q")
    first = read_until_listening(proc)
    assert stop(proc) == 0
    assert sum("listening on" in line for line in first) == 2
    # the first start migrates, in one line: none of alembic's, one per revision
    assert sum("store schema made at revision" in line for line in first) == 1, first
    assert not any("alembic" in line for line in first), first
    proc, _, _ = start(data, admin_password="pw-q")
    second = read_until_listening(proc)
    assert stop(proc) == 0
    rest = proc.stdout.read() if proc.stdout else ""
    text = "\n".join(second) + rest
    assert sum("listening on" in line for line in second) == 2
    for chatter in ("Running upgrade", "Context impl", "Started server process", "Uvicorn"):
        assert chatter not in text, text

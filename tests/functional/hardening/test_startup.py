"""Start-up failures: one line each (what, where, what to do), exit code 1, no traceback;
a warning when PANELKEY_ADMIN_PASSWORD is not the stored admin password."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ADMIN_PASSWORD, BIN, MigratedTemplates, make_server, premigrated


def _serve(tmp_path: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    server = make_server(tmp_path)
    server.env.update(env or {})
    proc = subprocess.run(
        [
            str(BIN / "panelkey"),
            "serve",
            "--https-port",
            str(server.https_port),
            "--http-port",
            str(server.http_port),
            *extra,
        ],
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return proc.returncode, proc.stderr


def _the_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("panelkey: cannot start:")]
    assert len(lines) == 1, stderr
    assert stderr.strip().splitlines()[-1] == lines[0]  # the last word, nothing after it
    return lines[0]


def test_a_bad_setting_is_one_line_naming_it(tmp_path: Path) -> None:
    code, stderr = _serve(tmp_path, env={"PANELKEY_LOCKOUT_FAILURES": "many"})
    line = _the_line(stderr)
    assert code == 1
    assert "PANELKEY_LOCKOUT_FAILURES" in line or "lockout_failures" in line


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, stderr = _serve(tmp_path, "--https-port", str(port))
    line = _the_line(stderr)
    assert code == 1
    assert f"127.0.0.1:{port}" in line and "--https-port" in line


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("postgresql+psycopg://postgres@127.0.0.1:1/test", "127.0.0.1:1"),
        ("sqlite:///:memory:", "memory"),
        ("sqlite://", "memory"),
        ("nosuchdriver://x/y", "nosuchdriver"),
    ],
)
def test_a_store_that_cannot_serve_is_one_line(tmp_path: Path, url: str, named: str) -> None:
    code, stderr = _serve(tmp_path, "--database-url", url)
    line = _the_line(stderr)
    assert code == 1 and named in line and "--database-url" in line


def test_a_missing_certificate_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "none.pem"
    code, stderr = _serve(tmp_path, "--tls-cert", str(missing), "--tls-key", str(missing))
    assert code == 1 and str(missing) in _the_line(stderr)


def test_a_data_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    ini = str(tmp_path / "panel.ini")
    code, stderr = _serve(
        tmp_path, "--data-dir", str(blocker / "sub"), env={"PANELKEY_PANEL_INI": ini}
    )
    assert code == 1 and "--data-dir" in _the_line(stderr)


def test_an_admin_password_that_does_not_match_the_store_is_warned_about(
    tmp_path: Path, migrated_templates: MigratedTemplates
) -> None:
    # the store's admin was made with the test's password, as a first start makes it
    server = premigrated(make_server(tmp_path), migrated_templates, forked=False)
    server.env["PANELKEY_ADMIN_PASSWORD"] = "not-the-stored-one"
    server.start()
    server.stop()
    server.env["PANELKEY_ADMIN_PASSWORD"] = ADMIN_PASSWORD
    server.start()
    server.stop()
    warned = [line for line in server.log_text().splitlines() if "PANELKEY_ADMIN_PASSWORD" in line]
    assert len(warned) == 1 and "does not match" in warned[0]  # the first start's alone
